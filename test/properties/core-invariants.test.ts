/**
 * The invariants on the pure core, in memory (test/properties/model.ts): many more random
 * practices and command sequences than the database runs can afford, with every area of
 * every member checked after every sequence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, DAY_MS, type ClientFacts } from '../../src/core/index.js';
import { sequence } from '../support/generators.js';
import { expectedList, LIST_AREAS, restrictedLeak, stateViolation, transitionViolation } from './invariants.js';
import { Model } from './model.js';

const RUNS = Number(process.env.CHARTGUARD_CORE_PROPERTY_RUNS ?? 3000);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A frozen copy of the model's clients, to judge a command against the state before it. */
function frozen(model: Model): { ctx: ReturnType<Model['ctx']>; client: (id: string) => ClientFacts | undefined } {
  const copy = new Map([...model.clients].map(([id, c]) => [id, { ...c, grants: new Map(c.grants), administrativeRevoked: new Set(c.administrativeRevoked) }]));
  return { ctx: model.ctx(), client: (id) => copy.get(id) };
}

describe('core invariants over random practices (in memory)', () => {
  it(`hold for ${RUNS} command sequences`, () => {
    let commands = 0;
    let succeeded = 0;
    const succeededTypes = new Set<string>();
    const refusedTypes = new Set<string>();
    const codes = new Set<string>();
    fc.assert(
      fc.property(sequence({ maxSteps: 25 }), (seq) => {
        const model = new Model(seq.practice, START);
        expect(stateViolation(model.ctx(), model.clientFacts())).toBeNull();
        for (const step of seq.steps) {
          if (step.kind === 'advance') {
            model.now += step.days * DAY_MS;
          } else {
            const pre = frozen(model);
            const logBefore = model.log.length;
            const result = model.execute(step.actor, step.command);
            commands++;
            if (result.ok) {
              succeeded++;
              succeededTypes.add(step.command.type);
            } else {
              refusedTypes.add(step.command.type);
              codes.add(result.code);
            }
            expect(model.log.length).toBe(logBefore + (result.ok ? 1 : 0));
            expect(transitionViolation(pre, { ctx: model.ctx(), client: (id) => model.client(id) }, step.command, result)).toBeNull();
          }
          expect(stateViolation(model.ctx(), model.clientFacts())).toBeNull();
        }
        const ctx = model.ctx();
        const rows = model.rows();
        for (const m of ctx.team.members.keys()) {
          for (const area of LIST_AREAS) {
            expect(restrictedLeak(ctx, rows, m, area, expectedList(ctx, rows, m, area))).toBeNull();
          }
        }
        // 003: the admin account always has access to all clients: every list of the owner names every client.
        expect(expectedList(ctx, rows, ctx.team.ownerId, 'clients').map((x) => x.id).sort()).toEqual([...model.clients.keys()].sort());
      }),
      { numRuns: RUNS },
    );
    // The generators must reach both outcomes often, or the run proves little.
    expect(succeeded / commands).toBeGreaterThan(0.2);
    expect(succeeded / commands).toBeLessThan(0.9);
    // Every command type both succeeds and is refused somewhere, and most refusal codes occur.
    expect([...succeededTypes].sort()).toEqual([...COMMAND_TYPES].sort());
    expect([...refusedTypes].sort()).toEqual([...COMMAND_TYPES].sort());
    for (const code of ['forbidden', 'account_owner', 'primary_clinician', 'not_restricted', 'only_account_owner', 'not_applicable', 'administrative_access_required', 'revoke_administrative_first', 'revoke_clinical_first', 'supervision', 'acknowledgement_required', 'not_found', 'invalid_roles', 'invalid_state', 'shared_with_all', 'not_supervisor']) {
      expect(codes, code).toContain(code);
    }
  });
});
