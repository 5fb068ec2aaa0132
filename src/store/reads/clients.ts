/** The clients area, the all-staff directory (004), and one client's facts. */
import { clientAccess, seesClient, seesContact, type ClientFacts } from '../../core/index.js';
import type { Store } from '../context.js';
import { loadClients } from '../facts/facts.js';
import type { AreaDefinition } from './area.js';

export const clientsArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<{ id: string; name: string; primary_clinician: string; restricted: boolean }>(
      'select id, name, primary_clinician, restricted from chartguard.clients where practice_id = $1 order by name, id',
      [practice],
    );
    const f = await facts(rows.map((r) => r.id));
    return rows
      .filter((r) => f.has(r.id) && seesClient(ctx, member, f.get(r.id)!))
      .map((r) => {
        const a = clientAccess(ctx, member, f.get(r.id)!);
        return { id: r.id, client: r.id, name: r.name, primary: r.primary_clinician, restricted: r.restricted, access: a.clinical ? 'clinical' : 'administrative' };
      });
  },
};

/** 004: the all-staff client directory: names and contact details, restricted clients left out. */
export const directoryArea: AreaDefinition = {
  mode: 'system',
  async read({ tx, ctx, practice, member }) {
    const clients = await loadClients(tx, practice, null);
    const rows = await tx.query<{ id: string; name: string; contact: string }>('select id, name, contact from chartguard.clients where practice_id = $1 order by name, id', [practice]);
    return rows.filter((r) => seesContact(ctx, member, clients.get(r.id)!)).map((r) => ({ id: r.id, client: r.id, name: r.name, contact: r.contact }));
  },
};

export async function clientState(store: Store, practice: string, client: string): Promise<ClientFacts | null> {
  return store.within(practice, null, 'system', async (tx) => (await loadClients(tx, practice, [client])).get(client) ?? null);
}
