/**
 * fast-check arbitraries for random practices and random command sequences.
 *
 * Practices hold valid role sets only (createPractice refuses the others), including the
 * combinations the seeds name: a clinician who supervises, a clinician who is also a
 * clinical administrator (004), an account owner who is also a clinician, administrative
 * roles held together. Command sequences use every command of src/core/command.ts, with
 * actors and targets drawn from the practice, so many of them are refused: by the rules,
 * or for unknown keys, taken ids and invalid role sets.
 */
import fc from 'fast-check';
import { CLINICIAN_ROLES, COMMAND_TYPES, ROLES, type Command, type CommandType, type Role } from '../../src/core/index.js';
import type { PracticeSpec } from '../../src/store/chartguard.js';

/** A practice as the generators produce it: a spec for ChartGuard.createPractice, without its id. */
export type PracticeShape = Omit<PracticeSpec, 'id'> & {
  readonly members: readonly { id: string; roles: readonly Role[] }[];
  readonly clients: readonly { id: string; primary: string; restricted: boolean; sharedWithAll: boolean; person: string | null }[];
  readonly supervision: readonly { supervisor: string; supervisee: string }[];
};

export type Step =
  | { readonly kind: 'command'; readonly actor: string; readonly command: Command }
  | { readonly kind: 'advance'; readonly days: number };

export interface Sequence {
  readonly practice: PracticeShape;
  readonly steps: readonly Step[];
}

const ADMINISTRATIVE_STAFF = ['practice_manager', 'practice_biller', 'practice_scheduler', 'practice_administrator'] as const satisfies readonly Role[];

/** true with probability 1/n. */
const oneIn = (n: number) => fc.nat(n - 1).map((k) => k === 0);

/** A valid role set for a member who is not the account owner; `clinician` forces a clinician role. */
export function memberRoles(clinician = false): fc.Arbitrary<Role[]> {
  return fc
    .record({
      clinicianRole: clinician ? fc.constantFrom(...CLINICIAN_ROLES) : fc.option(fc.constantFrom(...CLINICIAN_ROLES), { nil: null, freq: 3 }),
      clinicalAdministrator: oneIn(5),
      supervisor: oneIn(3),
      staff: fc.subarray([...ADMINISTRATIVE_STAFF], { maxLength: 2 }).chain((xs) => (xs.length > 0 ? oneIn(2).map((keep) => (keep ? xs : [])) : fc.constant(xs))),
    })
    .map(({ clinicianRole, clinicalAdministrator, supervisor, staff }) => {
      const roles: Role[] = [...staff];
      if (clinicianRole) roles.push(clinicianRole);
      // 004: a clinical administrator must also hold a clinician role.
      if (clinicalAdministrator && clinicianRole) roles.push('clinical_administrator');
      if (supervisor) roles.push('supervisor');
      // A member with no role at all is allowed, but rare.
      return ROLES.filter((r) => roles.includes(r));
    });
}

/** The account owner's roles: the owner alone, or with a clinician role (and more). */
export function ownerRoles(): fc.Arbitrary<Role[]> {
  return fc.oneof(fc.constant<Role[]>([]), memberRoles()).map((rest) => ROLES.filter((r) => r === 'account_owner' || rest.includes(r)));
}

/** Any role list, valid or not (for assign_roles, which must refuse the invalid ones). */
export function anyRoles(): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 3, arbitrary: memberRoles() },
    { weight: 1, arbitrary: fc.subarray([...ROLES], { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>(['clinical_administrator'], ['clinician_basic', 'clinician_billing'], ['account_owner'], ['wizard']) },
  );
}

const isClinician = (roles: readonly Role[]) => roles.some((r) => (CLINICIAN_ROLES as readonly Role[]).includes(r));

