/**
 * ChartGuard's application services: the one path every caller (HTTP API, web app,
 * conformance runner, CLI) takes to the rules and the data.
 *
 * A command runs in one transaction: lock the practice, load the facts it needs (system
 * mode), ask the core, apply the effects and append one activity-log entry. Reads run in
 * member mode, where row-level security already hides every client the member has no
 * access to, and are then filtered by the core's single checks (visibility.ts).
 */
import {
  buildReport,
  canInPractice,
  canManagePayment,
  canOnClient,
  canOnNote,
  canResetPassword,
  canLiftThrottle,
  commandNeeds,
  decide,
  panelRow,
  permissionTarget,
  privacyTab,
  refuse,
  seesActivity,
  seesAppointment,
  seesCharge,
  seesClient,
  seesContact,
  seesInsurancePayment,
  seesMessage,
  seesNote,
  seesNotification,
  seesTask,
  clientAccess,
  explainPath,
  validateRoles,
  type Area,
  type ClientFacts,
  type Command,
  type CommandResult,
  type Context,
  type Decision,
  type NoteKind,
  type PanelRow,
  type Permission,
  type PrivacyTab,
  type Report,
  type ReportName,
  type ReportPageRequest,
  type Role,
  type Team,
} from '../core/index.js';
import { APP_ROLE } from './access-policy.js';
import { ACTIVITY_COLUMNS, appendActivity, toStored, verifyActivityLog, type ActivityEntry, type StoredActivity } from './activity-log.js';
import { openDatabase, type Database, type DatabaseOptions, type Queryable } from './database.js';
import { applyEffect } from './effects.js';
import { clientSnapshot, loadClients, loadNotes, loadRestrictedClients, loadTeam, ms, PracticeNotFound, teamChangeDetail } from './facts.js';
import { FactsCache } from './facts-cache.js';
import { migrate } from './migrate.js';
import { scopedReport } from './report-scope.js';

export type Clock = () => number;

export interface PracticeSpec {
  readonly id: string;
  readonly name?: string;
  readonly clientDirectory?: 'by_role' | 'all_staff';
  readonly members: readonly { id: string; name?: string; roles: readonly Role[] }[];
  readonly supervision?: readonly { supervisor: string; supervisee: string }[];
  readonly clients?: readonly {
    id: string;
    name?: string;
    contact?: string;
    primary: string;
    restricted?: boolean;
    sharedWithAll?: boolean;
    person?: string | null;
  }[];
}

export interface ListItem {
  readonly id: string;
  readonly client: string | null;
  readonly [field: string]: unknown;
}

type Mode = 'system' | 'member';

export class ChartGuard {
  /** The team and client facts single checks read, kept fresh by change notifications. */
  readonly facts: FactsCache;

  private constructor(
    readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.facts = FactsCache.for(db);
  }

  /** Opens (and migrates) the database: PGlite under dataDir, in memory, or DATABASE_URL. */
  static async open(options: DatabaseOptions & { clock?: Clock; migrate?: boolean } = {}): Promise<ChartGuard> {
    const db = await openDatabase(options);
    if (options.migrate !== false) await migrate(db);
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
    await this.db.close();
  }

