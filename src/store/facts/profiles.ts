/**
 * Names for display: the practice's and its members' (not client data), and a client's
 * name and contact details read in member mode, so row-level security applies even here.
 * Callers ask the core (client.view_profile / client.view_contact) before showing a client.
 */
import type { Role } from '../../core/index.js';
import type { ChartGuard } from '../chartguard.js';

export interface PracticeProfile {
  readonly id: string;
  readonly name: string;
  /** The practice's IANA time zone (its setting). */
  readonly timeZone: string;
  readonly members: ReadonlyMap<string, { readonly id: string; readonly name: string; readonly roles: readonly Role[]; readonly email: string | null; readonly active: boolean }>;
}

export async function practiceProfile(cg: ChartGuard, practice: string): Promise<PracticeProfile | null> {
  return cg.within(practice, null, 'system', async (tx) => {
    const [p] = await tx.query<{ name: string; time_zone: string }>('select name, time_zone from chartguard.practices where id = $1', [practice]);
    if (!p) return null;
    const rows = await tx.query<{ id: string; display_name: string; roles: Role[]; email: string | null; active: boolean }>(
      'select id, display_name, roles, email, active from chartguard.members where practice_id = $1 order by id',
      [practice],
    );
    return { id: practice, name: p.name, timeZone: p.time_zone, members: new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name, roles: r.roles, email: r.email, active: r.active }])) };
  });
}

/** A client's name and contact details as `member` may read them (null when row-level security hides the client). */
export async function clientProfile(cg: ChartGuard, practice: string, member: string, client: string): Promise<{ name: string; contact: string } | null> {
  const [r] = await cg.readOnce<{ name: string; contact: string }>(practice, member, 'member', 'select name, contact from chartguard.clients where practice_id = $1 and id = $2', [practice, client]);
  return r ?? null;
}
