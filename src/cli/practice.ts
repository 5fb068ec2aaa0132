/**
 * `chartguard practice ...`: practices of a database that hosts many (issue 14).
 *
 *   practice create --name NAME --owner-email EMAIL   the practice and its owner; prints the setup link
 *   practice list [--json]                            id, name, members, created, whether the owner signed up
 *   practice link PRACTICE                            a new setup link, while the owner has not signed up
 *
 * Exit codes: 0 done; 1 nothing to do it to (no such practice, the owner signed up already);
 * 2 wrong usage or a value refused (an invalid email address or name).
 */
import { createPracticeForOwner, practiceRows, renewSetupLink, type PracticeRow } from '../store/auth/practice-setup.js';
import type { Store } from '../store/context.js';

export const PRACTICE_COMMANDS: readonly string[] = ['create', 'list', 'link'];

export const PRACTICE_USAGE = `usage: chartguard practice <create|list|link>
  practice create --name NAME --owner-email EMAIL   create a practice and its account owner; prints the owner's setup link (one hour, once)
  practice list [--json]                            every practice: id, name, members, created, whether the owner has signed up
  practice link PRACTICE                            a new setup link for a practice whose owner has not signed up yet
Links start with CHARTGUARD_PUBLIC_URL (default http://HOST:PORT, 127.0.0.1:3000).`;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Where the links printed point: CHARTGUARD_PUBLIC_URL, or the server's HOST and PORT. */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHARTGUARD_PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `http://${env.HOST || '127.0.0.1'}:${env.PORT || '3000'}`;
}

export const setupLinkOf = (base: string, token: string) => `${base}/setup/${token}`;

/** `--name NAME` or `--name=NAME`; null when absent; throws on an option without its value. */
function parseOptions(args: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!known.includes(flag)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    out.set(flag, value);
  }
  return out;
}

class UsageError extends Error {}

export async function practiceCommand(store: Store, args: readonly string[], io: Io, base: string = publicUrl()): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'create':
        return await create(store, rest, io, base);
      case 'list':
        return await list(store, rest, io);
      case 'link':
        return await link(store, rest, io, base);
      default:
        io.err(sub === undefined ? PRACTICE_USAGE : `unknown practice command ${JSON.stringify(sub)}\n${PRACTICE_USAGE}`);
        return 2;
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`chartguard practice ${sub}: ${err.message}\n${PRACTICE_USAGE}`);
    return 2;
  }
}

async function create(store: Store, args: readonly string[], io: Io, base: string): Promise<number> {
  const options = parseOptions(args, ['--name', '--owner-email']);
  const name = options.get('--name');
  const email = options.get('--owner-email');
  if (name === undefined || email === undefined) throw new UsageError('give both --name and --owner-email');
  const r = await createPracticeForOwner(store, { name, ownerEmail: email });
  if (!r.ok) {
    io.err(`chartguard practice create: ${r.detail}`);
    return 2;
  }
  io.out(`Created the practice "${name.trim()}" (id ${r.practice}); its account owner is ${email.trim()} (member ${r.owner}).`);
  io.out('Send the owner this setup link; it works once, for one hour (`chartguard practice link ' + r.practice + '` makes a new one):');
  io.out(`  ${setupLinkOf(base, r.token)}`);
  return 0;
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

async function list(store: Store, args: readonly string[], io: Io): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) throw new UsageError(`unknown argument ${JSON.stringify(unknown[0])}`);
  const rows = await practiceRows(store.db);
  if (json) {
    io.out(JSON.stringify(rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }))));
    return 0;
  }
  if (rows.length === 0) {
    io.out('No practices yet: `chartguard practice create --name NAME --owner-email EMAIL` makes one.');
    return 0;
  }
  io.out(table(rows));
  return 0;
}

function table(rows: readonly PracticeRow[]): string {
  const cells = [['ID', 'NAME', 'MEMBERS', 'CREATED', 'OWNER'], ...rows.map((r) => [r.id, r.name, String(r.members), when(r.createdAt), r.ownerSignedUp ? 'signed up' : 'awaiting setup'])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')).join('\n');
}

async function link(store: Store, args: readonly string[], io: Io, base: string): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('--')) throw new UsageError('give the practice id (see `chartguard practice list`)');
  const r = await renewSetupLink(store, args[0]!);
  if (!r.ok) {
    io.err(`chartguard practice link: ${r.detail}`);
    return 1;
  }
  io.out(`A new setup link for ${args[0]} (it works once, for one hour; the earlier one no longer does):`);
  io.out(`  ${setupLinkOf(base, r.token)}`);
  return 0;
}
