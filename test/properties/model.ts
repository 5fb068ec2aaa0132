/**
 * The core run in memory: a practice as plain data, commands decided by src/core's
 * decide() over all of it, effects applied to maps. No SQL. It gives the property tests
 * volume (thousands of sequences a second) and a reference the store must agree with:
 * the same command on the same facts must get the same answer from the database, which
 * loads only the facts commandNeeds() names.
 */
import {
  decide,
  decidePublic,
  makeTeam,
  type ClientFacts,
  type ClinicalGrant,
  type Command,
  type CommandResult,
  type Context,
  type Effect,
  type NoteFacts,
  type Role,
  type SettingsFacts,
  type Team,
  type AppointmentFacts,
  type ClaimableAppointment,
  type TaskFacts,
} from '../../src/core/index.js';
import type { PracticeShape } from '../support/generators.js';
import type { PracticeRows } from './invariants.js';

interface MutableClient {
  id: string;
  primary: string;
  restricted: boolean;
  sharedWithAll: boolean;
  person: string | null;
  grants: Map<string, ClinicalGrant>;
  administrativeRevoked: Set<string>;
}

export class Model {
  now: number;
  clientDirectory: 'by_role' | 'all_staff';
  readonly roles = new Map<string, readonly Role[]>();
  /** Deactivated members (their roles stay in `roles`). */
  readonly inactive = new Set<string>();
  /** "supervisor supervisee" */
  readonly supervision = new Set<string>();
  readonly clients = new Map<string, MutableClient>();
  readonly notes = new Map<string, NoteFacts>();
  readonly appointments = new Map<string, AppointmentFacts & { fee: number; billAs: string | null }>();
  readonly payments = new Map<string, { id: string; covers: readonly string[]; amount: number }>();
  readonly messages = new Map<string, { id: string; client: string; author: string }>();
  readonly tasks = new Map<string, TaskFacts>();
  readonly claims = new Map<string, { id: string; appointment: string; client: string; rendering: string; amount: number }>();
  readonly notifications: { recipient: string; client: string | null }[] = [];
  /** The activity log: the practice's creation, then one entry per successful command. */
  readonly log: { actor: string | null; action: string; client: string | null; clients: readonly string[] }[] = [];
  private teamCache: Team | null = null;

  constructor(shape: PracticeShape, now: number) {
    this.now = now;
    this.clientDirectory = shape.clientDirectory ?? 'by_role';
    for (const m of shape.members) this.roles.set(m.id, m.roles);
    for (const s of shape.supervision) this.supervision.add(`${s.supervisor} ${s.supervisee}`);
    for (const c of shape.clients) {
      this.clients.set(c.id, { ...c, grants: new Map(), administrativeRevoked: new Set() });
    }
    // As ChartGuard.createPractice logs it: the practice, then each client on its own.
    this.log.push({ actor: null, action: 'create_practice', client: null, clients: [] });
    for (const c of shape.clients) this.log.push({ actor: null, action: 'create_client', client: c.id, clients: [c.id] });
  }

  team(): Team {
    this.teamCache ??= makeTeam({
      members: [...this.roles].map(([id, roles]) => (this.inactive.has(id) ? { id, roles, active: false } : { id, roles })),
      supervision: [...this.supervision].map((s) => {
        const [supervisor, supervisee] = s.split(' ') as [string, string];
        return { supervisor, supervisee };
      }),
      settings: { clientDirectory: this.clientDirectory },
    });
    return this.teamCache;
  }

  ctx(): Context {
    return { team: this.team(), now: this.now };
  }

  client(id: string): ClientFacts | undefined {
    return this.clients.get(id);
  }

  clientFacts(): ClientFacts[] {
    return [...this.clients.values()];
  }

  /** Every row an area lists, as src/store would load it (notes not deleted). */
  rows(): PracticeRows {
    return {
      clients: this.clients,
      appointments: [...this.appointments.values()],
      payments: [...this.payments.values()],
      messages: [...this.messages.values()],
      tasks: [...this.tasks.values()],
      notes: [...this.notes.values()].filter((n) => !n.deleted),
      activity: this.log.map((e, i) => ({ id: String(i + 1), actor: e.actor, clients: e.clients })),
      notifications: this.notifications.map((n, i) => ({ id: String(i + 1), recipient: n.recipient, client: n.client })),
    };
  }

  /** The practice's settings as the store loads them (only the client directory changes here). */
  settings(): SettingsFacts {
    return { name: 'Property practice', timeZone: 'UTC', clientDirectory: this.clientDirectory, idleLogoffMinutes: null, requireSecondFactor: false };
  }

  /** Decides the command over every fact of the practice and applies its effects. */
  execute(actor: string | null, command: Command): CommandResult {
    const primaryCounts = new Map<string, number>();
    for (const c of this.clients.values()) primaryCounts.set(c.primary, (primaryCounts.get(c.primary) ?? 0) + 1);
    const existingIds = new Set<string>(this.idsFor(command));
    const facts = { clients: this.clients, notes: this.notes, primaryCounts, existingIds, settings: this.settings(), appointments: this.claimable() };
    const result = actor === null ? decidePublic({ ctx: this.ctx(), facts }, command) : decide({ ctx: this.ctx(), actor, facts }, command);
    if (!result.ok) return result;
    for (const e of result.effects) this.apply(e);
    this.log.push({ actor, action: command.type, client: result.client, clients: result.clients });
    return result;
  }

