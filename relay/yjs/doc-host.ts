/**
 * Hosts room documents over the standard y-websocket protocol (y-protocols sync + awareness), so a stock
 * `y-websocket` WebsocketProvider can sync. One Y.Doc and one Awareness per room, loaded from the DocStore
 * on first connection, every update appended to it, unloaded a while after the last socket closes.
 *
 * Every frame is validated (y-message.ts) before it touches the document; an invalid one is answered with
 * the protocol's own error frame (auth / permission-denied with a reason) and is not applied.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { Logger } from '../log.ts';
import type { DocStore } from './doc-store.ts';
import { MSG_AUTH, MSG_AWARENESS, MSG_SYNC, parseYFrame } from './y-message.ts';
import { ROOM_KEYS } from '../../crdt/schema.ts';

export const MAX_Y_FRAME = 1024 * 1024;

type Room = { id: string; doc: Y.Doc; awareness: awarenessProtocol.Awareness; conns: Map<WebSocket, Set<number>>; idleSince: number };

export class DocHost {
  readonly #rooms = new Map<string, Room>();
  readonly counters = { applied: 0, rejected: 0 };

  constructor(
    readonly store: DocStore,
    readonly log: Logger,
    readonly clock: () => number = Date.now,
    readonly unloadAfterMs = 60_000,
  ) {}

  /** The loaded document of a room, if any socket has it open (or it is about to be unloaded). */
  get(roomId: string): Y.Doc | undefined {
    return this.#rooms.get(roomId)?.doc;
  }

  /** Loads (or returns) the room's document; used by sockets and by server-side edits. */
  open(roomId: string): Room {
    let room = this.#rooms.get(roomId);
    if (room) return room;
    const doc = new Y.Doc({ gc: true });
    // Define the shared types up front so a hostile update cannot claim a known name with another type.
    for (const key of [ROOM_KEYS.chat, ROOM_KEYS.hands, ROOM_KEYS.reactions, ROOM_KEYS.captions, ROOM_KEYS.transcript]) doc.getArray(key);
    doc.getText(ROOM_KEYS.notes);
    doc.getMap(ROOM_KEYS.summary);
    const loaded = this.store.load(roomId, doc);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    room = { id: roomId, doc, awareness, conns: new Map(), idleSince: this.clock() };
    const r = room;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.store) this.store.append(roomId, update);
      const frame = encoding.encode((e) => {
        encoding.writeVarUint(e, MSG_SYNC);
        syncProtocol.writeUpdate(e, update);
      });
      for (const conn of r.conns.keys()) if (conn !== origin) sendFrame(conn, frame);
    });
    awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const owned = r.conns.get(origin as WebSocket);
      if (owned) {
        for (const id of added) owned.add(id);
        for (const id of removed) owned.delete(id);
      }
      const frame = encoding.encode((e) => {
        encoding.writeVarUint(e, MSG_AWARENESS);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      });
      for (const conn of r.conns.keys()) sendFrame(conn, frame);
    });
    this.#rooms.set(roomId, room);
    this.log.debug('yjs: document loaded', { room: roomId, updates: loaded });
    return room;
  }

  attach(roomId: string, socket: WebSocket): void {
    const room = this.open(roomId);
    room.conns.set(socket, new Set());
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#onFrame(room, socket, data, isBinary));
    socket.on('close', () => this.#detach(room, socket));
    socket.on('error', (err) => this.log.warn('yjs: socket error', { room: roomId, error: err.message }));
    sendFrame(
      socket,
      encoding.encode((e) => {
        encoding.writeVarUint(e, MSG_SYNC);
        syncProtocol.writeSyncStep1(e, room.doc);
      }),
    );
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) {
      sendFrame(
        socket,
        encoding.encode((e) => {
          encoding.writeVarUint(e, MSG_AWARENESS);
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
        }),
      );
    }
  }

  #onFrame(room: Room, socket: WebSocket, data: Buffer, isBinary: boolean): void {
    const parsed = isBinary ? parseYFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), MAX_Y_FRAME) : ({ ok: false, reason: 'text frames are not part of the y-websocket protocol' } as const);
    if (!parsed.ok) {
      this.#deny(socket, parsed.reason);
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'sync-step1':
        sendFrame(socket, encoding.encode((e) => {
          encoding.writeVarUint(e, MSG_SYNC);
          syncProtocol.writeSyncStep2(e, room.doc, m.stateVector);
        }));
        break;
      case 'sync-update':
        try {
          Y.applyUpdate(room.doc, m.update, socket);
          this.counters.applied++;
        } catch (err) {
          // Only what Yjs integrated before throwing is emitted (and stored); the sender learns the rest was refused.
          this.#deny(socket, `update not applied: ${(err as Error).message}`);
        }
        break;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(room.awareness, m.update, socket);
        break;
      case 'query-awareness':
        sendFrame(socket, encoding.encode((e) => {
          encoding.writeVarUint(e, MSG_AWARENESS);
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
        }));
        break;
    }
  }

  #deny(socket: WebSocket, reason: string): void {
    this.counters.rejected++;
    sendFrame(socket, encoding.encode((e) => {
      encoding.writeVarUint(e, MSG_AUTH);
      authProtocol.writePermissionDenied(e, reason);
    }));
  }

  #detach(room: Room, socket: WebSocket): void {
    const owned = room.conns.get(socket);
    room.conns.delete(socket);
    if (owned && owned.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...owned], null);
    if (room.conns.size === 0) room.idleSince = this.clock();
  }

  /** Time passed: unload documents nobody has had open for a while (their history is already stored). */
  sweep(visit?: (roomId: string, doc: Y.Doc, now: number) => void): void {
    const now = this.clock();
    for (const room of [...this.#rooms.values()]) {
      visit?.(room.id, room.doc, now);
      if (room.conns.size === 0 && now - room.idleSince >= this.unloadAfterMs) this.#unload(room);
    }
  }

  #unload(room: Room): void {
    this.#rooms.delete(room.id);
    room.awareness.destroy();
    room.doc.destroy();
  }

  close(): void {
    for (const room of [...this.#rooms.values()]) {
      for (const conn of room.conns.keys()) conn.close(1012, 'relay restarting');
      this.#unload(room);
    }
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

function sendFrame(socket: WebSocket, frame: Uint8Array): void {
  if (socket.readyState === socket.OPEN) socket.send(frame, { binary: true });
}
