/**
 * One datagram out through a werift ICE connection, the short way.
 *
 * werift's `IceConnection.send` checks that the nominated pair may carry media (RFC 7675 consent), then
 * goes through three async layers (connection → STUN protocol → UDP transport), four promises per
 * datagram, to `socket.send(data, port, host)` without a callback. On the relay's packet path that
 * bookkeeping costs about as much as the forwarding decision, so for a nominated pair on a UDP socket
 * this does the same check (werift's own, through a cast: it is private in its typings) and the same
 * `socket.send`, with the packet in pieces (scatter/gather, no concatenation). No nominated pair (not
 * connected yet) means no send; during an ICE restart, the pair from before it (keepPairThroughRestart).
 * Anything else — TCP or TURN pairs, a werift whose internals moved — goes through `connection.send`.
 */
import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport } from 'werift';

type Connection = RTCDtlsTransport['iceTransport']['connection'];
type Internals = {
  nominated?: { protocol: { type: string; transport?: { socket?: Socket; closed?: boolean } }; remoteAddr: readonly [string, number]; packetsSent: number; bytesSent: number };
  canSendApplicationData?: () => boolean;
};

const noop = () => {};

type Pair = NonNullable<Internals['nominated']>;
/** The UDP socket iceSend sends on itself for `pair`; undefined for any other kind of pair. */
const socketOf = (pair: Pair | undefined) => (pair?.protocol.type === 'stun' ? pair.protocol.transport?.socket : undefined);
/** The pair in use when an ICE restart began, used until the restarted agent nominates one (keepPairThroughRestart). */
const previous = new WeakMap<object, Pair>();

/**
 * Before an ICE restart: media keeps going on the pair in use until the restarted agent nominates a
 * new one (RFC 8445 §9: the previously selected pair carries media until the new checks complete).
 * werift's restart forgets its pair at once; the browser keeps receiving on its old one meanwhile.
 * Measured in relay-network.e2e.ts: after an outage the restart offer, held back by TCP, often comes
 * right after the link is back, and the new checks took up to ~5 s, during which every packet to
 * that subscriber was dropped, and the holes then read as 65 % loss in its receiver reports.
 */
export function keepPairThroughRestart(connection: Connection): void {
  const pair = (connection as unknown as Internals).nominated;
  if (!pair) return;
  previous.set(connection, pair);
  if (ownSends.has(connection)) return;
  ownSends.add(connection);
  // werift's own sends (RTCP it builds: PLI, receiver reports, NACKs; DTLS) take the kept pair too. Its
  // `send` is an instance property; without this, a publisher asked for a keyframe during the restart's
  // checks never hears it (measured: its video stayed frozen ~2 s after the restarted ICE answered).
  const own = connection.send;
  connection.send = (data: Buffer) => (kept(connection) ? (iceSend(connection, [data], data.length), Promise.resolve()) : own(data));
}

/** Connections whose own `send` goes through the kept pair while none is nominated. */
const ownSends = new WeakSet<object>();

/** The kept pair is the one to send on now: none nominated, and it is a UDP pair iceSend sends on itself. */
function kept(connection: Connection): boolean {
  const c = connection as unknown as Internals;
  const pair = c.nominated ? undefined : previous.get(connection);
  return socketOf(pair) !== undefined && typeof c.canSendApplicationData === 'function';
}

/** Sends `parts` as one datagram. False when the connection may not carry media now. */
export function iceSend(connection: Connection, parts: readonly Uint8Array[], length: number): boolean {
  const c = connection as unknown as Internals;
  // The pair kept through a restart stays in the map after: a nominated pair always comes first, and the
  // next restart replaces it (no map work per send while one is nominated).
  const pair = c.nominated ?? previous.get(connection);
  if (!pair && typeof c.canSendApplicationData === 'function') return false;
  const socket = socketOf(pair);
  if (!pair || !socket || typeof c.canSendApplicationData !== 'function') {
    connection.send(Buffer.concat(parts)).catch(noop);
    return true;
  }
  if ((pair === c.nominated && !c.canSendApplicationData()) || pair.protocol.transport?.closed) return false;
  const [host, port] = pair.remoteAddr;
  socket.send(parts as Uint8Array[], port, host);
  pair.packetsSent++;
  pair.bytesSent += length;
  return true;
}
