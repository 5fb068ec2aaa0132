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
import { ADMINISTRATIVE_ROLES, CLINICIAN_ROLES, COMMAND_TYPES, ROLES, type Command, type CommandType, type Role } from '../../src/core/index.js';
import type { PracticeSpec } from '../../src/store/chartguard.js';

/** A practice as the generators produce it: a spec for ChartGuard.createPractice, without its id. */
export type PracticeShape = Omit<PracticeSpec, 'id'> & {
  readonly members: readonly { id: string; roles: readonly Role[] }[];
  readonly clients: readonly { id: string; primary: string; restricted: boolean; sharedWithAll: boolean; person: string | null }[];
  readonly supervision: readonly { supervisor: string; supervisee: string }[];
};

export type Step =
  /** `actor` null: someone signed in as nobody (the public intake form). */
  | { readonly kind: 'command'; readonly actor: string | null; readonly command: Command }
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
      intern: oneIn(4),
      staff: fc.subarray([...ADMINISTRATIVE_STAFF], { maxLength: 2 }).chain((xs) => (xs.length > 0 ? oneIn(2).map((keep) => (keep ? xs : [])) : fc.constant(xs))),
    })
    .map(({ clinicianRole, clinicalAdministrator, supervisor, intern, staff }) => {
      const roles: Role[] = [...staff];
      if (clinicianRole) roles.push(clinicianRole);
      // 004: a clinical administrator must also hold a clinician role.
      if (clinicalAdministrator && clinicianRole) roles.push('clinical_administrator');
      if (supervisor) roles.push('supervisor');
      // FORMAT (second part): an intern holds basic clinician access or billing for own clients.
      if (intern && (clinicianRole === 'clinician_basic' || clinicianRole === 'clinician_billing')) roles.push('intern');
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
    { weight: 1, arbitrary: fc.constantFrom<string[]>(['clinical_administrator'], ['clinician_basic', 'clinician_billing'], ['account_owner'], ['wizard'], ['intern'], ['clinician_full_client_list', 'intern']) },
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
  claims: ['k0', 'k1'],
  members: ['mx0', 'mx1'],
} as const;

const GHOST = 'ghost';

/** One command of any type, with targets drawn from the practice (and, rarely, unknown keys). */
export function command(shape: PracticeShape, type?: CommandType): fc.Arbitrary<Command> {
  const memberIds = shape.members.map((m) => m.id);
  const member = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...memberIds) }, { weight: 2, arbitrary: fc.constantFrom(...POOLS.members) }, { weight: 1, arbitrary: fc.constant(GHOST) });
  const existing = shape.clients.map((c) => c.id);
  // Half the commands aim at the first client, so a sequence builds up state on one client
  // (restrict, revoke, grant, reassign, unrestrict) instead of scattering over all of them.
  const client = fc.oneof(
    { weight: 12, arbitrary: fc.constant(existing[0]!) },
    { weight: 10, arbitrary: fc.constantFrom(...existing) },
    { weight: 2, arbitrary: fc.constantFrom(...POOLS.newClients) },
    { weight: 1, arbitrary: fc.constant(GHOST) },
  );
  const note = fc.oneof({ weight: 8, arbitrary: fc.constant(POOLS.notes[0]) }, { weight: 4, arbitrary: fc.constantFrom(...POOLS.notes) }, { weight: 1, arbitrary: fc.constant(GHOST) });
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
    add_member: fc.record({ id: fc.constantFrom(...POOLS.members, memberIds[0]!), roles: anyRoles() }).map((x) => ({ type: 'add_member' as const, ...x })),
    edit_member: fc.record({ member, name: fc.constantFrom('Ana', 'Bo', ' ') }).map((x) => ({ type: 'edit_member' as const, ...x })),
    deactivate_member: fc.record({ member }).map((x) => ({ type: 'deactivate_member' as const, ...x })),
    reactivate_member: fc.record({ member }).map((x) => ({ type: 'reactivate_member' as const, ...x })),
    transfer_ownership: fc.record({ member }).map((x) => ({ type: 'transfer_ownership' as const, ...x })),
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
        id: fc.oneof({ weight: 3, arbitrary: fc.constant(POOLS.notes[0]) }, { weight: 2, arbitrary: fc.constantFrom(...POOLS.notes) }),
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
      .chain((x) => fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: member }).map((billAs) => ({ type: 'schedule_appointment' as const, ...x, ...(billAs === null ? {} : { billAs }) }))),
    submit_claim: fc
      .record({ id: fc.constantFrom(...POOLS.claims), appointment: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...POOLS.appointments) }, { weight: 1, arbitrary: fc.constant(GHOST) }) })
      .map((x) => ({ type: 'submit_claim' as const, ...x })),
    record_insurance_payment: fc
      .record({ id: fc.constantFrom(...POOLS.payments), covers: fc.uniqueArray(client, { minLength: 1, maxLength: 3 }), amount: fc.integer({ min: 0, max: 50000 }).map((c) => c / 100) })
      .map((x) => ({ type: 'record_insurance_payment' as const, ...x })),
    send_message: fc.record({ id: fc.constantFrom(...POOLS.messages), client }).map((x) => ({ type: 'send_message' as const, ...x })),
    create_task: fc.record({ id: fc.constantFrom(...POOLS.tasks), client, assignee: member }).map((x) => ({ type: 'create_task' as const, ...x })),
    // The one setting the access rules read: who sees every client's contact details.
    change_settings: fc.constantFrom('by_role' as const, 'all_staff' as const).map((d) => ({ type: 'change_settings' as const, changes: { clientDirectory: d } })),
    // The public intake form: a signed-in member sending it is refused (core/intake.ts).
    submit_intake: fc
      .record({ id: fc.constantFrom(...POOLS.newClients), who: member, how: fc.constantFrom('form', 'choice') })
      .map(({ id, who, how }) => ({ type: 'submit_intake' as const, id, ...(how === 'form' ? { formOf: who } : { choice: who }) })),
  };
  return type ? byType[type] : fc.constantFrom(...COMMAND_TYPES).chain((t) => byType[t]);
}

