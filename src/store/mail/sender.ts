/**
 * The outbox's sender: a background loop in the server process that delivers the mail
 * commands queued (outbox.ts). Commands only insert rows; nothing here runs inside a command.
 *
 * Each pass finds the practices with mail due, and for each claims a batch in system mode
 * under its row-level security: `for update skip locked` and a lease (`claimed_by`,
 * `claimed_until`), so several servers over one PostgreSQL database never send the same mail
 * twice (a sender that dies mid-send leaves its mails to another once the lease ends). Each
 * mail goes to its fixed address, else to the recipient member's address at send time. A try
 * that fails is recorded (attempts, last error) and retried after an exponential backoff; a
 * mail with no address, refused for good, or out of tries is marked failed and logged as an
 * error, for an operator to see.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../context.js';
import type { Delivery, MailLog, MailTransport } from './transport.js';

export interface SenderOptions {
  readonly transport: MailTransport;
  readonly log: MailLog;
  /** The pause between passes (ms); default 5 s. */
  readonly pollMs?: number;
  /** The delay before the first retry (ms), doubled after each failed try; default 30 s. */
  readonly backoffBaseMs?: number;
  /** The longest delay between two tries (ms); default 1 h. */
  readonly backoffMaxMs?: number;
  /** Tries before a mail is given up on; default 10 (about four hours with the defaults). */
  readonly maxAttempts?: number;
  /** How long a claimed mail is this sender's alone (ms); default 2 min, well above the transport's timeouts. */
  readonly leaseMs?: number;
  /** Mails claimed at once in a practice; default 20. */
  readonly batchSize?: number;
  /** The name on this sender's claims; default a random one. */
  readonly id?: string;
}

/** What one pass did. */
export interface SendPass {
  sent: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  readonly id: string;
  readonly attempts: number;
  readonly address: string | null;
  readonly subject: string;
  readonly body: string;
}

type Outcome = { readonly kind: 'sent' } | { readonly kind: 'retry'; readonly error: string; readonly at: number } | { readonly kind: 'failed'; readonly error: string };

const NO_ADDRESS = 'no address: the mail names none and its recipient has no email address';
const ms = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