  /** Runs fn in one transaction as `member` of `practice`, under row-level security. */
  async within<T>(practice: string, member: string | null, mode: Mode, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      // One round trip: the transaction's settings and the switch to the non-owner role
      // (set_config('role', ..., true) is SET LOCAL ROLE).
      await tx.query(
        `select set_config('chartguard.practice_id', $1, true), set_config('chartguard.member_id', $2, true),
                set_config('chartguard.now', $3, true), set_config('chartguard.mode', $4, true),
                set_config('role', $5, true)`,
        [practice, member ?? '', String(now), mode, APP_ROLE],
      );
      return fn(tx);
    });
  }

  // ---------------------------------------------------------------- practices

  /** Creates a practice with its team and clients (an onboarding step, logged like a command). */
  async createPractice(spec: PracticeSpec): Promise<void> {
    const owners = spec.members.filter((m) => m.roles.includes('account_owner'));
    if (owners.length !== 1) throw new InvalidPractice('A practice has exactly one account owner.');
    for (const m of spec.members) {
      const check = validateRoles(m.roles, m.roles.includes('account_owner'));
      if (!check.ok) throw new InvalidPractice(`${m.id}: ${check.reason}`);
    }
    const now = this.clock();
    await this.within(spec.id, null, 'system', async (tx) => {
      await tx.query('insert into chartguard.practices (id, name, client_directory) values ($1, $2, $3)', [spec.id, spec.name ?? spec.id, spec.clientDirectory ?? 'by_role']);
      for (const m of spec.members) {
        await tx.query('insert into chartguard.members (practice_id, id, display_name, roles) values ($1, $2, $3, $4::text[])', [spec.id, m.id, m.name ?? m.id, [...m.roles]]);
      }
      for (const s of spec.supervision ?? []) {
        await tx.query('insert into chartguard.supervisions (practice_id, supervisor, supervisee) values ($1, $2, $3)', [spec.id, s.supervisor, s.supervisee]);
      }
      for (const c of spec.clients ?? []) {
        await tx.query(
          `insert into chartguard.clients (practice_id, id, name, contact, primary_clinician, restricted, shared_with_all, person)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [spec.id, c.id, c.name ?? c.id, c.contact ?? '', c.primary, c.restricted ?? false, c.sharedWithAll ?? false, c.person ?? null],
        );
      }
      await appendActivity(tx, spec.id, now, {
        actor: null,
        action: 'create_practice',
        client: null,
        outcome: 'changed',
        detail: { members: spec.members.map((m) => ({ id: m.id, roles: m.roles })), supervision: spec.supervision ?? [], clientDirectory: spec.clientDirectory ?? 'by_role' },
      });
      // One entry per client, so each is visible only to who may view that client.
      for (const c of spec.clients ?? []) {
        await appendActivity(tx, spec.id, now, {
          actor: null,
          action: 'create_client',
          client: c.id,
          outcome: 'changed',
          detail: { primary: c.primary, restricted: c.restricted ?? false, sharedWithAll: c.sharedWithAll ?? false, person: c.person ?? null },
        });
      }
    });
    this.facts.forget(spec.id);
  }

  async practiceExists(practice: string): Promise<boolean> {
    const rows = await this.db.query('select 1 from chartguard.practices where id = $1', [practice]);
    return rows.length > 0;
  }

  // ----------------------------------------------------------------- commands

  /** Decides and applies one command as `actor`, in one transaction with its log entry. */
  async execute(practice: string, actor: string, command: Command): Promise<CommandResult> {
    const result = await this.decideAndApply(practice, actor, command);
    // Committed: this process reads its own change from here on (others on notification).
    if (result.ok && result.effects.length > 0) this.facts.forget(practice);
    return result;
  }

  private async decideAndApply(practice: string, actor: string, command: Command): Promise<CommandResult> {
    const now = this.clock();
    return this.within(practice, actor, 'system', async (tx) => {
      // Commands of one practice are serialized: the lock is the log's head.
      const locked = await tx.query('select 1 from chartguard.practices where id = $1 for update', [practice]);
      if (locked.length === 0) throw new PracticeNotFound(practice);
      const team = await loadTeam(tx, practice);
      const needs = commandNeeds(command);
      const notes = await loadNotes(tx, practice, needs.notes);
      const clientIds = [...needs.clients, ...[...notes.values()].map((n) => n.client)];
      const clients = await loadClients(tx, practice, clientIds);
      const primaryCounts = new Map<string, number>();
      for (const m of needs.primaryCountsOf) {
        const [row] = await tx.query<{ n: number }>('select count(*)::int as n from chartguard.clients where practice_id = $1 and primary_clinician = $2', [practice, m]);
        primaryCounts.set(m, row?.n ?? 0);
      }
      const existingIds = new Set<string>();
      const table = NEW_ID_TABLE[command.type];
      if (table && needs.newIds.length > 0) {
        const rows = await tx.query<{ id: string }>(`select id from chartguard.${table} where practice_id = $1 and id = any($2::text[])`, [practice, needs.newIds]);
        for (const r of rows) existingIds.add(r.id);
      }
      const restricted = needs.restricted ? await loadRestrictedClients(tx, practice) : undefined;
      const ctx: Context = { team, now };
      const result = decide({ ctx, actor, facts: { clients, notes, primaryCounts, existingIds, ...(restricted ? { restricted } : {}) } }, command);
      if (!result.ok) return result;
      for (const effect of result.effects) await applyEffect(tx, practice, now, effect);
      const client = result.client;
      const after = client && needs.clients.includes(client) ? (await loadClients(tx, practice, [client])).get(client) : undefined;
      await appendActivity(tx, practice, now, {
        actor,
        action: command.type,
        client,
        clients: result.clients,
        outcome: result.effects.length > 0 ? 'changed' : 'unchanged',
        detail: {
          command: commandForLog(command),
          summary: result.summary,
          effects: result.effects.map(withoutFreeText),
          ...teamChangeDetail(team, result.effects),
          ...(result.opened ? { opened: result.opened } : {}),
          ...(client && clients.has(client) ? { before: clientSnapshot(clients.get(client)), after: clientSnapshot(after) } : {}),
        },
      });
      return result;
    });
  }

  // ------------------------------------------------------------------- checks

  /**
   * A single check with its reasons. It reads the cached facts (no transaction: a check
   * writes nothing), so an authorized read of a warm practice makes no round trip.
   */
  async check(practice: string, member: string, permission: Permission, target: { client?: string; note?: string; payment?: string } = {}): Promise<Decision> {
    const ctx = await this.cachedContext(practice);
    switch (permissionTarget(permission)) {
      case 'practice':
        return canInPractice(ctx, member, permission as never);
      case 'client': {
        const client = target.client ? await this.facts.client(practice, target.client) : undefined;
        if (!client) return refuse('not_found', 'No such client.');
        return canOnClient(ctx, member, permission as never, client);
      }
      case 'note': {
        const note = target.note ? (await loadNotes(this.db, practice, [target.note])).get(target.note) : undefined;
        if (!note) return refuse('not_found', 'No such note.');
        const client = (await this.facts.client(practice, note.client))!;
        return canOnNote(ctx, member, permission as never, note, client);
      }
      case 'payment': {
        const covers = target.payment
          ? await this.db.query<{ client_id: string }>('select client_id from chartguard.insurance_payment_clients where practice_id = $1 and payment_id = $2', [practice, target.payment])
          : [];
        if (covers.length === 0) return refuse('not_found', 'No such insurance payment.');
        const clients = await this.facts.clients(practice, covers.map((c) => c.client_id));
        return canManagePayment(ctx, member, [...clients.values()]);
      }
    }
  }

  /** Whether `actor` may reset `member`'s password (004), as a decision. */
  async checkPasswordReset(practice: string, actor: string, member: string): Promise<Decision> {
    return this.within(practice, actor, 'system', async (tx) =>
      canResetPassword(await this.context(tx, practice), actor, member, (await loadRestrictedClients(tx, practice)).values()),
    );
  }

  async checkThrottleLift(practice: string, actor: string, member: string): Promise<Decision> {
    return this.within(practice, actor, 'system', async (tx) => canLiftThrottle(await this.context(tx, practice), actor, member));
  }

  /** The access panel row `viewer` sees for `member` on a client. */
  async panel(practice: string, viewer: string, client: string, member: string): Promise<PanelRow | null> {
    const ctx = await this.cachedContext(practice);
    const c = await this.facts.client(practice, client);
    if (!c || !ctx.team.members.has(member)) return null;
    return panelRow(ctx, viewer, c, member);
  }

  /** The whole Privacy tab; null when the client does not exist or the viewer may not see it. */
  async privacyTab(practice: string, viewer: string, client: string): Promise<PrivacyTab | null> {
    const ctx = await this.cachedContext(practice);
    const c = await this.facts.client(practice, client);
    if (!c || !seesClient(ctx, viewer, c)) return null;
    return privacyTab(ctx, viewer, c);
  }

  /** "Who can access this client, and why": every member with any access, with its reasons. */
  async whoCanAccess(practice: string, viewer: string, client: string) {
    const ctx = await this.cachedContext(practice);
    const c = await this.facts.client(practice, client);
    if (!c || !seesClient(ctx, viewer, c)) return null;
    const rows = [];
    for (const member of [...ctx.team.members.keys()].sort()) {
      const a = clientAccess(ctx, member, c);
      if (!a.clinical && !a.administrative) continue;
      rows.push({
        member,
        roles: ctx.team.members.get(member)!.roles,
        clinical: a.clinical ? explainPath('clinical', a.clinical) : null,
        administrative: a.administrative ? explainPath('administrative', a.administrative) : null,
      });
    }
    return { client, restricted: c.restricted, members: rows };
  }

  /** "What can this member access, and why": every client the member may view, with its reasons. */
  async whatCanAccess(practice: string, viewer: string, member: string) {
    const team = await this.facts.team(practice);
    if (!team.members.has(member)) return null;
    const self = viewer === member;
    const admin = canInPractice({ team, now: this.clock() }, viewer, 'team.manage').allowed || canInPractice({ team, now: this.clock() }, viewer, 'activity_log.view').allowed;
    if (!self && !admin) return undefined;
    // Read as the member (their own row-level view), limited to what the viewer may see too.
    const mine = await this.within(practice, member, 'member', async (tx) => {
      const ctx = await this.context(tx, practice);
      const clients = await loadClients(tx, practice, null);
      return [...clients.values()].map((c) => ({ c, a: clientAccess(ctx, member, c) })).filter((x) => x.a.clinical || x.a.administrative);
    });
    const visibleToViewer = self ? null : new Set((await this.list(practice, viewer, 'clients')).map((i) => i.id));
    return mine
      .filter((x) => visibleToViewer === null || visibleToViewer.has(x.c.id))
      .sort((x, y) => x.c.id.localeCompare(y.c.id))
      .map(({ c, a }) => ({
        client: c.id,
        clinical: a.clinical ? explainPath('clinical', a.clinical) : null,
        administrative: a.administrative ? explainPath('administrative', a.administrative) : null,
      }));
  }

  // -------------------------------------------------------------------- lists

  /** What `member` sees in an area: rows under row-level security, filtered by the core's single checks. */
  async list(practice: string, member: string, area: Area): Promise<ListItem[]> {
    if (area === 'directory') return this.directory(practice, member);
    return this.within(practice, member, 'member', async (tx) => {
      const ctx = await this.context(tx, practice);
      const P = [practice];
      const facts = async (ids: Iterable<string>) => loadClients(tx, practice, [...new Set(ids)]);
      switch (area) {
        case 'clients': {
          const rows = await tx.query<{ id: string; name: string; primary_clinician: string; restricted: boolean }>(
            'select id, name, primary_clinician, restricted from chartguard.clients where practice_id = $1 order by name, id',
            P,
          );
          const f = await facts(rows.map((r) => r.id));
          return rows
            .filter((r) => f.has(r.id) && seesClient(ctx, member, f.get(r.id)!))
            .map((r) => {
              const a = clientAccess(ctx, member, f.get(r.id)!);
              return { id: r.id, client: r.id, name: r.name, primary: r.primary_clinician, restricted: r.restricted, access: a.clinical ? 'clinical' : 'administrative' };
            });
        }
        case 'calendar': {
          const rows = await tx.query<{ id: string; client_id: string; clinician: string; fee: number; starts_at: number }>(
            `select id, client_id, clinician, fee::float8 as fee, ${ms('starts_at')} as starts_at from chartguard.appointments where practice_id = $1 order by starts_at, id`,
            P,
          );
          const f = await facts(rows.map((r) => r.client_id));
          return rows
            .filter((r) => f.has(r.client_id) && seesAppointment(ctx, member, { id: r.id, client: r.client_id, clinician: r.clinician }, f.get(r.client_id)!))
            .map((r) => ({ id: r.id, client: r.client_id, clinician: r.clinician, startsAt: Number(r.starts_at) }));
        }
        case 'billing': {
          const rows = await tx.query<{ id: string; client_id: string; clinician: string; fee: number; starts_at: number }>(
            `select id, client_id, clinician, fee::float8 as fee, ${ms('starts_at')} as starts_at from chartguard.appointments where practice_id = $1 order by starts_at, id`,
            P,
          );
          const f = await facts(rows.map((r) => r.client_id));
          return rows
            .filter((r) => f.has(r.client_id) && seesCharge(ctx, member, f.get(r.client_id)!))
            .map((r) => ({ id: r.id, client: r.client_id, clinician: r.clinician, amount: Number(r.fee), at: Number(r.starts_at) }));
        }
        case 'insurance_payments': {
          const rows = await tx.query<{ id: string; amount: number; covers: string[] }>(
            `select p.id, p.amount::float8 as amount, array(select c.client_id from chartguard.insurance_payment_clients c
                     where c.practice_id = p.practice_id and c.payment_id = p.id order by c.client_id) as covers
               from chartguard.insurance_payments p where p.practice_id = $1 order by p.id`,
            P,
          );
          const f = await facts(rows.flatMap((r) => r.covers));
          return rows
            .filter((r) => r.covers.length > 0 && r.covers.every((c) => f.has(c)) && seesInsurancePayment(ctx, member, r.covers.map((c) => f.get(c)!)))
            .map((r) => ({ id: r.id, client: null, amount: Number(r.amount), covers: r.covers }));
        }
        case 'messages': {
          const rows = await tx.query<{ id: string; client_id: string; author: string; body: string; created_at: number }>(
            `select id, client_id, author, body, ${ms('created_at')} as created_at from chartguard.messages where practice_id = $1 order by created_at, id`,
            P,
          );
          const f = await facts(rows.map((r) => r.client_id));
          return rows
            .filter((r) => f.has(r.client_id) && seesMessage(ctx, member, f.get(r.client_id)!))
            .map((r) => ({ id: r.id, client: r.client_id, author: r.author, body: r.body, at: Number(r.created_at) }));
        }
        case 'tasks': {
          const rows = await tx.query<{ id: string; client_id: string; assignee: string; creator: string; title: string }>(
            'select id, client_id, assignee, creator, title from chartguard.tasks where practice_id = $1 order by created_at, id',
            P,
          );
          const f = await facts(rows.map((r) => r.client_id));
          return rows
            .filter((r) => f.has(r.client_id) && seesTask(ctx, member, { id: r.id, client: r.client_id, assignee: r.assignee, creator: r.creator }, f.get(r.client_id)!))
            .map((r) => ({ id: r.id, client: r.client_id, assignee: r.assignee, creator: r.creator, title: r.title }));
        }
        case 'notes': {
          const rows = await tx.query<{ id: string; client_id: string; author: string; kind: NoteKind; body: string; signed: boolean; cosigned: boolean; cosigned_by: string | null; created_at: number }>(
            `select id, client_id, author, kind, body, signed_at is not null as signed, cosigned_at is not null as cosigned, cosigned_by, ${ms('created_at')} as created_at
               from chartguard.notes where practice_id = $1 and deleted_at is null order by created_at, id`,
            P,
          );
          // A supervisor's rows include supervisees' notes on clients they cannot see (002): the
          // core decides on those clients' facts, read in system mode for the rows already let through.
          await tx.query(`select set_config('chartguard.mode', 'system', true)`);
          const f = await facts(rows.map((r) => r.client_id));
          await tx.query(`select set_config('chartguard.mode', 'member', true)`);
          return rows
            .filter((r) => f.has(r.client_id) && seesNote(ctx, member, { id: r.id, client: r.client_id, author: r.author, kind: r.kind, signed: r.signed, cosigned: r.cosigned, deleted: false }, f.get(r.client_id)!))
            .map((r) => ({ id: r.id, client: r.client_id, author: r.author, kind: r.kind, body: r.body, signed: r.signed, cosigned: r.cosigned, cosignedBy: r.cosigned_by, at: Number(r.created_at) }));
        }
        case 'activity_log': {
          const rows = (await tx.query<Parameters<typeof toStored>[0]>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log where practice_id = $1 order by seq`, P)).map(toStored);
          const f = await facts(rows.flatMap((r) => r.clients));
          return rows
            .filter((r) => seesActivity(ctx, member, r, r.clients.flatMap((c) => (f.has(c) ? [f.get(c)!] : []))))
            .map((r) => ({ ...activityItem(r) }));
        }
        case 'notifications': {
          const rows = await tx.query<{ id: string | number; recipient: string; event: string; client_id: string | null; created_at: number; read_at: number | null }>(
            `select id, recipient, event, client_id, ${ms('created_at')} as created_at from chartguard.notifications where practice_id = $1 order by id`,
            P,
          );
          const f = await facts(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])));
          return rows
            .filter((r) => (r.client_id === null || f.has(r.client_id)) && seesNotification(ctx, member, r.recipient, r.client_id ? f.get(r.client_id)! : null))
            .map((r) => ({ id: String(r.id), client: r.client_id, event: r.event, at: Number(r.created_at) }));
        }
      }
    });
  }

  /** 004: the all-staff client directory: names and contact details, restricted clients left out. */
  private async directory(practice: string, member: string): Promise<ListItem[]> {
    return this.within(practice, member, 'system', async (tx) => {
      const ctx = await this.context(tx, practice);
      const clients = await loadClients(tx, practice, null);
      const rows = await tx.query<{ id: string; name: string; contact: string }>('select id, name, contact from chartguard.clients where practice_id = $1 order by name, id', [practice]);
      return rows.filter((r) => seesContact(ctx, member, clients.get(r.id)!)).map((r) => ({ id: r.id, client: r.id, name: r.name, contact: r.contact }));
    });
  }

  // ------------------------------------------------------------------ reports

  /**
   * One page of a report with its totals over all rows (report-scope.ts: the viewer's charge
   * scope over the per-client income table). What the API and the conformance runner serve.
   */
  async report(practice: string, member: string, name: ReportName, page: ReportPageRequest = {}): Promise<{ ok: true; report: Report } | { ok: false; decision: Decision }> {
    return scopedReport(this, practice, member, name, page);
  }

  /**
   * The same page, the reference way: every appointment and payment summed under row-level
   * security and each row let through by the core's filter; income allocation's total over
   * every client. Slow at scale; the proofs compare report() with it.
   */
  async reportByRows(practice: string, member: string, name: ReportName, page: ReportPageRequest = {}): Promise<{ ok: true; report: Report } | { ok: false; decision: Decision }> {
    const rows = await this.within(practice, member, 'member', async (tx) => {
      const ctx = await this.context(tx, practice);
      const amounts = await tx.query<{ client_id: string; amount: number }>(AMOUNTS_SQL, [practice]);
      const f = await loadClients(tx, practice, amounts.map((a) => a.client_id));
      return { ctx, amounts: amounts.filter((a) => f.has(a.client_id)).map((a) => ({ client: f.get(a.client_id)!, amount: Number(a.amount) })) };
    });
    // 001: the income allocation's total includes restricted clients, whoever views it; the
    // count says how many clients the rows leave out (a number, naming none of them).
    const whole = await this.within(practice, member, 'system', async (tx) => {
      const [r] = await tx.query<{ total: number; clients: number }>(
        `select coalesce(sum(amount), 0)::float8 as total, count(*)::int as clients from (${AMOUNTS_SQL}) t`,
        [practice],
      );
      return { total: Number(r?.total ?? 0), clients: Number(r?.clients ?? 0) };
    });
    return buildReport(rows.ctx, member, name, rows.amounts, whole, page);
  }

  // -------------------------------------------------------------------- state

  async clientState(practice: string, client: string): Promise<ClientFacts | null> {
    return this.within(practice, null, 'system', async (tx) => (await loadClients(tx, practice, [client])).get(client) ?? null);
  }

  async noteState(practice: string, note: string) {
    return this.within(practice, null, 'system', async (tx) => {
      const [r] = await tx.query<{ author: string; signed: boolean; cosigned: boolean; deleted: boolean; client_id: string; kind: NoteKind }>(
        'select author, client_id, kind, signed_at is not null as signed, cosigned_at is not null as cosigned, deleted_at is not null as deleted from chartguard.notes where practice_id = $1 and id = $2',
        [practice, note],
      );
      return r ? { exists: !r.deleted, author: r.author, signed: r.signed, cosigned: r.cosigned, client: r.client_id, kind: r.kind } : { exists: false };
    });
  }

  async team(practice: string): Promise<Team> {
    return this.facts.team(practice);
  }

  /** Appends an entry that is not a command (sign-ins, audited reads). */
  async audit(practice: string, entry: ActivityEntry): Promise<void> {
    const now = this.clock();
    await this.within(practice, entry.actor, 'system', (tx) => appendActivity(tx, practice, now, entry).then(() => undefined));
  }

  async verifyLog(practice: string) {
    return this.within(practice, null, 'system', (tx) => verifyActivityLog(tx, practice));
  }

  async activity(practice: string): Promise<StoredActivity[]> {
    return this.within(practice, null, 'system', async (tx) =>
      (await tx.query<Parameters<typeof toStored>[0]>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log where practice_id = $1 order by seq`, [practice])).map(toStored),
    );
  }

  /** The cached team and the clock, for a system-mode read outside any transaction (it writes nothing). */
  private async cachedContext(practice: string): Promise<Context> {
    return { team: await this.facts.team(practice), now: this.clock() };
  }

  /** The team (cached) and the clock, for a read inside `tx`. */
  private async context(tx: Queryable, practice: string): Promise<Context> {
    return { team: await this.facts.team(practice, tx), now: this.clock() };
  }
}

export class InvalidPractice extends Error {}

const NEW_ID_TABLE: Partial<Record<Command['type'], string>> = {
  create_client: 'clients',
  write_note: 'notes',
  schedule_appointment: 'appointments',
  record_insurance_payment: 'insurance_payments',
  send_message: 'messages',
  create_task: 'tasks',
};

/** Per-client income: appointment fees plus shares of insurance payments (READING.md: a fee is a charge). */
const AMOUNTS_SQL = `
  select client_id, sum(amount)::float8 as amount from (
    select client_id, fee as amount from chartguard.appointments where practice_id = $1
    union all
    select client_id, share as amount from chartguard.insurance_payment_clients where practice_id = $1
  ) x group by client_id`;

function activityItem(r: StoredActivity): ListItem {
  return { id: String(r.seq), client: r.client, seq: r.seq, at: r.at, actor: r.actor, action: r.action, outcome: r.outcome, detail: r.detail };
}

/** The command as logged: free text (note and message bodies) stays out of the log. */
function commandForLog(command: Command): Record<string, unknown> {
  return withoutFreeText(command);
}

function withoutFreeText(record: object): Record<string, unknown> {
  const { ...rest } = record as Record<string, unknown>;
  delete rest.body;
  return rest;
}
