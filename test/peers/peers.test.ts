/**
 * Differential test: CASL, Casbin, Cedar and Cerbos, each given the seed rules in its own
 * language (bench/peers), decide client.view_profile and client.view_chart exactly as
 * ChartGuard's core does, on random practices. The benchmark compares their speed only
 * because this test proves they answer the same question.
 *
 * Cerbos runs as its PDP binary on 127.0.0.1; the test is skipped, saying so, only when
 * the binary cannot start on this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canOnClient } from '../../src/core/index.js';
import { caslPeer } from '../../bench/peers/casl.js';
import { casbinPeer } from '../../bench/peers/casbin.js';
import { cedarPeer } from '../../bench/peers/cedar.js';
import { cerbosPeer, startCerbos, type CerbosPdp } from '../../bench/peers/cerbos.js';
import { PEER_ACTIONS, PEER_PERMISSION, peerPractice, type Peer } from '../../bench/peers/model.js';
import { coreFacts, randomPractice } from './random-practice.js';

/** inProcess: the engine must also answer through resolve()/decide(), what the benchmark times. */
async function agrees(peer: Peer, runs: number, inProcess: boolean): Promise<number> {
  let decisions = 0;
  await fc.assert(
    fc.asyncProperty(randomPractice({ appointments: false }), async (p) => {
      const { ctx, clients } = coreFacts(p);
      const checker = await peer.prepare(peerPractice(ctx.team, clients, ctx.now));
      if (inProcess) expect(checker.resolve && checker.decide, `${peer.name}: resolve() and decide()`).toBeTruthy();
      for (const m of [...p.members.map((x) => x.id), 'stranger']) {
        for (const action of PEER_ACTIONS) {
          const want = clients.map((c) => canOnClient(ctx, m, PEER_PERMISSION[action], c).allowed);
          const got = checker.checkMany
            ? await checker.checkMany(m, action, clients.map((c) => c.id))
            : await Promise.all(clients.map((c) => checker.check(m, action, c.id)));
          clients.forEach((c, i) => expect(got[i], `${peer.name}: ${m} ${action} ${c.id}`).toBe(want[i]));
          decisions += clients.length;
          // What the benchmark times: the decision on the engine's inputs, resolved first.
          if (checker.resolve && checker.decide) {
            const resolved = clients.map((c) => checker.resolve!(m, action, c.id));
            clients.forEach((c, i) => expect(checker.decide!(resolved[i]!), `${peer.name} decide: ${m} ${action} ${c.id}`).toBe(want[i]));
            decisions += clients.length;
          }
        }
      }
    }),
    { numRuns: runs },
  );
  return decisions;
}

describe('peers decide as the core', () => {
  for (const peer of [caslPeer, casbinPeer, cedarPeer]) {
    it(`${peer.name}`, async () => {
      expect(await agrees(peer, 300, true)).toBeGreaterThan(1000);
    });
  }

  describe('Cerbos (PDP binary on 127.0.0.1)', () => {
    let pdp: CerbosPdp | null = null;
    let why = '';
    beforeAll(async () => {
      try {
        pdp = await startCerbos();
      } catch (err) {
        why = (err as Error).message;
      }
    });
    afterAll(async () => pdp?.stop());

    it('Cerbos', async (t) => {
      if (!pdp) {
        console.warn(`Cerbos skipped: ${why}`);
        t.skip();
        return;
      }
      expect(await agrees(cerbosPeer(pdp), 200, false)).toBeGreaterThan(1000);
    });
  });
});
