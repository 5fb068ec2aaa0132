/**
 * Sign-in hardening (security issue, findings 4-7):
 * - a reset password must be changed before the session answers anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, isProblem, PASSWORD } from './harness.js';

const NEW_PASSWORD = 'a brand new long password';

describe.each(databaseKinds())('sign-in hardening on %s', (kind) => {
  let h: Harness;
  let practice: string;
  const user = (m: string) => `${m}@${practice}`;
  const members = ['olivia', 'pat', 'ana', 'ray'];

  beforeAll(async () => {
    h = await Harness.create(kind);
    practice = newPracticeId('thr');
    await h.cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', name: 'Olivia Owner', roles: ['account_owner', 'clinician_entire_practice'] },
        { id: 'pat', name: 'Pat Admin', roles: ['practice_administrator'] },
        ...members.slice(2).map((id) => ({ id, name: `${id[0]!.toUpperCase()}${id.slice(1)} Member`, roles: ['clinician_basic' as const] })),
      ],
      clients: [{ id: 'c1', name: 'Client One', primary: 'ana' }],
    });
    for (const m of members) await h.accounts.createUser(practice, m, user(m), PASSWORD);
  });
  afterAll(() => h.close());

  // ------------------------------------------------------------ finding 4

  it('a session whose password was reset answers only the session, the password change and sign-out', async () => {
    const pat = await h.signIn(user('pat'), PASSWORD);
    const reset = await h.post(pat, '/api/team/ray/password-reset');
    expect(reset.status).toBe(200);
    const ray = await h.signIn(user('ray'), reset.json.temporaryPassword);

    const session = await h.get(ray, '/api/session');
    expect(session.status).toBe(200);
    expect(session.json.mustChangePassword).toBe(true);
    expect((await h.post(ray, '/api/session/keepalive')).status).toBe(204);
    const refusals = [
      await h.get(ray, '/api/clients'),
      await h.get(ray, '/api/clients/c1'),
      await h.get(ray, '/api/me'),
      await h.get(ray, '/api/team'),
      await h.get(ray, '/api/activity-log'),
      await h.post(ray, '/api/tasks', { client: 'c1', assignee: 'ana', title: 'x' }),
      await h.post(ray, '/api/session/totp/enroll'),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(403);
      expect(isProblem(r)).toBe(true);
      expect(r.json.code).toBe('password_change_required');
    }
    // Only the password change lifts it; the session then answers everything.
    expect((await h.post(ray, '/api/session/password', { current: reset.json.temporaryPassword, next: NEW_PASSWORD })).status).toBe(204);
    expect((await h.get(ray, '/api/session')).json.mustChangePassword).toBe(false);
    expect((await h.get(ray, '/api/clients')).status).toBe(200);
    expect((await h.get(ray, '/api/me')).status).toBe(200);
    // Signing out works while the change is pending, too.
    const again = await h.post(pat, '/api/team/ray/password-reset');
    const ray2 = await h.signIn(user('ray'), again.json.temporaryPassword);
    expect((await h.del(ray2, '/api/session')).status).toBe(204);
    expect((await h.get(ray2, '/api/session')).status).toBe(401);
  });

});
