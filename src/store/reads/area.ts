/**
 * An area of the app as a read (ARCHITECTURE.md "The flow of a read"): which rows, read in
 * which mode, and the core's single check that lets each through (visibility.ts). reads/list.ts
 * holds the table of every area's definition.
 */
import type { ClientFacts, Context } from '../../core/index.js';
import type { Mode } from '../context.js';
import type { Queryable } from '../db/database.js';

export interface ListItem {
  readonly id: string;
  readonly client: string | null;
  readonly [field: string]: unknown;
}

/** What an area's read is given: its transaction, the viewer and the facts of the clients its rows name. */
export interface AreaRead {
  readonly tx: Queryable;
  readonly ctx: Context;
  readonly practice: string;
  readonly member: string;
  /** The access facts of these clients, read in the area's mode. */
  facts(ids: Iterable<string>): Promise<Map<string, ClientFacts>>;
}

export interface AreaDefinition {
  /** `member`: the rows row-level security lets through, then the core's filter; `system`: the core's filter alone. */
  readonly mode: Mode;
  read(r: AreaRead): Promise<ListItem[]>;
}