/** A random practice: 2-7 members (m0 is the owner), 1-5 clients, supervision, settings. */
export function practiceShape(): fc.Arbitrary<PracticeShape> {
  return fc
    .record({
      owner: ownerRoles(),
      first: memberRoles(true),
      others: fc.array(memberRoles(), { minLength: 0, maxLength: 5 }),
      clientDirectory: fc.constantFrom('by_role' as const, 'by_role' as const, 'all_staff' as const),
    })
    .chain(({ owner, first, others, clientDirectory }) => {
      const members = [owner, first, ...others].map((roles, i) => ({ id: `m${i}`, roles }));
      const clinicians = members.filter((m) => isClinician(m.roles)).map((m) => m.id);
      const supervisors = members.filter((m) => m.roles.includes('supervisor')).map((m) => m.id);
      const pairs = supervisors.flatMap((s) => clinicians.filter((c) => c !== s).map((c) => ({ supervisor: s, supervisee: c })));
      const client = fc.record({
        primary: fc.constantFrom(...clinicians),
        restricted: oneIn(2),
        sharedWithAll: oneIn(5),
        person: fc.constantFrom(null, null, 'p1', 'p2'),
      });
      return fc.record({
        members: fc.constant(members),
        clientDirectory: fc.constant(clientDirectory),
        supervision: pairs.length > 0 ? fc.subarray(pairs, { maxLength: Math.min(3, pairs.length) }) : fc.constant([]),
        clients: fc.array(client, { minLength: 1, maxLength: 5 }).map((cs) => cs.map((c, i) => ({ id: `c${i}`, ...c }))),
      });
    });
}

/** Keys of records created by the sequence: small pools, so ids collide and notes are found. */
export const POOLS = {
  newClients: ['cx0', 'cx1'],
  notes: ['n0', 'n1', 'n2', 'n3'],
  appointments: ['a0', 'a1', 'a2'],
  payments: ['p0', 'p1'],
  messages: ['s0', 's1', 's2'],
  tasks: ['t0', 't1', 't2'],
} as const;

const GHOST = 'ghost';