/** How often each command type is drawn: access commands are the point; records give the lists something to show. */
export const COMMAND_WEIGHTS: Record<CommandType, number> = {
  grant_clinical: 6,
  revoke_clinical: 4,
  grant_administrative: 4,
  revoke_administrative: 6,
  set_primary_clinician: 4,
  restrict: 3,
  unrestrict: 3,
  share_with_all: 2,
  assign_roles: 2,
  set_supervisor: 1,
  end_supervision: 1,
  add_member: 1,
  edit_member: 1,
  deactivate_member: 1,
  reactivate_member: 1,
  transfer_ownership: 1,
  create_client: 1,
  write_note: 3,
  sign_note: 1,
  cosign_note: 2,
  delete_note: 1,
  schedule_appointment: 1,
  submit_claim: 1,
  record_insurance_payment: 1,
  send_message: 1,
  create_task: 1,
  change_settings: 1,
  submit_intake: 1,
};

/**
 * Who issues a command of this type: the owner most often for administrative access (only
 * the owner manages it while restricted), supervisors for co-signing, anyone otherwise;
 * always with a share of arbitrary members, whose commands are mostly refused.
 */
export function actor(shape: PracticeShape, type: CommandType): fc.Arbitrary<string | null> {
  const ids = shape.members.map((m) => m.id);
  const owner = fc.constant(ids[0]!);
  const primaries = fc.constantFrom(...shape.clients.map((c) => c.primary));
  const anyone = fc.constantFrom(...ids);
  const supervisors = shape.members.filter((m) => m.roles.includes('supervisor')).map((m) => m.id);
  switch (type) {
    case 'submit_intake':
      // The public form, mostly; a member sending it is refused.
      return fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyone });
    case 'grant_administrative':
    case 'revoke_administrative':
      return fc.oneof({ weight: 6, arbitrary: owner }, { weight: 1, arbitrary: primaries }, { weight: 2, arbitrary: anyone });
    case 'cosign_note':
      return supervisors.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...supervisors) }, { weight: 1, arbitrary: anyone }) : anyone;
    case 'write_note':
    case 'sign_note':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(shape.clients[0]!.primary) }, { weight: 1, arbitrary: owner }, { weight: 2, arbitrary: anyone });
    default:
      return fc.oneof({ weight: 3, arbitrary: owner }, { weight: 2, arbitrary: primaries }, { weight: 5, arbitrary: anyone });
  }
}

