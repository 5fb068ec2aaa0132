import { describe, expect, it } from 'vitest';
import { administrativeAccess, clinicalAccess, DAY_MS } from '../../src/core/index.js';
import { client, practice, TEAM, NOW } from './fixtures.js';

const ctx = practice(TEAM, { supervision: [['sam', 'ana']] });

describe('clientAccess: who holds clinical and administrative access, and why', () => {
  const c1 = client({ id: 'c1', primary: 'ana' });

  it('gives the owner and the primary clinician both, by their own path (000, 003)', () => {
    expect(clinicalAccess(ctx, 'olivia', c1)?.kind).toBe('account_owner');
    expect(administrativeAccess(ctx, 'olivia', c1)?.kind).toBe('account_owner');
    expect(clinicalAccess(ctx, 'ana', c1)?.kind).toBe('primary_clinician');
    expect(administrativeAccess(ctx, 'ana', c1)?.kind).toBe('primary_clinician');
  });

  it('gives administrative roles administrative access only (000 table "Not applicable")', () => {
    for (const m of ['mia', 'bill', 'sky', 'frank']) {
      expect(administrativeAccess(ctx, m, c1)?.kind, m).toBe('role');
      expect(clinicalAccess(ctx, m, c1), m).toBeNull();
    }
  });

  it('gives entire-practice clinicians and clinical administrators clinical access by role (000, 004)', () => {
    expect(clinicalAccess(ctx, 'eve', c1)).toEqual({ kind: 'role', role: 'clinician_entire_practice' });
    expect(clinicalAccess(ctx, 'cora', c1)).toEqual({ kind: 'role', role: 'clinical_administrator' });
  });

  it('gives basic and billing clinicians, the practice administrator and an idle supervisor nothing (000, 004)', () => {
    const c2 = client({ id: 'c2', primary: 'ben' });
    for (const m of ['ana', 'bella', 'pat', 'sam']) {
      expect(clinicalAccess(ctx, m, c2), m).toBeNull();
      expect(administrativeAccess(ctx, m, c2), m).toBeNull();
    }
  });

  it("gives a supervisor administrative access to the supervisee's clients, never clinical (000, 002)", () => {
    expect(administrativeAccess(ctx, 'sam', c1)).toEqual({ kind: 'supervision', supervisee: 'ana' });
    expect(clinicalAccess(ctx, 'sam', c1)).toBeNull();
  });

  it('ends a time-limited grant at its expiry (002 temporary coverage)', () => {
    const c = client({ id: 'c', primary: 'ana', grants: [['ben', { expiresAt: NOW + DAY_MS }]] });
    expect(clinicalAccess(ctx, 'ben', c)?.kind).toBe('clinical_grant');
    expect(clinicalAccess({ ...ctx, now: NOW + DAY_MS }, 'ben', c)).toBeNull();
  });

  it("removes an administrative clinician's clinical access with their administrative access (000 cascade)", () => {
    const c = client({ id: 'c', primary: 'ana', restricted: true, administrativeRevoked: ['eve', 'frank'], sharedWithAll: true, grants: [['frank', { expiresAt: null }]] });
    expect(clinicalAccess(ctx, 'eve', c)).toBeNull();
    expect(clinicalAccess(ctx, 'frank', c)).toBeNull();
    expect(administrativeAccess(ctx, 'frank', c)).toBeNull();
  });

  it('shares a client with every clinician, not with administrative staff (003)', () => {
    const c = client({ id: 'c', primary: 'ana', sharedWithAll: true });
    expect(clinicalAccess(ctx, 'ben', c)?.kind).toBe('shared_with_all');
    expect(clinicalAccess(ctx, 'bella', c)?.kind).toBe('shared_with_all');
    expect(clinicalAccess(ctx, 'bill', c)).toBeNull();
    expect(clinicalAccess(ctx, 'sam', c)).toBeNull();
  });

  it('knows nobody outside the team', () => {
    expect(clinicalAccess(ctx, 'stranger', c1)).toBeNull();
    expect(administrativeAccess(ctx, 'stranger', c1)).toBeNull();
  });
});
