/**
 * The practice as plain data: the facts every rule reads. Nothing here does I/O;
 * the store loads these facts and hands them to the rules.
 */
import type { Role } from './roles.js';
import { oneOf } from './vocabulary.js';

export type MemberId = string;
export type ClientId = string;

/** 004 (TherapyNotes): contact information of every client for every user; or by role (default). */
export type ClientDirectory = 'by_role' | 'all_staff';

export interface PracticeSettings {
  readonly clientDirectory: ClientDirectory;
}

/** Every setting of a practice, as stored (changed by settings.ts's command). */
export interface SettingsFacts {
  readonly name: string;
  /** An IANA time zone name (timestamps read in it). */
  readonly timeZone: string;
  readonly clientDirectory: ClientDirectory;
  /** HIPAA 164.312(a)(2)(iii) automatic logoff after this much inactivity; null: the server's default. */
  readonly idleLogoffMinutes: number | null;
  /** Every member signs in with a second factor (one without enrolls before anything else). */
  readonly requireSecondFactor: boolean;
}

/** A change to some settings: only the ones given change. */
export type SettingsChange = Partial<SettingsFacts>;

export interface MemberFacts {
  readonly id: MemberId;
  readonly roles: readonly Role[];
  /** False once deactivated (FORMAT "deactivate_member"); absent means active. */
  readonly active?: boolean;
}

/** The team: members, their roles, who supervises whom, and the practice settings. */
export interface Team {
  readonly ownerId: MemberId;
  /** The active members: every rule reads these, so a deactivated member can do and see nothing. */
  readonly members: ReadonlyMap<MemberId, MemberFacts>;
  /** Deactivated members, with the roles they get back when reactivated. */
  readonly inactive: ReadonlyMap<MemberId, MemberFacts>;
  /** supervisee id -> the ids of their supervisors. */
  readonly supervisorsOf: ReadonlyMap<MemberId, ReadonlySet<MemberId>>;
  readonly settings: PracticeSettings;
}

/** A manually granted clinical access ("clinician with access", client-level access). */
export interface ClinicalGrant {
  /** Epoch milliseconds; null: until revoked. 002 "temporary coverage". */
  readonly expiresAt: number | null;
}

/** One client profile and its access settings (the Privacy tab's data). */
export interface ClientFacts {
  readonly id: ClientId;
  /** 000: each client profile has exactly one primary clinician. */
  readonly primary: MemberId;
  /** 001: restricted access (CA AB 352). */
  readonly restricted: boolean;
  /** 003: "can be accessed by all practitioners in the clinic". */
  readonly sharedWithAll: boolean;
  /** 000: profiles with the same person belong to one person who sees several clinicians. */
  readonly person: string | null;
  readonly grants: ReadonlyMap<MemberId, ClinicalGrant>;
  /** Members whose administrative access the account owner revoked while restricted. */
  readonly administrativeRevoked: ReadonlySet<MemberId>;
}

export const NOTE_KINDS = ['clinical', 'missed_appointment', 'contact', 'miscellaneous'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export const isNoteKind = oneOf(NOTE_KINDS);

export interface NoteFacts {
  readonly id: string;
  readonly client: ClientId;
  readonly author: MemberId;
  readonly kind: NoteKind;
  readonly signed: boolean;
  readonly cosigned: boolean;
  readonly deleted: boolean;
}

export interface AppointmentFacts {
  readonly id: string;
  readonly client: ClientId;
  readonly clinician: MemberId;
}

/** An appointment as a claim reads it: its fee, whom it bills as, whether it can still be claimed. */
export interface ClaimableAppointment extends AppointmentFacts {
  readonly fee: number;
  readonly billAs: MemberId | null;
  /** A cancelled appointment is no charge (FORMAT, second part), so nothing to claim. */
  readonly cancelled: boolean;
  /** A claim other than a denied one already exists for it. */
  readonly claimed: boolean;
}

export interface InsurancePaymentFacts {
  readonly id: string;
  readonly covers: readonly ClientId[];
}

export interface TaskFacts {
  readonly id: string;
  readonly client: ClientId;
  readonly assignee: MemberId;
  readonly creator: MemberId;
}

export interface ActivityFacts {
  readonly actor: MemberId | null;
  /** Every client the entry concerns (empty: a practice-level entry). */
  readonly clients: readonly ClientId[];
}

/** Everything a rule may need about the moment it decides. */
export interface Context {
  readonly team: Team;
  /** Epoch milliseconds: the practice's clock. */
  readonly now: number;
}

export function rolesOf(team: Team, member: MemberId): readonly Role[] {
  return team.members.get(member)?.roles ?? [];
}

export function supervises(team: Team, supervisor: MemberId, supervisee: MemberId): boolean {
  return team.supervisorsOf.get(supervisee)?.has(supervisor) ?? false;
}

/** Builds a Team from plain arrays (handy for tests and the store). */
export function makeTeam(input: {
  members: readonly MemberFacts[];
  supervision?: readonly { supervisor: MemberId; supervisee: MemberId }[];
  settings?: Partial<PracticeSettings>;
}): Team {
  const members = new Map(input.members.filter((m) => m.active !== false).map((m) => [m.id, m]));
  const inactive = new Map(input.members.filter((m) => m.active === false).map((m) => [m.id, m]));
  const owner = input.members.find((m) => m.roles.includes('account_owner') && m.active !== false);
  if (!owner) throw new Error('A practice has exactly one account owner.');
  const supervisorsOf = new Map<MemberId, Set<MemberId>>();
  for (const s of input.supervision ?? []) {
    let set = supervisorsOf.get(s.supervisee);
    if (!set) supervisorsOf.set(s.supervisee, (set = new Set()));
    set.add(s.supervisor);
  }
  // Frozen at construction (the maps are read-only by type: facts are never mutated).
  return Object.freeze({
    ownerId: owner.id,
    members,
    inactive,
    supervisorsOf,
    settings: Object.freeze({ clientDirectory: input.settings?.clientDirectory ?? 'by_role' }),
  });
}

/** Shared by every client without grants or revocations (read-only: facts are never mutated). */
const NO_GRANTS: ReadonlyMap<MemberId, ClinicalGrant> = new Map();
const NO_REVOCATIONS: ReadonlySet<MemberId> = new Set();

export function makeClient(input: {
  id: ClientId;
  primary: MemberId;
  restricted?: boolean;
  sharedWithAll?: boolean;
  person?: string | null;
  grants?: Iterable<[MemberId, ClinicalGrant]>;
  administrativeRevoked?: Iterable<MemberId>;
}): ClientFacts {
  // The fields a check reads come first and the id and person, which it never reads, last:
  // a check then reads the first 64 bytes of the object, not all 80 (at 100,000 clients,
  // each cache line a check touches is a likely miss).
  return Object.freeze({
    primary: input.primary,
    restricted: input.restricted ?? false,
    sharedWithAll: input.sharedWithAll ?? false,
    grants: input.grants ? new Map(input.grants) : NO_GRANTS,
    administrativeRevoked: input.administrativeRevoked ? new Set(input.administrativeRevoked) : NO_REVOCATIONS,
    id: input.id,
    person: input.person ?? null,
  });
}
