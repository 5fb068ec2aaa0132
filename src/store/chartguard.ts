/**
 * ChartGuard's application services: the one path every caller (HTTP API, web app,
 * conformance runner, CLI) takes to the rules and the data. A facade: each use case lives
 * in its concept's folder (commands/, reads/), and takes the `Store` this class implements.
 *
 * A command runs in one transaction: lock the practice, load the facts it needs (system
 * mode), ask the core, apply the effects and append one activity-log entry. Reads run in
 * member mode, where row-level security already hides every client the member has no
 * access to, and are then filtered by the core's single checks (visibility.ts).
 */
import type { Area, ClientFacts, Command, CommandResult, Decision, PanelRow, Permission, PrivacyTab, ReportName, ReportPageRequest, Result, Team } from '../core/index.js';
import { ActivityAppender } from './commands/activity-appender.js';
import { verifyActivityLog, type ActivityEntry, type StoredActivity } from './commands/activity-log.js';
import { createPractice, type PracticeSpec } from './commands/create-practice.js';
import { execute } from './commands/execute.js';
import type { Mode, Store } from './context.js';
import { APP_ROLE } from './db/access-policy.js';
import { openDatabase, type Database, type DatabaseOptions, type Queryable } from './db/database.js';
import { ensureLogMonths } from './db/log-partitions.js';
import { migrate } from './db/migrate.js';
import { FactsCache } from './facts/facts-cache.js';
import { check, checkPasswordReset, checkThrottleLift, panel, privacyTabOf, whoCanAccess } from './reads/access.js';
import { memberAccessPage, type IdCursor } from './reads/reach-pages.js';
import type { ListItem } from './reads/area.js';
import { activity } from './reads/audit.js';
import { claimState } from './reads/claims.js';
import { clientState } from './reads/clients.js';
import { list } from './reads/list.js';
import { noteState, openNote, type OpenedNote } from './reads/notes.js';
import { scopedReport, type ReportAnswer } from './reads/report-scope.js';
import { reportByRows } from './reads/reports.js';

export type { ListItem } from './reads/area.js';
export type { OpenedNote } from './reads/notes.js';
export { InvalidPractice, type PracticeSpec } from './commands/create-practice.js';

export type Clock = () => number;

