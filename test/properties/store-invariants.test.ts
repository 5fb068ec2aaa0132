/**
 * The invariants on the real store, on every database kind: random practices and command
 * sequences run through ChartGuard.execute (the path the HTTP API and the runner take),
 * side by side with the in-memory run of the core (model.ts), which sees every fact.
 *
 * After every command: the store and the core agree on the outcome (and the effects); a
 * refusal changed no row of any table. After every sequence: the log holds exactly one entry
 * per successful command, naming it, its actor and its clients. After every sequence: the stored facts equal the core's; the state
 * invariants hold on what the database holds; after every command, single checks (read
 * through the in-process facts cache) equal the core's on the model's facts; every list of ChartGuard.list equals the
 * filter of the core's single checks over all rows (loaded in system mode), and shows no
 * restricted client the member has no path to; the log's hash chain verifies.
 *
 * One migrated database per worker; each run is its own practice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canOnClient, DAY_MS, type ClientFacts, type CommandResult } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { sequence } from '../support/generators.js';
import { expectedList, LIST_AREAS, restrictedLeak, stateViolation, transitionViolation } from './invariants.js';
import { accessFacts, Model } from './model.js';
import { loadAll, snapshot } from './store.js';

const RUNS = Number(process.env.CHARTGUARD_PROPERTY_RUNS ?? 1000);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

function outcome(r: CommandResult) {
  return r.ok ? { ok: true, clients: [...r.clients].sort(), effects: r.effects.map((e) => JSON.stringify(e)).sort() } : { ok: false, code: r.code };
}

function frozen(model: Model) {
  const copy = new Map([...model.clients].map(([id, c]) => [id, { ...c, grants: new Map(c.grants), administrativeRevoked: new Set(c.administrativeRevoked) }]));
  return { ctx: model.ctx(), client: (id: string): ClientFacts | undefined => copy.get(id) };
}

describe.each(databaseKinds())('store invariants on %s', (kind) => {
  it(`hold for ${RUNS} random practices and command sequences`, async () => {
    const db = await database(kind);
    let now = START;
    const cg = ChartGuard.over(db, () => now);
    let commands = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 10 }), fc.nat(), fc.shuffledSubarray([...LIST_AREAS], { minLength: 5, maxLength: 5 }), async (seq, pick, areas) => {
        now = START;
        const practice = newPracticeId('prop');
        await cg.createPractice({ id: practice, ...seq.practice });
        const model = new Model(seq.practice, now);
        const created = (await snapshot(cg, practice)).log;
        const createdInModel = model.log.length;

        for (const step of seq.steps) {
          if (step.kind === 'advance') {
            now += step.days * DAY_MS;
            model.now = now;
            continue;
          }
          const pre = frozen(model);
          const expected = model.execute(step.actor, step.command);
          // Where the core refuses, every table is compared before and after (a snapshot costs a query).
          const before = expected.ok ? null : await snapshot(cg, practice);
          const result = await cg.execute(practice, step.actor, step.command);
          commands++;
          expect(outcome(result), `${step.actor}: ${JSON.stringify(step.command)}`).toEqual(outcome(expected));
          if (!result.ok) {
            // A refused command changes nothing: no row of any table, the log included.
            refusals++;
            expect(await snapshot(cg, practice)).toEqual(before);
          }
          expect(transitionViolation(pre, { ctx: model.ctx(), client: (id) => model.client(id) }, step.command, expected)).toBeNull();
          // Single checks read the in-process facts cache: after every command they answer
          // what the core answers on the model's facts (a stale cached fact would differ).
          const touched = 'client' in step.command && typeof step.command.client === 'string' ? step.command.client : null;
          const client = touched && model.client(touched) ? touched : [...model.clients.keys()][pick % model.clients.size];
          if (client) {
            for (const m of model.roles.keys()) {
              for (const permission of ['client.view_profile', 'client.view_chart', 'client.manage_clinical_access'] as const) {
                const want = canOnClient(model.ctx(), m, permission, model.client(client)!);
                const got = await cg.check(practice, m, permission, { client });
                expect({ allowed: got.allowed, code: got.allowed ? null : got.code }, `${m} ${permission} ${client}`).toEqual({ allowed: want.allowed, code: want.allowed ? null : want.code });
              }
            }
          }
        }

        const stored = await loadAll(cg, practice);
        const ctx = { team: stored.team, now };
        // The database holds what the core decided.
        // Every member with their roles, and whether they are active (deactivated ones keep their roles).
        const storedMembers = [...stored.team.members.values(), ...stored.team.inactive.values()].map((m) => [m.id, [...m.roles].sort(), stored.team.members.has(m.id)]);
        expect(storedMembers.sort()).toEqual([...model.roles].map(([id, r]) => [id, [...r].sort(), !model.inactive.has(id)]).sort());
        expect([...stored.team.supervisorsOf].flatMap(([sub, sups]) => [...sups].map((s) => `${s} ${sub}`)).sort()).toEqual([...model.supervision].sort());
        expect(new Map([...stored.rows.clients].map(([id, c]) => [id, accessFacts(c)]))).toEqual(new Map([...model.clients].map(([id, c]) => [id, accessFacts(c)])));
        expect(stored.allNotes.sort((a, b) => a.id.localeCompare(b.id))).toEqual([...model.notes.values()].sort((a, b) => a.id.localeCompare(b.id)));
        // Every successful command wrote exactly one activity-log entry, naming it, its actor and its clients.
        expect(stored.activity.slice(created).map((e) => [e.actor, e.action, [...e.clients].sort()])).toEqual(
          model.log.slice(createdInModel).map((e) => [e.actor, e.action, [...e.clients].sort()]),
        );
        expect(stateViolation(ctx, stored.rows.clients.values())).toBeNull();

        // Lists: one member's (any, the owner included), in half the areas (each area is checked
        // in about 500 of 1,000 runs); and the owner's client list.
        const ids = [...stored.team.members.keys()];
        const chosen = ids[pick % ids.length]!;
        const lists = [...areas.map((area) => [chosen, area] as const), [stored.team.ownerId, 'clients'] as const];
        for (const [m, area] of lists) {
          {
            const want = expectedList(ctx, stored.rows, m, area);
            const got = await cg.list(practice, m, area);
            expect(got.map((i) => i.id).sort(), `${m}'s ${area}`).toEqual(want.map((i) => i.id).sort());
            expect(restrictedLeak(ctx, stored.rows, m, area, want)).toBeNull();
          }
        }
        expect(await cg.verifyLog(practice)).toEqual({ ok: true, entries: created + model.log.length - createdInModel });
      }),
      { numRuns: RUNS },
    );
    expect(refusals).toBeGreaterThan(commands * 0.1);
    expect(refusals).toBeLessThan(commands * 0.8);
  }, 900_000);
});