const weightedType = fc.oneof(...(Object.entries(COMMAND_WEIGHTS) as [CommandType, number][]).map(([t, weight]) => ({ weight, arbitrary: fc.constant(t) })));

export function step(shape: PracticeShape): fc.Arbitrary<Step> {
  const commandStep = weightedType.chain((type) =>
    fc.record({ actor: actor(shape, type), command: command(shape, type) }).map((x) => ({ kind: 'command' as const, ...x })),
  );
  return fc.oneof({ weight: 12, arbitrary: commandStep }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((days) => ({ kind: 'advance' as const, days })) });
}

/**
 * A short story on one client and one member, the kind of sequence the seeds describe:
 * restrict, then some of revoke/grant administrative access, grant/revoke clinical access
 * (perhaps time-limited), reassign the primary clinician, turn restriction off. Random
 * commands alone rarely reach these states.
 */
export function accessStory(shape: PracticeShape): fc.Arbitrary<Step[]> {
  const owner = shape.members[0]!.id;
  const others = shape.members.slice(1).map((m) => m.id);
  const adminCapable = shape.members.slice(1).filter((m) => m.roles.some((r) => ADMINISTRATIVE_ROLES.includes(r))).map((m) => m.id);
  return fc
    .record({
      client: fc.constantFrom(...shape.clients.map((c) => c.id)),
      // Mostly members whose roles carry administrative access: theirs is what the owner revokes.
      member: adminCapable.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...adminCapable) }, { weight: 1, arbitrary: fc.constantFrom(...others) }) : fc.constantFrom(...others),
      manager: fc.constantFrom(owner, ...shape.clients.map((c) => c.primary)),
      moves: fc.array(
        fc.constantFrom('revoke_administrative', 'revoke_administrative', 'grant_administrative', 'grant_clinical', 'grant_clinical_timed', 'revoke_clinical', 'set_primary_clinician', 'advance'),
        { minLength: 1, maxLength: 4 },
      ),
      end: fc.constantFrom('unrestrict', 'unrestrict', 'stay'),
    })
    .map(({ client, member, manager, moves, end }) => {
      const all: string[] = end === 'unrestrict' ? [...moves, 'unrestrict'] : moves;
      const steps: Step[] = [{ kind: 'command', actor: owner, command: { type: 'restrict', client } }];
      for (const move of all) {
        const target = { client, member };
        switch (move) {
          case 'revoke_administrative':
          case 'grant_administrative':
            steps.push({ kind: 'command', actor: owner, command: { type: move, ...target } });
            break;
          case 'grant_clinical':
          case 'grant_clinical_timed':
            steps.push({ kind: 'command', actor: manager, command: { type: 'grant_clinical', ...target, untilDays: move === 'grant_clinical_timed' ? 2 : null } });
            break;
          case 'revoke_clinical':
          case 'set_primary_clinician':
            steps.push({ kind: 'command', actor: manager, command: { type: move, ...target } });
            break;
          case 'unrestrict':
            steps.push({ kind: 'command', actor: owner, command: { type: 'unrestrict', client, acknowledge: true } });
            break;
          case 'advance':
            steps.push({ kind: 'advance', days: 2 });
            break;
        }
      }
      return steps;
    });
}