/** One command of any type, with targets drawn from the practice (and, rarely, unknown keys). */
export function command(shape: PracticeShape, type?: CommandType): fc.Arbitrary<Command> {
  const memberIds = shape.members.map((m) => m.id);
  const member = fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...memberIds) }, { weight: 1, arbitrary: fc.constant(GHOST) });
  const clientIds = [...shape.clients.map((c) => c.id), ...POOLS.newClients];
  const client = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...clientIds) }, { weight: 1, arbitrary: fc.constant(GHOST) });
  const note = fc.constantFrom(...POOLS.notes, GHOST);
  const byType: Record<CommandType, fc.Arbitrary<Command>> = {
    grant_clinical: fc.record({
      client,
      member,
      untilDays: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 2 }),
    }).map((x) => ({ type: 'grant_clinical' as const, ...x })),
    revoke_clinical: fc.record({ client, member }).map((x) => ({ type: 'revoke_clinical' as const, ...x })),
    grant_administrative: fc.record({ client, member }).map((x) => ({ type: 'grant_administrative' as const, ...x })),
    revoke_administrative: fc.record({ client, member }).map((x) => ({ type: 'revoke_administrative' as const, ...x })),
    set_primary_clinician: fc.record({ client, member }).map((x) => ({ type: 'set_primary_clinician' as const, ...x })),
    restrict: fc.record({ client }).map((x) => ({ type: 'restrict' as const, ...x })),
    unrestrict: fc.record({ client, acknowledge: fc.constantFrom(true, true, false) }).map((x) => ({ type: 'unrestrict' as const, ...x })),
    share_with_all: fc.record({ client, on: fc.boolean() }).map((x) => ({ type: 'share_with_all' as const, ...x })),
    assign_roles: fc.record({ member, roles: anyRoles() }).map((x) => ({ type: 'assign_roles' as const, ...x })),
    set_supervisor: fc.record({ supervisor: member, supervisee: member }).map((x) => ({ type: 'set_supervisor' as const, ...x })),
    end_supervision: fc.record({ supervisor: member, supervisee: member }).map((x) => ({ type: 'end_supervision' as const, ...x })),
    create_client: fc
      .record({
        id: fc.constantFrom(...POOLS.newClients, 'c0'),
        how: fc.constantFrom('creator', 'primary', 'intake'),
        who: member,
        person: fc.constantFrom(null, 'p1'),
      })
      .map(({ id, how, who, person }) => ({
        type: 'create_client' as const,
        id,
        person,
        ...(how === 'primary' ? { primary: who } : how === 'intake' ? { intakeLink: who } : {}),
      })),
    write_note: fc
      .record({
        id: fc.constantFrom(...POOLS.notes),
        client,
        kind: fc.constantFrom('clinical' as const, 'clinical' as const, 'missed_appointment' as const, 'contact' as const, 'miscellaneous' as const),
        sign: fc.boolean(),
      })
      .map((x) => ({ type: 'write_note' as const, ...x })),
    sign_note: note.map((n) => ({ type: 'sign_note' as const, note: n })),
    cosign_note: note.map((n) => ({ type: 'cosign_note' as const, note: n })),
    delete_note: note.map((n) => ({ type: 'delete_note' as const, note: n })),
    schedule_appointment: fc
      .record({ id: fc.constantFrom(...POOLS.appointments), client, clinician: member, fee: fc.integer({ min: 0, max: 300 }) })
      .map((x) => ({ type: 'schedule_appointment' as const, ...x })),
    record_insurance_payment: fc
      .record({ id: fc.constantFrom(...POOLS.payments), covers: fc.uniqueArray(client, { minLength: 1, maxLength: 3 }), amount: fc.integer({ min: 0, max: 50000 }).map((c) => c / 100) })
      .map((x) => ({ type: 'record_insurance_payment' as const, ...x })),
    send_message: fc.record({ id: fc.constantFrom(...POOLS.messages), client }).map((x) => ({ type: 'send_message' as const, ...x })),
    create_task: fc.record({ id: fc.constantFrom(...POOLS.tasks), client, assignee: member }).map((x) => ({ type: 'create_task' as const, ...x })),
  };
  if (type) return byType[type];
  // Access commands are the point; records give the lists something to show.
  const weight: Partial<Record<CommandType, number>> = {
    grant_clinical: 6,
    revoke_clinical: 4,
    grant_administrative: 4,
    revoke_administrative: 6,
    set_primary_clinician: 4,
    restrict: 3,
    unrestrict: 2,
    share_with_all: 2,
    assign_roles: 2,
    write_note: 3,
  };
  return fc.oneof(...COMMAND_TYPES.map((t) => ({ weight: weight[t] ?? 1, arbitrary: byType[t] })));
}

/** An actor: the owner more often than others, since the owner's commands mostly succeed. */
export function actor(shape: PracticeShape): fc.Arbitrary<string> {
  const ids = shape.members.map((m) => m.id);
  const primaries = shape.clients.map((c) => c.primary);
  return fc.oneof({ weight: 3, arbitrary: fc.constant(ids[0]!) }, { weight: 2, arbitrary: fc.constantFrom(...primaries) }, { weight: 5, arbitrary: fc.constantFrom(...ids) });
}

export function step(shape: PracticeShape): fc.Arbitrary<Step> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.record({ actor: actor(shape), command: command(shape) }).map((x) => ({ kind: 'command' as const, ...x })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((days) => ({ kind: 'advance' as const, days })) },
  );
}

/** A random practice and a sequence of steps on it. */
export function sequence(options: { minSteps?: number; maxSteps?: number } = {}): fc.Arbitrary<Sequence> {
  return practiceShape().chain((practice) =>
    fc.record({
      practice: fc.constant(practice),
      steps: fc.array(step(practice), { minLength: options.minSteps ?? 1, maxLength: options.maxSteps ?? 12 }),
    }),
  );
}
