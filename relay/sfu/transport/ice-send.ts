/**
 * One datagram out through a werift ICE connection, the short way.
 *
 * werift's `IceConnection.send` checks that the nominated pair may carry media (RFC 7675 consent), then
 * goes through three async layers (connection → STUN protocol → UDP transport), four promises per
 * datagram, to `socket.send(data, port, host)` without a callback. On the relay's packet path that
 * bookkeeping costs about as much as the forwarding decision, so for a nominated pair on a UDP socket
 * this does the same check (werift's own, through a cast: it is private in its typings) and the same
 * `socket.send`, with the packet in pieces (scatter/gather, no concatenation). No nominated pair (not
 * connected yet, or an ICE restart under way) means no send. Anything else — TCP or TURN pairs, a
 * werift whose internals moved — goes through `connection.send`.
 */
import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport } from 'werift';

type Connection = RTCDtlsTransport['iceTransport']['connection'];
type Internals = {
  nominated?: { protocol: { type: string; transport?: { socket?: Socket; closed?: boolean } }; remoteAddr: readonly [string, number]; packetsSent: number; bytesSent: number };
  canSendApplicationData?: () => boolean;
};

const noop = () => {};

/** Sends `parts` as one datagram. False when the connection may not carry media now. */
export function iceSend(connection: Connection, parts: readonly Uint8Array[], length: number): boolean {
  const c = connection as unknown as Internals;
  const pair = c.nominated;
  if (!pair && typeof c.canSendApplicationData === 'function') return false;
  const socket = pair?.protocol.type === 'stun' ? pair.protocol.transport?.socket : undefined;
  if (!pair || !socket || typeof c.canSendApplicationData !== 'function') {
    connection.send(Buffer.concat(parts)).catch(noop);
    return true;
  }
  if (!c.canSendApplicationData() || pair.protocol.transport?.closed) return false;
  const [host, port] = pair.remoteAddr;
  socket.send(parts as Uint8Array[], port, host);
  pair.packetsSent++;
  pair.bytesSent += length;
  return true;
}
