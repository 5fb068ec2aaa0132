/**
 * `chartguard practice create | list | link` (issue 14): the command's function on both
 * databases (what it prints, its exit codes for bad input), and the real command line once,
 * on an embedded database in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { practiceCommand, publicUrl } from '../../src/cli/practice.js';
import { peekLink } from '../../src/store/auth/one-time-links.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds } from '../support/databases.js';
import { runCli } from '../support/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const BASE = 'https://chartguard.example';
const linkIn = (lines: readonly string[]) => /https:\/\/chartguard\.example\/setup\/([A-Za-z0-9_-]+)/.exec(lines.join('\n'))?.[1];

describe.each(databaseKinds())('chartguard practice on %s', (kind) => {
  it('creates a practice with a unique id from its name, prints its setup link, and lists it', async () => {
    const cg = ChartGuard.over(await database(kind));
    const u = Math.random().toString(36).slice(2, 8);
    const first = capture();
    expect(await practiceCommand(cg, ['create', '--name', `Maple Grove ${u}`, '--owner-email', 'mo@maple.example'], first.io, BASE)).toBe(0);
    expect(first.out.join('\n')).toContain(`(id maple-grove-${u})`);
    const token = linkIn(first.out)!;
    expect(await peekLink(cg.db, token, 'setup', cg.now())).toMatchObject({ ok: true, link: { practice: `maple-grove-${u}`, member: null } });

    const second = capture();
    expect(await practiceCommand(cg, ['create', `--name=Maple Grove ${u}`, '--owner-email=mo@maple.example'], second.io, BASE)).toBe(0);
    expect(second.out.join('\n')).toContain(`(id maple-grove-${u}-2)`);

    const list = capture();
    expect(await practiceCommand(cg, ['list'], list.io, BASE)).toBe(0);
    expect(list.out.join('\n')).toMatch(/^ID\s+NAME\s+MEMBERS\s+CREATED\s+OWNER/);
    expect(list.out.join('\n')).toMatch(new RegExp(`maple-grove-${u}-2\\s+Maple Grove ${u}\\s+1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\s+awaiting setup`));
    const json = capture();
    expect(await practiceCommand(cg, ['list', '--json'], json.io, BASE)).toBe(0);
    expect(JSON.parse(json.out.join(''))).toEqual(expect.arrayContaining([expect.objectContaining({ id: `maple-grove-${u}`, name: `Maple Grove ${u}`, members: 1, ownerSignedUp: false })]));

    const renewed = capture();
    expect(await practiceCommand(cg, ['link', `maple-grove-${u}`], renewed.io, BASE)).toBe(0);
    expect(await peekLink(cg.db, token, 'setup', cg.now())).toMatchObject({ ok: false, code: 'link_expired' });
    expect((await peekLink(cg.db, linkIn(renewed.out)!, 'setup', cg.now())).ok).toBe(true);
  });

  it('refuses bad input with a clear message and exit code 2, and an unknown practice with 1, creating nothing', async () => {
    const cg = ChartGuard.over(await database(kind));
    const count = async () => Number((await cg.db.query<{ n: number }>('select count(*)::int as n from chartguard.practices'))[0]!.n);
    const before = await count();
    const cases: [string[], RegExp][] = [
      [['create', '--name', 'Oak', '--owner-email', 'oak.example'], /"oak\.example" is not an email address/],
      [['create', '--name', '   ', '--owner-email', 'o@oak.example'], /needs a name/],
      [['create', '--name', 'Oak'], /give both --name and --owner-email/],
      [['create', '--name', 'Oak', '--owner-email'], /--owner-email needs a value/],
      [['create', '--name', 'Oak', '--owner', 'o@oak.example'], /unknown argument "--owner"/],
      [['list', '--all'], /unknown argument "--all"/],
      [['rename'], /unknown practice command "rename"/],
      [[], /usage: chartguard practice/],
    ];
    for (const [args, message] of cases) {
      const run = capture();
      expect(await practiceCommand(cg, args, run.io, BASE), args.join(' ')).toBe(2);
      expect(run.err.join('\n')).toMatch(message);
      expect(run.out).toEqual([]);
    }
    expect(await count()).toBe(before);
    const missing = capture();
    expect(await practiceCommand(cg, ['link', 'no-such-practice'], missing.io, BASE)).toBe(1);
    expect(missing.err.join('\n')).toMatch(/There is no practice "no-such-practice"/);
  });
});

describe('chartguard practice, the command line', () => {
  it('links start with CHARTGUARD_PUBLIC_URL, else http://HOST:PORT', () => {
    expect(publicUrl({ CHARTGUARD_PUBLIC_URL: 'https://cg.example/' })).toBe('https://cg.example');
    expect(publicUrl({ HOST: '10.0.0.5', PORT: '8080' })).toBe('http://10.0.0.5:8080');
    expect(publicUrl({})).toBe('http://127.0.0.1:3000');
  });

  it('creates and lists practices in an embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartguard-practice-cli-'));
    try {
      const env = { CHARTGUARD_DATA_DIR: join(dir, 'data'), CHARTGUARD_PUBLIC_URL: BASE };
      const created = await runCli(['practice', 'create', '--name', 'Linden Family Therapy', '--owner-email', 'lee@linden.example'], env);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('(id linden-family-therapy)');
      expect(linkIn([created.stdout])).toBeTruthy();
      const listed = await runCli(['practice', 'list', '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: 'linden-family-therapy', name: 'Linden Family Therapy', members: 1, ownerSignedUp: false })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
