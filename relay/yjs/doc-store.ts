/**
 * Persistence of room documents: every Yjs update is appended to SQLite as it happens (so a crash or
 * restart loses nothing that was acknowledged), and a document's log is compacted into one update when
 * it is loaded with more than `compactAfter` entries.
 */
import * as Y from 'yjs';
import type { Db } from '../db.ts';

export class DocStore {
  readonly #append;
  readonly #load;
  readonly #clear;

  constructor(
    readonly db: Db,
    readonly compactAfter = 200,
  ) {
    this.#append = db.prepare<[string, Uint8Array]>('INSERT INTO yjs_updates (room, data) VALUES (?, ?)');
    this.#load = db.prepare<[string], { data: Buffer }>('SELECT data FROM yjs_updates WHERE room = ? ORDER BY id');
    this.#clear = db.prepare<[string]>('DELETE FROM yjs_updates WHERE room = ?');
  }

  /** Applies the stored history of `room` to `doc`; returns how many updates were read. */
  load(room: string, doc: Y.Doc): number {
    const rows = this.#load.all(room);
    if (rows.length === 0) return 0;
    const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data)));
    Y.applyUpdate(doc, merged, this);
    if (rows.length > this.compactAfter) {
      this.db.transaction(() => {
        this.#clear.run(room);
        this.#append.run(room, Y.encodeStateAsUpdate(doc));
      })();
    }
    return rows.length;
  }

  append(room: string, update: Uint8Array): void {
    this.#append.run(room, update);
  }
}
