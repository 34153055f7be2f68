/**
 * Validation of y-websocket frames before they touch a document. The protocol (y-protocols): a varUint
 * message type, then for `sync` (0) a varUint sync step — 0 state vector, 1 step-2 update, 2 update — and
 * a varUint8Array payload; for `awareness` (1) a varUint8Array awareness update; `queryAwareness` (3) has
 * no payload. A frame is accepted only when it decodes completely and its payload is well-formed.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const MSG_QUERY_AWARENESS = 3;

export type YMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; step2: boolean; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

export type YParse = { ok: true; message: YMessage } | { ok: false; reason: string };

export function parseYFrame(frame: Uint8Array, maxBytes: number): YParse {
  if (frame.byteLength > maxBytes) return { ok: false, reason: `frame of ${frame.byteLength} bytes exceeds ${maxBytes}` };
  try {
    const d = decoding.createDecoder(frame);
    const kind = decoding.readVarUint(d);
    let message: YMessage;
    if (kind === MSG_SYNC) {
      const step = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (step === 0) {
        Y.decodeStateVector(payload);
        message = { type: 'sync-step1', stateVector: payload };
      } else if (step === 1 || step === 2) {
        Y.decodeUpdate(payload);
        message = { type: 'sync-update', step2: step === 1, update: payload };
      } else return { ok: false, reason: `unknown sync step ${step}` };
    } else if (kind === MSG_AWARENESS) {
      const update = decoding.readVarUint8Array(d);
      checkAwareness(update);
      message = { type: 'awareness', update };
    } else if (kind === MSG_QUERY_AWARENESS) {
      message = { type: 'query-awareness' };
    } else return { ok: false, reason: `unknown message type ${kind}` };
    if (decoding.hasContent(d)) return { ok: false, reason: 'trailing bytes after message' };
    return { ok: true, message };
  } catch (err) {
    return { ok: false, reason: `malformed message: ${(err as Error).message || 'decode error'}` };
  }
}

/** An awareness update: count, then per client (clientID, clock, JSON state string). */
function checkAwareness(update: Uint8Array): void {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  if (n > 1000) throw new Error('too many awareness entries');
  for (let i = 0; i < n; i++) {
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    JSON.parse(decoding.readVarString(d));
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes in awareness update');
}
