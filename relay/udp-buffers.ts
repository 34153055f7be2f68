/**
 * A larger receive buffer on every UDP socket werift opens for ICE in this process.
 *
 * Why: the relay reads all of a room's media off a few sockets on one event loop; when a GC pause or
 * a burst of keyframes holds the loop for a few ms, the kernel queues what arrives meanwhile in the
 * socket's receive buffer, and the default (net.core.rmem_default, 208 KB here) overflowed from about
 * 12k packets/s: kernel drops, counted in /proc/net/snmp RcvbufErrors. The kernel caps the request at
 * net.core.rmem_max (and doubles it for its bookkeeping); raise that sysctl to get more.
 *
 * How: werift makes its sockets inside `UdpTransport.init` (werift 0.24, private in its typings), with
 * no option for the buffer, so this wraps that method once for the process. A werift whose internals
 * moved keeps its default buffer, nothing else changes.
 */
import { UdpTransport } from 'werift';
import type { Socket } from 'node:dgram';
import { shedWhenBehind } from './overload.ts';

export const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

let installed = false;

/** Also puts the overload shedder (overload.ts) in front of each socket's handler when `shed` (RELAY_SHED). */
export function raiseUdpReceiveBuffers(bytes = UDP_RECEIVE_BUFFER_BYTES, shed = true): void {
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
    if (shed) shedWhenBehind(this);
  };
}
