/**
 * A process that reads and drops UDP datagrams on loopback ports: what the benchmarks send to when
 * they measure the sender alone. On loopback the sender's system call also queues each datagram on the
 * receiving socket and wakes its reader, which a live subscriber costs too; an unbound port costs more
 * (the kernel answers each datagram with ICMP: measured 13.1 against 11.4 µs per SRTP seal and send,
 * side by side), and the receiving work itself lands on this other process, not on the one measured.
 */
import { spawn } from 'node:child_process';

export type UdpSink = { ports: number[]; stop(): void };

/** Binds 127.0.0.1 on each of `ports` (0: any free port) in a child process. */
export async function startUdpSink(ports: number[] = [0]): Promise<UdpSink> {
  const code = `const dgram = require('node:dgram');
    const ports = JSON.parse(process.argv[1]);
    Promise.all(ports.map((p) => new Promise((resolve, reject) => {
      const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
      s.on('message', () => {});
      s.once('error', reject);
      s.bind(p, '127.0.0.1', () => resolve(s.address().port));
    }))).then((bound) => process.send(bound), (e) => { console.error('udp sink: ' + e.message); process.exit(1); });
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', code, JSON.stringify(ports)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const bound = await new Promise<number[]>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number[]));
    child.once('exit', (c) => reject(new Error(`UDP sink exited with ${c}`)));
  });
  return { ports: bound, stop: () => void child.kill() };
}
