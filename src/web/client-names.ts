/**
 * Client names for the ids the API answers with, fetched a few at a time as pages show them
 * (GET /api/directory/entries), never the whole directory: a name the member may not see
 * stays the id.
 */
import { api } from './api.js';

/** The API's limit on one lookup. */
const BATCH = 100;

/** What a client is called whose name the member may not see. */
const NAMELESS = 'a client';

export class ClientNames {
  private readonly known = new Map<string, string | null>();
  private readonly wanted = new Set<string>();
  private scheduled = false;

  /** `changed` is called when names arrive (the app renders again). */
  constructor(private readonly changed: () => void) {}

  /** Names learnt elsewhere (the client list). */
  learn(entries: Iterable<{ readonly id: string; readonly name: string }>): void {
    for (const e of entries) this.known.set(e.id, e.name);
  }

  /** Forgets the ids that came back without a name, so they are asked for again. */
  forgetNameless(): void {
    for (const [id, n] of this.known) if (n === null) this.known.delete(id);
  }

  /** The name when known; while it is asked for, an ellipsis; never the raw id (a client without a name to show is "a client"). */
  name(id: string): string {
    const n = this.known.get(id);
    if (n !== undefined) return n ?? NAMELESS;
    this.wanted.add(id);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => void this.fetch(), 0);
    }
    return '…';
  }

  private async fetch(): Promise<void> {
    this.scheduled = false;
    const ids = [...this.wanted];
    this.wanted.clear();
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      // Asked once: an id that comes back nameless stays its id.
      for (const id of batch) this.known.set(id, null);
      try {
        const r = await api.directoryEntries(batch);
        for (const e of r.items) this.known.set(e.id, e.name);
      } catch {
        for (const id of batch) this.known.delete(id);
      }
    }
    this.changed();
  }
}
