/**
 * How the relay's UDP sockets are set up, for every socket werift opens for ICE in this process:
 *
 * - a larger receive buffer. The relay reads all of a room's media off a few sockets on one event
 *   loop; when a GC pause or a burst of keyframes holds the loop for a few ms, the kernel queues what
 *   arrives meanwhile in the socket's receive buffer, and the default (net.core.rmem_default, 208 KB
 *   here) overflowed from about 12k packets/s: kernel drops, counted in /proc/net/snmp RcvbufErrors.
 *   The kernel caps the request at net.core.rmem_max (and doubles it for its bookkeeping);
 * - optionally (RELAY_SHED), the overload shedder in front of the socket's handler (overload.ts).
 *
 * How: werift makes its sockets inside `UdpTransport.init` (werift 0.24, private in its typings), with
 * no option for either, so this wraps that method. The wrap is process-wide: the first call decides,
 * later ones change nothing. A werift whose internals moved keeps its defaults, nothing else changes.
 */
import { UdpTransport } from 'werift';
import type { Socket } from 'node:dgram';
import { shedWhenBehind } from './overload.ts';

export const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

let installed = false;

export function tuneUdpSockets(options: { shed: boolean; receiveBufferBytes?: number }): void {
  const bytes = options.receiveBufferBytes ?? UDP_RECEIVE_BUFFER_BYTES;
  const proto = UdpTransport.prototype as unknown as { init?: () => Promise<void>; socket: Socket };
  const init = proto.init;
  if (installed || typeof init !== 'function') return;
  installed = true;
  proto.init = async function (this: { socket: Socket; onData: (data: Buffer, addr: unknown) => void }) {
    await init.call(this);
    try {
      this.socket.setRecvBufferSize(bytes);
    } catch {
      // Refused (e.g. a closed socket): the default buffer still works.
    }
    if (options.shed) shedWhenBehind(this);
  };
}