/** A note's life: written (and perhaps signed) by a clinician, then signed, co-signed or deleted by someone. */
export function noteStory(shape: PracticeShape): fc.Arbitrary<Step[]> {
  const ids = shape.members.map((m) => m.id);
  const supervisors = shape.members.filter((m) => m.roles.includes('supervisor')).map((m) => m.id);
  return fc
    .record({
      note: fc.constantFrom(...POOLS.notes),
      client: fc.constantFrom(...shape.clients.map((c) => c.id)),
      author: fc.oneof(fc.constantFrom(...shape.clients.map((c) => c.primary)), fc.constantFrom(...ids)),
      kind: fc.constantFrom('clinical' as const, 'clinical' as const, 'contact' as const),
      sign: fc.boolean(),
      then: fc.array(
        fc.record({
          type: fc.constantFrom('sign_note' as const, 'cosign_note' as const, 'cosign_note' as const, 'delete_note' as const),
          by: fc.oneof(fc.constantFrom(...ids), supervisors.length > 0 ? fc.constantFrom(...supervisors) : fc.constantFrom(...ids)),
          author: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    })
    .chain((story) => {
      // Often: a supervisee's note on their own client, co-signed by their supervisor (002, 004).
      const pairs = shape.supervision.flatMap((p) => shape.clients.filter((c) => c.primary === p.supervisee).map((c) => ({ ...p, client: c.id })));
      if (pairs.length === 0) return fc.constant(story);
      return fc.oneof(
        fc.constant(story),
        fc.constantFrom(...pairs).map((p) => ({
          ...story,
          client: p.client,
          author: p.supervisee,
          kind: 'clinical' as const,
          then: story.then.map((t) => (t.type === 'cosign_note' ? { ...t, by: p.supervisor } : t)),
        })),
      );
    })
    .map(({ note, client, author, kind, sign, then }) => [
      { kind: 'command' as const, actor: author, command: { type: 'write_note' as const, id: note, client, kind, sign } },
      ...then.map((t) => ({ kind: 'command' as const, actor: t.author && t.type === 'sign_note' ? author : t.by, command: { type: t.type, note } })),
    ]);
}

/** A claim's life: an appointment with a client's primary clinician (perhaps billed as one of their supervisors, 004), then a claim for it. */
export function claimStory(shape: PracticeShape): fc.Arbitrary<Step[]> {
  const ids = shape.members.map((m) => m.id);
  return fc
    .record({
      appointment: fc.constantFrom(...POOLS.appointments),
      claim: fc.constantFrom(...POOLS.claims),
      client: fc.constantFrom(...shape.clients),
      scheduler: fc.oneof(fc.constant(ids[0]!), fc.constantFrom(...ids)),
      biller: fc.oneof(fc.constant(ids[0]!), fc.constantFrom(...ids)),
      billAs: fc.oneof(fc.constant(null), fc.constant('supervisor' as const), fc.constantFrom(...ids)),
    })
    .map(({ appointment, claim, client, scheduler, biller, billAs }) => {
      const supervisor = shape.supervision.find((s) => s.supervisee === client.primary)?.supervisor ?? null;
      const as = billAs === 'supervisor' ? supervisor : billAs;
      const schedule = { type: 'schedule_appointment' as const, id: appointment, client: client.id, clinician: client.primary, fee: 100, ...(as === null ? {} : { billAs: as }) };
      return [
        { kind: 'command' as const, actor: scheduler, command: schedule },
        { kind: 'command' as const, actor: biller, command: { type: 'submit_claim' as const, id: claim, appointment } },
      ];
    });
}

/** A random practice and a sequence of steps on it: single commands and short stories. */
export function sequence(options: { minSteps?: number; maxSteps?: number } = {}): fc.Arbitrary<Sequence> {
  const maxSteps = options.maxSteps ?? 12;
  return practiceShape().chain((practice) =>
    fc.record({
      practice: fc.constant(practice),
      steps: fc
        .array(
          fc.oneof(
            { weight: 6, arbitrary: step(practice).map((s) => [s]) },
            { weight: 2, arbitrary: accessStory(practice) },
            { weight: 1, arbitrary: noteStory(practice) },
            { weight: 1, arbitrary: claimStory(practice) },
          ),
          { minLength: 1, maxLength: Math.max(1, Math.ceil(maxSteps / 3)) },
        )
        .map((groups) => groups.flat().slice(0, maxSteps))
        .filter((steps) => steps.length >= (options.minSteps ?? 1)),
    }),
  );
}