/** A string as an SQL literal (standard_conforming_strings: only the quote is doubled; a NUL is refused). */
function literal(value: string): string {
  if (value.includes('\0')) throw new TypeError('a setting cannot hold a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

export class ChartGuard implements Store {
  /** The team and client facts single checks read, kept fresh by change notifications. */
  readonly facts: FactsCache;
  /** Audited reads and sign-ins, chained in batches (commands append their own entry). */
  private readonly appender = new ActivityAppender(this);

  private constructor(
    readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.facts = FactsCache.for(db);
  }

  /** Opens (and migrates) the database: PGlite under dataDir, in memory, or DATABASE_URL. */
  static async open(options: DatabaseOptions & { clock?: Clock; migrate?: boolean } = {}): Promise<ChartGuard> {
    const db = await openDatabase(options);
    if (options.migrate !== false) {
      await migrate(db);
      await ensureLogMonths(db);
    }
    return new ChartGuard(db, options.clock ?? Date.now);
  }

  /** Wraps an already open, migrated database (tests share one per worker). */
  static over(db: Database, clock: Clock = Date.now): ChartGuard {
    return new ChartGuard(db, clock);
  }

  now(): number {
    return this.clock();
  }

  async close(): Promise<void> {
    await this.appender.drain();
    await this.db.close();
  }

  /** Runs fn in one transaction as `member` of `practice`, under row-level security. */
  async within<T>(practice: string, member: string | null, mode: Mode, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // The transaction's settings and the switch to the non-owner role (set_config('role',
    // ..., true) is SET LOCAL ROLE), sent with BEGIN in one round trip: as literals, since a
    // statement sent with BEGIN takes no parameters.
    return this.db.transaction(fn, this.settings(practice, member, mode));
  }

  /**
   * One read statement as `member`, under row-level security, in one round trip: its
   * parameters ($1, $2, ...: strings) are sent as literals with the transaction's settings.
   */
  async readOnce<T>(practice: string, member: string | null, mode: Mode, sql: string, params: readonly string[]): Promise<T[]> {
    const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
      const value = params[Number(n) - 1];
      if (value === undefined) throw new TypeError(`no parameter $${n}`);
      return literal(value);
    });
    return this.db.readOnce<T>(this.settings(practice, member, mode), text);
  }

  private settings(practice: string, member: string | null, mode: Mode): string {
    return `select set_config('chartguard.practice_id', ${literal(practice)}, true), set_config('chartguard.member_id', ${literal(member ?? '')}, true),
              set_config('chartguard.now', ${literal(String(this.clock()))}, true), set_config('chartguard.mode', ${literal(mode)}, true),
              set_config('role', ${literal(APP_ROLE)}, true)`;
  }


  // ---------------------------------------------------------------- practices

  /** Creates a practice with its team and clients (an onboarding step, logged like a command). */
  async createPractice(spec: PracticeSpec): Promise<void> {
    return createPractice(this, spec);
  }

  async practiceExists(practice: string): Promise<boolean> {
    const rows = await this.db.query('select 1 from chartguard.practices where id = $1', [practice]);
    return rows.length > 0;
  }

  // ----------------------------------------------------------------- commands (commands/)

  /** Decides and applies one command as `actor`, in one transaction with its log entry. */
  async execute(practice: string, actor: string | null, command: Command): Promise<CommandResult> {
    return execute(this, practice, actor, command);
  }

  /**
   * Appends an entry that is not a command (sign-ins, audited reads), in the practice's next
   * batch; resolves once it is committed.
   */
  async audit(practice: string, entry: ActivityEntry): Promise<void> {
    await this.appender.append(practice, this.clock(), entry);
  }

  async verifyLog(practice: string) {
    return this.within(practice, null, 'system', (tx) => verifyActivityLog(tx, practice));
  }

  // ------------------------------------------------------------------- checks (reads/access.ts)

  /**
   * A single check with its reasons. It reads the cached facts (no transaction: a check
   * writes nothing), so an authorized read of a warm practice makes no round trip.
   */
  async check(practice: string, member: string, permission: Permission, target: { client?: string; note?: string; payment?: string } = {}): Promise<Decision> {
    return check(this, practice, member, permission, target);
  }

  /** Whether `actor` may reset `member`'s password (004), as a decision. */
  async checkPasswordReset(practice: string, actor: string, member: string): Promise<Decision> {
    return checkPasswordReset(this, practice, actor, member);
  }

  /** Whether `actor` may lift `member`'s sign-in throttle, as a decision. */
  async checkThrottleLift(practice: string, actor: string, member: string): Promise<Decision> {
    return checkThrottleLift(this, practice, actor, member);
  }

  /** The access panel row `viewer` sees for `member` on a client. */
  async panel(practice: string, viewer: string, client: string, member: string): Promise<PanelRow | null> {
    return panel(this, practice, viewer, client, member);
  }

  /** The whole Privacy tab; null when the client does not exist or the viewer may not see it. */
  async privacyTab(practice: string, viewer: string, client: string): Promise<PrivacyTab | null> {
    return privacyTabOf(this, practice, viewer, client);
  }

  /** "Who can access this client, and why": every member with any access, with its reasons. */
  async whoCanAccess(practice: string, viewer: string, client: string) {
    return whoCanAccess(this, practice, viewer, client);
  }

  /**
   * "What can this member access, and why": a page by id of the clients the member may
   * view that the viewer may view too, with the core's reasons (reads/reach-pages.ts).
   */
  async whatCanAccess(practice: string, viewer: string, member: string, options: { readonly limit?: number; readonly after?: IdCursor | null } = {}) {
    return memberAccessPage(this, practice, viewer, member, options);
  }

  // -------------------------------------------------------------------- reads (reads/)

  /** What `member` sees in an area: rows under row-level security, filtered by the core's single checks. */
  async list(practice: string, member: string, area: Area): Promise<ListItem[]> {
    return list(this, practice, member, area);
  }

  /** One note as `member` opens it: one transaction, the audited read, the member's decisions on it. */
  async openNote(practice: string, member: string, note: string): Promise<Result<{ note: OpenedNote }>> {
    return openNote(this, practice, member, note);
  }

  /**
   * One page of a report with its totals over all rows (report-scope.ts: the viewer's charge
   * scope over the per-client income table). What the API and the conformance runner serve.
   */
  async report(practice: string, member: string, name: ReportName, page: ReportPageRequest = {}): Promise<ReportAnswer> {
    return scopedReport(this, practice, member, name, page);
  }

  /**
   * The same page, the reference way: every appointment and payment summed under row-level
   * security and each row let through by the core's filter; income allocation's total over
   * every client. Slow at scale; the proofs compare report() with it.
   */
  async reportByRows(practice: string, member: string, name: ReportName, page: ReportPageRequest = {}): Promise<ReportAnswer> {
    return reportByRows(this, practice, member, name, page);
  }

  // -------------------------------------------------------------------- state

  async clientState(practice: string, client: string): Promise<ClientFacts | null> {
    return clientState(this, practice, client);
  }

  async noteState(practice: string, note: string) {
    return noteState(this, practice, note);
  }

  /** A claim as stored (reads/claims.ts), or null. */
  async claimState(practice: string, claim: string) {
    return claimState(this, practice, claim);
  }

  async team(practice: string): Promise<Team> {
    return this.facts.team(practice);
  }

  async activity(practice: string): Promise<StoredActivity[]> {
    return activity(this, practice);
  }
}
