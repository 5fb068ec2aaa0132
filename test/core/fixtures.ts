/** Small practices built from plain data, for the core's unit tests. */
import { makeClient, makeTeam, type ClientFacts, type CommandFacts, type CommandInput, type Context, type Role } from '../../src/core/index.js';

export const NOW = Date.UTC(2026, 0, 5, 9);

export function practice(
  members: Record<string, Role[]>,
  options: { supervision?: [string, string][]; directory?: 'by_role' | 'all_staff'; now?: number } = {},
): Context {
  return {
    team: makeTeam({
      members: Object.entries(members).map(([id, roles]) => ({ id, roles })),
      supervision: (options.supervision ?? []).map(([supervisor, supervisee]) => ({ supervisor, supervisee })),
      settings: { clientDirectory: options.directory ?? 'by_role' },
    }),
    now: options.now ?? NOW,
  };
}

export const client = makeClient;

export function input(ctx: Context, actor: string, clients: ClientFacts[] = [], extra: Partial<CommandFacts> = {}): CommandInput {
  return {
    ctx,
    actor,
    facts: {
      clients: new Map(clients.map((c) => [c.id, c])),
      notes: extra.notes ?? new Map(),
      primaryCounts: extra.primaryCounts ?? new Map(),
      existingIds: extra.existingIds ?? new Set(),
      ...(extra.settings ? { settings: extra.settings } : {}),
    },
  };
}

export const TEAM: Record<string, Role[]> = {
  olivia: ['account_owner'],
  pat: ['practice_administrator'],
  mia: ['practice_manager'],
  bill: ['practice_biller'],
  sky: ['practice_scheduler'],
  ana: ['clinician_basic'],
  ben: ['clinician_basic'],
  bella: ['clinician_billing'],
  frank: ['clinician_full_client_list'],
  eve: ['clinician_entire_practice'],
  cora: ['clinician_basic', 'clinical_administrator'],
  sam: ['supervisor'],
};
