/**
 * Load shedding at the socket: when the relay's event loop falls behind, incoming video RTP is dropped
 * before anything is spent on it, so that ICE consent checks, DTLS, RTCP and audio keep being answered.
 *
 * Why: the relay decrypts every packet it reads, and past its capacity (measured with bench/ rooms: about
 * 56k forwarded packets/s per core) the backlog grows until every answer is seconds late; at 90
 * participants of `meeting-150`'s shape every connection then failed (ICE consent and DTLS give up) and
 * the room was lost. Dropping video first degrades the room instead (frozen tiles recover at the next
 * keyframe; audio goes on).
 *
 * "Behind" is read off a 20 ms timer: when it last ran more than `lagMs` ago, the loop is busy with a
 * backlog. Video is told from audio without decrypting: an RTP datagram over `minVideoBytes` (Opus
 * packets are ~60–200 bytes, video packets mostly ~1,000). STUN (first byte 0–3), DTLS (20–63) and RTCP
 * (payload types 192–223) always pass.
 */

export type ShedParams = { lagMs: number; minVideoBytes: number };
export const DEFAULT_SHED: ShedParams = { lagMs: 100, minVideoBytes: 400 };

/** Whether a datagram is RTP media large enough to be video (not STUN, DTLS or RTCP). Pure. */
export function isSheddable(data: Uint8Array, minVideoBytes = DEFAULT_SHED.minVideoBytes): boolean {
  if (data.length < minVideoBytes) return false;
  const first = data[0]!;
  if (first < 128 || first > 191) return false; // not RTP/RTCP (RFC 7983)
  const pt = data[1]! & 0x7f;
  return !(pt >= 64 && pt <= 95); // RTCP packet types 192–223 show as 64–95 once the marker bit is cleared
}

export const shedStats = { shed: 0 };

let lastTick = 0;
let timer: NodeJS.Timeout | undefined;

function startClock(): void {
  if (timer) return;
  lastTick = performance.now();
  timer = setInterval(() => void (lastTick = performance.now()), 20);
  timer.unref();
}

type DataHandler = (data: Buffer, addr: unknown) => void;

/** Puts the shedder in front of a werift UdpTransport's `onData`, whatever handler werift assigns later. */
export function shedWhenBehind(transport: { onData: DataHandler }, params: ShedParams = DEFAULT_SHED): void {
  startClock();
  let handler = transport.onData;
  const wrapped: DataHandler = (data, addr) => {
    if (performance.now() - lastTick > params.lagMs && isSheddable(data, params.minVideoBytes)) {
      shedStats.shed++;
      return;
    }
    handler(data, addr);
  };
  Object.defineProperty(transport, 'onData', {
    configurable: true,
    enumerable: true,
    get: () => wrapped,
    set: (fn: DataHandler) => void (handler = fn),
  });
}
