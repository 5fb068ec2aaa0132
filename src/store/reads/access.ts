/**
 * Single checks and the questions about access: may I, the Privacy tab and its panel rows,
 * who can access a client, each with the core's reasons (what a member can access, a page at
 * a time: reach-pages.ts).
 */
import {
  canInPractice,
  canLiftThrottle,
  canManagePayment,
  canOnClient,
  canOnNote,
  canResetPassword,
  clientAccess,
  explainPath,
  panelRow,
  targeted,
  privacyTab,
  refuse,
  seesClient,
  type Decision,
  type PanelRow,
  type Permission,
  type PrivacyTab,
} from '../../core/index.js';
import { readContext, txContext, type Store } from '../context.js';
import { loadNotes, loadRestrictedClients } from '../facts/facts.js';

/**
 * A single check with its reasons. It reads the cached facts (no transaction: a check
 * writes nothing), so an authorized read of a warm practice makes no round trip.
 */
export async function check(store: Store, practice: string, member: string, permission: Permission, target: { client?: string; note?: string; payment?: string } = {}): Promise<Decision> {
  const ctx = await readContext(store, practice);
  const t = targeted(permission);
  switch (t.target) {
    case 'practice':
      return canInPractice(ctx, member, t.permission);
    case 'client': {
      const client = target.client ? await store.facts.client(practice, target.client) : undefined;
      if (!client) return refuse('not_found', 'No such client.');
      return canOnClient(ctx, member, t.permission, client);
    }
    case 'note': {
      const note = target.note ? (await loadNotes(store.db, practice, [target.note])).get(target.note) : undefined;
      if (!note) return refuse('not_found', 'No such note.');
      const client = (await store.facts.client(practice, note.client))!;
      return canOnNote(ctx, member, t.permission, note, client);
    }
    case 'payment': {
      const covers = target.payment
        ? await store.db.query<{ client_id: string }>('select client_id from chartguard.insurance_payment_clients where practice_id = $1 and payment_id = $2', [practice, target.payment])
        : [];
      if (covers.length === 0) return refuse('not_found', 'No such insurance payment.');
      const clients = await store.facts.clients(practice, covers.map((c) => c.client_id));
      return canManagePayment(ctx, member, [...clients.values()]);
    }
  }
}

/** Whether `actor` may reset `member`'s password (004), as a decision. */
export async function checkPasswordReset(store: Store, practice: string, actor: string, member: string): Promise<Decision> {
  return store.within(practice, actor, 'system', async (tx) =>
    canResetPassword(await txContext(store, tx, practice), actor, member, (await loadRestrictedClients(tx, practice)).values()),
  );
}

/** Whether `actor` may lift `member`'s sign-in throttle, as a decision. */
export async function checkThrottleLift(store: Store, practice: string, actor: string, member: string): Promise<Decision> {
  return store.within(practice, actor, 'system', async (tx) => canLiftThrottle(await txContext(store, tx, practice), actor, member));
}

/** The access panel row `viewer` sees for `member` on a client. */
export async function panel(store: Store, practice: string, viewer: string, client: string, member: string): Promise<PanelRow | null> {
  const ctx = await readContext(store, practice);
  const c = await store.facts.client(practice, client);
  if (!c || !ctx.team.members.has(member)) return null;
  return panelRow(ctx, viewer, c, member);
}

/** The whole Privacy tab; null when the client does not exist or the viewer may not see it. */
export async function privacyTabOf(store: Store, practice: string, viewer: string, client: string): Promise<PrivacyTab | null> {
  const ctx = await readContext(store, practice);
  const c = await store.facts.client(practice, client);
  if (!c || !seesClient(ctx, viewer, c)) return null;
  return privacyTab(ctx, viewer, c);
}

/** "Who can access this client, and why": every member with any access, with its reasons. */
export async function whoCanAccess(store: Store, practice: string, viewer: string, client: string) {
  const ctx = await readContext(store, practice);
  const c = await store.facts.client(practice, client);
  if (!c || !seesClient(ctx, viewer, c)) return null;
  const rows = [];
  for (const member of [...ctx.team.members.keys()].sort()) {
    const a = clientAccess(ctx, member, c);
    if (!a.clinical && !a.administrative) continue;
    rows.push({
      member,
      roles: ctx.team.members.get(member)!.roles,
      clinical: a.clinical ? explainPath('clinical', a.clinical) : null,
      administrative: a.administrative ? explainPath('administrative', a.administrative) : null,
    });
  }
  return { client, restricted: c.restricted, members: rows };
}