  /** Appointments as a claim reads them (src/store/facts/appointments.ts). */
  private claimable(): Map<string, ClaimableAppointment> {
    const claimed = new Set([...this.claims.values()].map((k) => k.appointment));
    return new Map([...this.appointments].map(([id, a]) => [id, { ...a, cancelled: false, claimed: claimed.has(id) }]));
  }

  private idsFor(command: Command): Iterable<string> {
    switch (command.type) {
      case 'add_member':
        return this.roles.keys();
      case 'create_client':
        return this.clients.keys();
      case 'write_note':
        return this.notes.keys();
      case 'schedule_appointment':
        return this.appointments.keys();
      case 'submit_claim':
        return this.claims.keys();
      case 'record_insurance_payment':
        return this.payments.keys();
      case 'send_message':
        return this.messages.keys();
      case 'create_task':
        return this.tasks.keys();
      default:
        return [];
    }
  }

  /** Mirrors src/store/commands/effects.ts. */
  private apply(e: Effect): void {
    const c = 'client' in e && typeof e.client === 'string' ? this.clients.get(e.client) : undefined;
    switch (e.kind) {
      case 'put_clinical_grant':
        c!.grants.set(e.member, { expiresAt: e.expiresAt });
        return;
      case 'delete_clinical_grant':
        c!.grants.delete(e.member);
        return;
      case 'revoke_administrative':
        c!.administrativeRevoked.add(e.member);
        return;
      case 'restore_administrative':
        c!.administrativeRevoked.delete(e.member);
        return;
      case 'clear_administrative_revocations':
        c!.administrativeRevoked.clear();
        return;
      case 'set_primary':
        c!.primary = e.member;
        return;
      case 'set_restricted':
        c!.restricted = e.restricted;
        return;
      case 'set_shared_with_all':
        c!.sharedWithAll = e.on;
        return;
      case 'set_roles':
        this.roles.set(e.member, [...e.roles]);
        this.teamCache = null;
        return;
      case 'add_member':
        this.roles.set(e.member, [...e.roles]);
        this.teamCache = null;
        return;
      case 'set_member_details':
        return;
      case 'set_member_active':
        if (e.active) this.inactive.delete(e.member);
        else this.inactive.add(e.member);
        this.teamCache = null;
        return;
      case 'delete_member_grants':
        for (const cl of this.clients.values()) cl.grants.delete(e.member);
        return;
      case 'add_supervision':
        this.supervision.add(`${e.supervisor} ${e.supervisee}`);
        this.teamCache = null;
        return;
      case 'end_supervision':
        this.supervision.delete(`${e.supervisor} ${e.supervisee}`);
        this.teamCache = null;
        return;
      case 'notify':
        this.notifications.push({ recipient: e.member, client: e.client });
        return;
      case 'create_client':
        this.clients.set(e.client, { id: e.client, primary: e.primary, restricted: false, sharedWithAll: false, person: e.person, grants: new Map(), administrativeRevoked: new Set() });
        return;
      case 'create_note':
        this.notes.set(e.note, { id: e.note, client: e.client, author: e.author, kind: e.noteKind, signed: e.signed, cosigned: false, deleted: false });
        return;
      case 'sign_note':
        this.notes.set(e.note, { ...this.notes.get(e.note)!, signed: true });
        return;
      case 'cosign_note':
        this.notes.set(e.note, { ...this.notes.get(e.note)!, cosigned: true });
        return;
      case 'delete_note':
        this.notes.set(e.note, { ...this.notes.get(e.note)!, deleted: true });
        return;
      case 'create_appointment':
        this.appointments.set(e.appointment, { id: e.appointment, client: e.client, clinician: e.clinician, fee: e.fee, billAs: e.billAs ?? null });
        return;
      case 'create_claim':
        this.claims.set(e.claim, { id: e.claim, appointment: e.appointment, client: e.client, rendering: e.rendering, amount: e.amount });
        return;
      case 'create_insurance_payment':
        this.payments.set(e.payment, { id: e.payment, covers: e.covers, amount: e.amount });
        return;
      case 'create_message':
        this.messages.set(e.message, { id: e.message, client: e.client, author: e.author });
        return;
      case 'create_task':
        this.tasks.set(e.task, { id: e.task, client: e.client, assignee: e.assignee, creator: e.creator });
        return;
      case 'keep_intake_answers':
        return;
      case 'set_settings':
        if (e.after.clientDirectory) this.clientDirectory = e.after.clientDirectory;
        this.teamCache = null;
        return;
    }
  }
}

/** A client's access facts as comparable plain data. */
export function accessFacts(c: ClientFacts): unknown {
  return {
    primary: c.primary,
    restricted: c.restricted,
    sharedWithAll: c.sharedWithAll,
    person: c.person,
    grants: [...c.grants].map(([m, g]) => [m, g.expiresAt] as const).sort(([a], [b]) => a.localeCompare(b)),
    administrativeRevoked: [...c.administrativeRevoked].sort(),
  };
}
