/**
 * The seed rules in Cerbos: a resource policy in YAML with CEL conditions, served by the
 * Cerbos PDP binary (@cerbos/cerbos-linux-x64) on 127.0.0.1 and asked over its HTTP API,
 * as an application would deploy it (a sidecar).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SEED_ROLE_TABLE as T, type Peer, type PeerAction, type PeerChecker, type PeerPractice } from './model.js';

const list = (xs: readonly string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;

export const CERBOS_POLICY = `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: client
  variables:
    local:
      administrative_role: request.principal.roles.exists(r, r in ${list(T.administrative)})
      clinical_role: request.principal.roles.exists(r, r in ${list(T.clinicalForAll)})
      supervises_primary: '"supervisor" in request.principal.roles && request.resource.attr.primary in request.principal.attr.supervisees'
      revoked: request.principal.id in request.resource.attr.revoked
      live_grant: request.resource.attr.grants.exists(g, g.member == request.principal.id && g.expires > request.principal.attr.now)
      administrative: request.resource.attr.primary == request.principal.id || V.supervises_primary || (V.administrative_role && !V.revoked)
  rules:
    # 003: the account owner; 000: the primary clinician.
    - actions: ["view_profile", "view_chart"]
      effect: EFFECT_ALLOW
      roles: ["account_owner"]
    - actions: ["view_profile", "view_chart"]
      effect: EFFECT_ALLOW
      roles: ["*"]
      condition:
        match:
          expr: request.resource.attr.primary == request.principal.id
    # 000 Supervisor.
    - actions: ["view_profile"]
      effect: EFFECT_ALLOW
      roles: ["supervisor"]
      condition:
        match:
          expr: V.supervises_primary
    # 000/001: administrative roles unless revoked.
    - actions: ["view_profile"]
      effect: EFFECT_ALLOW
      roles: ${list(T.administrative)}
      condition:
        match:
          expr: "!V.revoked"
    # 000/002/003/004: clinical access, needing administrative access for administrative roles.
    - actions: ["view_profile", "view_chart"]
      effect: EFFECT_ALLOW
      roles: ${list(T.clinician)}
      condition:
        match:
          expr: (!V.administrative_role || V.administrative) && (V.clinical_role || V.live_grant || request.resource.attr.shared)
`;

export function cerbosBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@cerbos/cerbos-linux-x64/package.json');
    const bin = join(dirname(pkg), 'cerbos-linux-x64');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface CerbosPdp {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the PDP with the ChartGuard policy; throws if the binary cannot run. */
export async function startCerbos(): Promise<CerbosPdp> {
  const bin = cerbosBinary();
  if (!bin) throw new Error('the Cerbos binary is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'chartguard-cerbos-'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'client.yaml'), CERBOS_POLICY);
  const [http, grpc] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'config.yaml'),
    `server:\n  httpListenAddr: "127.0.0.1:${http}"\n  grpcListenAddr: "127.0.0.1:${grpc}"\nstorage:\n  driver: disk\n  disk:\n    directory: "${join(dir, 'policies')}"\n    watchForChanges: false\naudit:\n  enabled: false\n`,
  );
  const child: ChildProcess = spawn(bin, ['server', `--config=${join(dir, 'config.yaml')}`, '--log-level=error'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${http}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/_cerbos/health`);
      if (res.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`the Cerbos PDP did not start: ${stderr.slice(0, 500)}`);
}

export function cerbosPeer(pdp: CerbosPdp): Peer {
  return {
    name: 'Cerbos',
    async prepare(p: PeerPractice): Promise<PeerChecker> {
      const principal = (member: string) => {
        const m = p.members.get(member)!;
        return { id: m.id, roles: m.roles.length > 0 ? [...m.roles] : ['none'], attr: { supervisees: [...m.supervisees], now: p.now } };
      };
      const resource = (client: string) => {
        const c = p.clients.get(client)!;
        return { kind: 'client', id: c.id, attr: { primary: c.primary, shared: c.shared, restricted: c.restricted, revoked: [...c.revoked], grants: c.grants.map((g) => ({ ...g })) } };
      };
      let n = 0;
      const ask = async (member: string, action: PeerAction, clients: readonly string[]): Promise<boolean[]> => {
        if (!p.members.has(member)) return clients.map(() => false);
        const res = await fetch(`${pdp.url}/api/check/resources`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ requestId: String(++n), principal: principal(member), resources: clients.map((c) => ({ actions: [action], resource: resource(c) })) }),
        });
        if (!res.ok) throw new Error(`cerbos: HTTP ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { results: { resource: { id: string }; actions: Record<string, string> }[] };
        const by = new Map(body.results.map((r) => [r.resource.id, r.actions[action] === 'EFFECT_ALLOW']));
        return clients.map((c) => by.get(c) ?? false);
      };
      return {
        check: async (member, action, client) => (await ask(member, action, [client]))[0]!,
        checkMany: ask,
      };
    },
    shutdown: () => pdp.stop(),
  };
}
