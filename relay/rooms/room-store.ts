/** Which rooms exist. A room is created once by the join API and kept; its document lives in yjs_updates. */
import type { Db } from '../db.ts';
import { newRoomId } from './room-id.ts';

export type RoomRecord = { id: string; createdAt: number };

export class RoomStore {
  readonly #insert;
  readonly #get;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, number]>('INSERT OR IGNORE INTO rooms (id, created_at) VALUES (?, ?)');
    this.#get = db.prepare<[string], { id: string; created_at: number }>('SELECT id, created_at FROM rooms WHERE id = ?');
  }

  create(now: number, makeId: () => string = newRoomId): RoomRecord {
    for (;;) {
      const id = makeId();
      if (this.#insert.run(id, now).changes === 1) return { id, createdAt: now };
    }
  }

  get(id: string): RoomRecord | undefined {
    const row = this.#get.get(id);
    return row ? { id: row.id, createdAt: row.created_at } : undefined;
  }
}