export class MailSender {
  private readonly id: string;
  private readonly o: Required<Omit<SenderOptions, 'id'>>;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Pick<Store, 'db' | 'within' | 'now'>,
    options: SenderOptions,
  ) {
    this.id = options.id ?? randomUUID();
    this.o = { pollMs: 5_000, backoffBaseMs: 30_000, backoffMaxMs: 3_600_000, maxAttempts: 10, leaseMs: 120_000, batchSize: 20, ...options };
  }

  /** Starts the loop: a pass now, then one `pollMs` after each pass ends. The timer does not hold the process open. */
  start(): this {
    if (this.timer || this.stopped) return this;
    this.o.log.info({ mailTo: this.o.transport.describe }, 'mail sender started');
    const tick = () => {
      this.pass = this.deliverDue()
        .catch((err: unknown) => this.o.log.warn({ err }, 'mail sender: a pass failed; trying again at the next'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.o.pollMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
    return this;
  }

  /** Stops the loop after the mail being sent (the rest of its batch is released to the next pass), and closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    this.o.transport.close();
  }

  /** One pass: every mail due now, practice by practice, a batch at a time. */
  async deliverDue(): Promise<SendPass> {
    const done: SendPass = { sent: 0, retrying: 0, failed: 0 };
    const due = await this.store.db.query<{ practice: string }>(`select chartguard.practices_with_mail_due(${ms('$1')}) as practice`, [this.store.now()]);
    for (const { practice } of due) {
      for (;;) {
        if (this.stopped) return done;
        const batch = await this.claim(practice);
        for (const [i, mail] of batch.entries()) {
          if (this.stopped) {
            await this.release(practice, batch.slice(i));
            return done;
          }
          const outcome = await this.deliver(practice, mail);
          done[outcome.kind === 'retry' ? 'retrying' : outcome.kind]++;
        }
        if (batch.length < this.o.batchSize) break;
      }
    }
    return done;
  }

  /** Claims up to a batch of the practice's due mail for this sender, counting a try on each. */
  private claim(practice: string): Promise<Claimed[]> {
    const now = this.store.now();
    return this.store.within(practice, null, 'system', (tx) =>
      tx.query<Claimed>(
        `with due as (
           select id from chartguard.email_outbox
            where practice_id = $1 and sent_at is null and failed_at is null
              and (next_attempt_at is null or next_attempt_at <= ${ms('$2')})
              and (claimed_until is null or claimed_until <= ${ms('$2')})
            order by id limit $5
              for update skip locked)
         update chartguard.email_outbox o
            set claimed_by = $3, claimed_until = ${ms('$4')}, attempts = o.attempts + 1
           from due
          where o.practice_id = $1 and o.id = due.id
         returning o.id::text as id, o.attempts, o.subject, o.body,
           coalesce(o.to_address, (select m.email from chartguard.members m where m.practice_id = o.practice_id and m.id = o.recipient)) as address`,
        [practice, now, this.id, now + this.o.leaseMs, this.o.batchSize],
      ),
    );
  }

  private async deliver(practice: string, mail: Claimed): Promise<Outcome> {
    const delivery: Delivery = mail.address ? await this.o.transport.send({ to: mail.address, subject: mail.subject, body: mail.body }) : { ok: false, permanent: true, error: NO_ADDRESS };
    const attempts = Number(mail.attempts);
    const now = this.store.now();
    const outcome: Outcome = delivery.ok
      ? { kind: 'sent' }
      : delivery.permanent || attempts >= this.o.maxAttempts
        ? { kind: 'failed', error: delivery.error }
        : { kind: 'retry', error: delivery.error, at: now + Math.min(this.o.backoffBaseMs * 2 ** (attempts - 1), this.o.backoffMaxMs) };
    const kept = await this.record(practice, mail.id, outcome, now);
    const fields = { practice, mail: mail.id, attempts };
    if (!kept) this.o.log.warn(fields, 'mail sender: its claim on a mail had run out and another sender took it (it may be sent twice)');
    else if (outcome.kind === 'sent') this.o.log.info(fields, 'mail sent');
    else if (outcome.kind === 'retry') this.o.log.warn({ ...fields, error: outcome.error, nextAttemptAt: new Date(outcome.at).toISOString() }, 'mail not sent: will try again');
    else this.o.log.error({ ...fields, error: outcome.error }, `mail given up on after ${attempts} ${attempts === 1 ? 'try' : 'tries'}`);
    return outcome;
  }

  /** Writes a try's outcome and ends the claim; false if the claim was no longer this sender's. */
  private async record(practice: string, id: string, outcome: Outcome, now: number): Promise<boolean> {
    const set =
      outcome.kind === 'sent'
        ? { sql: `sent_at = ${ms('$4')}`, params: [now] }
        : outcome.kind === 'retry'
          ? { sql: `last_error = $4, next_attempt_at = ${ms('$5')}`, params: [outcome.error, outcome.at] }
          : { sql: `last_error = $4, failed_at = ${ms('$5')}`, params: [outcome.error, now] };
    const rows = await this.store.within(practice, null, 'system', (tx) =>
      tx.query(
        `update chartguard.email_outbox set ${set.sql}, claimed_by = null, claimed_until = null
          where practice_id = $1 and id = $2::bigint and claimed_by = $3 returning 1`,
        [practice, id, this.id, ...set.params],
      ),
    );
    return rows.length > 0;
  }

  /** Gives back claimed mail not tried (on stop): due again at once, its try not counted. */
  private async release(practice: string, mails: readonly Claimed[]): Promise<void> {
    if (mails.length === 0) return;
    await this.store.within(practice, null, 'system', (tx) =>
      tx.query(
        `update chartguard.email_outbox set claimed_by = null, claimed_until = null, attempts = attempts - 1
          where practice_id = $1 and id = any($2::bigint[]) and claimed_by = $3`,
        [practice, mails.map((m) => m.id), this.id],
      ),
    );
  }
}
