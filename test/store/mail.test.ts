/**
 * The email outbox delivered over SMTP (issue 14), on every database kind, through a real
 * SMTP server started in the test (test/support/smtp.ts), never a mock: queued mail arrives
 * with its address, subject and body and is marked sent; a refusing server is retried with
 * an exponential backoff until it takes the mail, and a mail refused for good, out of tries
 * or without an address is marked failed and logged; two senders over one database deliver
 * each mail once; without SMTP the mail is written to the log. The clock is the test's:
 * backoffs and leases pass without sleeping.
 *
 * The sender reads every practice's outbox, so this file has a database of its own (a
 * scratch PostgreSQL database, an in-memory PGlite): other files' mail never reaches it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { openDatabase, type Database } from '../../src/store/db/database.js';
import { migrate } from '../../src/store/db/migrate.js';
import { queueMail } from '../../src/store/mail/outbox.js';
import { MailSender, type SenderOptions } from '../../src/store/mail/sender.js';
import { logTransport, smtpTransport, type MailLog } from '../../src/store/mail/transport.js';
import { databaseKinds, newPracticeId, type DatabaseKind } from '../support/databases.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const START = Date.UTC(2026, 0, 5, 9);
const FROM = 'ChartGuard <chartguard@example.org>';
const BASE = 60_000;

/** A log that keeps its lines. */
function memoryLog(): MailLog & { lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

interface Row {
  id: string;
  attempts: number;
  sent_at: Date | null;
  failed_at: Date | null;
  next_attempt_at: Date | null;
  last_error: string | null;
  claimed_by: string | null;
}

describe.each(databaseKinds())('the email outbox on %s', (kind: DatabaseKind) => {
  let db: Database;
  let drop = async () => {};
  let url: string | undefined;
  let now = START;
  let smtp: TestSmtpServer;
  let log: ReturnType<typeof memoryLog>;
  const cg = () => ChartGuard.over(db, () => now);
  const sender = (options: Partial<SenderOptions> = {}, over: Database = db) =>
    new MailSender(ChartGuard.over(over, () => now), { transport: smtpTransport(smtp.url, FROM), log, backoffBaseMs: BASE, ...options });

  beforeAll(async () => {
    if (kind === 'postgres') {
      const scratch = await scratchDatabase(process.env.CHARTGUARD_TEST_PG_URL!, `chartguard_mail_${process.pid}_${Date.now().toString(36)}`);
      drop = scratch.drop;
      url = scratch.url;
      db = await openDatabase({ url });
    } else {
      db = await openDatabase({ dataDir: 'memory' });
    }
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });
  beforeEach(async () => {
    now = START;
    log = memoryLog();
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  /** A practice whose owner has an address and whose clinician has none. */
  async function practice(): Promise<string> {
    const id = newPracticeId('mail');
    await cg().createPractice({ id, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'pat', roles: ['practice_administrator'] }, { id: 'mia', roles: ['practice_manager'] }, { id: 'ana', roles: ['clinician_basic'] }], clients: [] });
    await cg().within(id, null, 'system', (tx) => tx.query(`update chartguard.members set email = 'olivia@example.org' where practice_id = $1 and id = 'olivia'`, [id]));
    return id;
  }
  const queue = (p: string, mail: { recipient?: string; toAddress?: string; subject: string; body: string }) => cg().within(p, null, 'system', (tx) => queueMail(tx, { practice: p, ...mail }));
  const row = async (p: string, id: string) => (await cg().within(p, null, 'system', (tx) => tx.query<Row>('select * from chartguard.email_outbox where practice_id = $1 and id = $2::bigint', [p, id])))[0]!;

  it("delivers queued mail over SMTP to its fixed address or the member's, marks it sent, and sends it once", async () => {
    const p = await practice();
    const invite = await queue(p, { toAddress: 'dana@example.org', subject: 'You are invited to ChartGuard', body: 'Choose your password within an hour:\nhttps://chartguard.example.org/invite/abc' });
    const notice = await queue(p, { recipient: 'olivia', subject: 'A notice', body: 'Sign in to ChartGuard to see it.' });
    // A command's own notice (effects.ts): a change that widens a member's access emails the owner.
    expect((await cg().execute(p, 'pat', { type: 'assign_roles', member: 'mia', roles: ['practice_manager', 'clinician_basic'] })).ok).toBe(true);

    expect(await sender().deliverDue()).toEqual({ sent: 3, retrying: 0, failed: 0 });
    const byTo = (to: string) => smtp.received.filter((m) => m.envelopeTo.join() === to);
    expect(smtp.received).toHaveLength(3);
    expect(byTo('dana@example.org')).toEqual([
      { envelopeTo: ['dana@example.org'], from: FROM, to: 'dana@example.org', subject: 'You are invited to ChartGuard', body: 'Choose your password within an hour:\nhttps://chartguard.example.org/invite/abc' },
    ]);
    expect(byTo('olivia@example.org').map((m) => [m.subject, m.body])).toEqual(
      expect.arrayContaining([['A notice', 'Sign in to ChartGuard to see it.'], [expect.stringMatching(/widened/), expect.stringMatching(/widened .*Sign in to ChartGuard/)]]),
    );
    expect(await row(p, invite)).toMatchObject({ attempts: 1, sent_at: new Date(START), failed_at: null, claimed_by: null });
    expect(await row(p, notice)).toMatchObject({ attempts: 1, sent_at: new Date(START) });

    now += 24 * 3_600_000;
    expect(await sender().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(3);
  });

  it('retries a refused mail with an exponential backoff, then delivers it once the server takes it', async () => {
    const p = await practice();
    const id = await queue(p, { recipient: 'olivia', subject: 'Reset your password', body: 'Open the link to choose a new password.' });
    let refusals: ('rcpt' | 'data')[] = ['rcpt', 'data'];
    smtp.refuse = (at) => (refusals[0] === at ? (refusals.shift(), { at, code: 451, text: 'Try again later' }) : null);
    const s = sender();

    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row(p, id)).toMatchObject({ attempts: 1, sent_at: null, next_attempt_at: new Date(START + BASE), last_error: expect.stringMatching(/451 Try again later/), claimed_by: null });
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn', message: 'mail not sent: will try again', fields: { practice: p, mail: id, attempts: 1 } });

    // Not before its time: nothing reaches the server.
    const tries = smtp.tries.length;
    now = START + BASE - 1;
    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.tries).toHaveLength(tries);

    now = START + BASE;
    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row(p, id)).toMatchObject({ attempts: 2, next_attempt_at: new Date(START + BASE + 2 * BASE) });

    now = START + 3 * BASE;
    expect(await s.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await row(p, id)).toMatchObject({ attempts: 3, sent_at: new Date(now) });
    expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([['olivia@example.org', 'Reset your password']]);
    refusals = [];
  });

  it('gives up on a mail after its last try, and at once on an address the server refuses for good, logging both', async () => {
    const p = await practice();
    const down = await queue(p, { toAddress: 'busy@example.org', subject: 'One', body: 'One.' });
    const unknown = await queue(p, { toAddress: 'nobody@example.org', subject: 'Two', body: 'Two.' });
    smtp.refuse = (at, to) => (to === 'nobody@example.org' ? { at, code: 550, text: 'No such user here' } : { at, code: 421, text: 'Service not available' });
    const s = sender({ maxAttempts: 3, backoffMaxMs: BASE });

    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 1 });
    expect(await row(p, unknown)).toMatchObject({ attempts: 1, failed_at: new Date(START), last_error: expect.stringMatching(/550 No such user here/) });
    now += BASE;
    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    // Capped: the third try waits backoffMaxMs, not twice the second's delay.
    expect(await row(p, down)).toMatchObject({ attempts: 2, next_attempt_at: new Date(now + BASE) });
    now += BASE;
    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await row(p, down)).toMatchObject({ attempts: 3, failed_at: new Date(now), sent_at: null });
    expect(log.lines.filter((l) => l.level === 'error').map((l) => [l.fields.mail, l.message])).toEqual([
      [unknown, 'mail given up on after 1 try'],
      [down, 'mail given up on after 3 tries'],
    ]);
    now += 24 * 3_600_000;
    expect(await s.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toEqual([]);
  });

  it('marks a mail whose recipient has no address failed, saying why, and never tries it', async () => {
    const p = await practice();
    const id = await queue(p, { recipient: 'ana', subject: 'Hello', body: 'Hello.' });
    expect(await sender().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await row(p, id)).toMatchObject({ failed_at: new Date(START), sent_at: null, last_error: expect.stringMatching(/no address/) });
    expect(log.lines).toContainEqual({ level: 'error', fields: expect.objectContaining({ practice: p, mail: id, error: expect.stringMatching(/no address/) }), message: 'mail given up on after 1 try' });
    expect(smtp.tries).toEqual([]);
  });

  it('delivers each mail once with two senders over one database, and leaves a live claim alone until it runs out', async () => {
    const p = await practice();
    const subjects = Array.from({ length: 24 }, (_, i) => `Mail ${i}`);
    for (const subject of subjects) await queue(p, { toAddress: 'olivia@example.org', subject, body: subject });
    smtp.dataDelayMs = 2;
    // On PostgreSQL the second sender has its own connections, as another server process would.
    const other = url ? await openDatabase({ url }) : db;
    const [a, b] = await Promise.all([sender({ batchSize: 4, id: 'a' }).deliverDue(), sender({ batchSize: 4, id: 'b' }, other).deliverDue()]);
    if (other !== db) await other.close();
    expect(a.sent + b.sent).toBe(24);
    expect(smtp.received.map((m) => m.subject).sort()).toEqual([...subjects].sort());

    // A claim by a sender that died: left alone until its lease ends, then taken.
    const id = await queue(p, { toAddress: 'olivia@example.org', subject: 'Late', body: 'Late.' });
    await db.query(`update chartguard.email_outbox set claimed_by = 'dead', claimed_until = to_timestamp($3::float8 / 1000) where practice_id = $1 and id = $2::bigint`, [p, id, START + 120_000]);
    expect(await sender().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    now = START + 120_000;
    expect(await sender().deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received.filter((m) => m.subject === 'Late')).toHaveLength(1);
  });

  it('without SMTP writes each mail to the log and marks it sent; start() runs in the background and stop() ends it', async () => {
    const p = await practice();
    const id = await queue(p, { recipient: 'olivia', subject: 'You are invited', body: 'Open https://chartguard.example.org/invite/xyz' });
    const s = new MailSender(cg(), { transport: logTransport(log), log, pollMs: 5 }).start();
    await vi.waitFor(async () => expect((await row(p, id)).sent_at).toEqual(new Date(START)));
    await s.stop();
    expect(log.lines).toContainEqual({
      level: 'info',
      fields: { mail: { to: 'olivia@example.org', subject: 'You are invited', body: 'Open https://chartguard.example.org/invite/xyz' } },
      message: 'mail to olivia@example.org (not sent: no SMTP server configured): You are invited',
    });
    // Stopped: a mail queued now stays queued.
    const later = await queue(p, { recipient: 'olivia', subject: 'Later', body: 'Later.' });
    await new Promise((r) => setTimeout(r, 30));
    expect((await row(p, later)).sent_at).toBeNull();
  });

  it('lets the application role record deliveries, never rewrite or delete a mail; queueMail refuses a mail with nowhere to go', async () => {
    const p = await practice();
    const id = await queue(p, { toAddress: 'dana@example.org', subject: 'Hi', body: 'Hi.' });
    const asSystem = (sql: string) => cg().within(p, null, 'system', (tx) => tx.query(sql, [p, id]));
    await expect(asSystem(`update chartguard.email_outbox set subject = 'changed' where practice_id = $1 and id = $2::bigint`)).rejects.toThrow(/permission denied/);
    await expect(asSystem(`update chartguard.email_outbox set to_address = 'eve@example.org' where practice_id = $1 and id = $2::bigint`)).rejects.toThrow(/permission denied/);
    await expect(asSystem('delete from chartguard.email_outbox where practice_id = $1 and id = $2::bigint')).rejects.toThrow(/permission denied/);
    expect(await asSystem(`update chartguard.email_outbox set last_error = 'x' where practice_id = $1 and id = $2::bigint returning 1`)).toHaveLength(1);
    // Member mode neither reads nor writes the outbox.
    expect(await cg().within(p, 'olivia', 'member', (tx) => tx.query('select * from chartguard.email_outbox'))).toEqual([]);
    await expect(cg().within(p, 'olivia', 'member', (tx) => queueMail(tx, { practice: p, recipient: 'olivia', subject: 'x', body: 'x' }))).rejects.toThrow(/row-level security/);

    await expect(queue(p, { subject: 'x', body: 'x' })).rejects.toThrow(TypeError);
    await expect(queue(p, { toAddress: 'not an address', subject: 'x', body: 'x' })).rejects.toThrow(TypeError);
    await expect(queue(p, { toAddress: 'a@example.org', subject: 'two\nlines', body: 'x' })).rejects.toThrow(TypeError);
  });
});
