/**
 * Kernel-side UDP drops in this network namespace, attributed to processes: /proc/net/udp lists every
 * socket with its inode and the datagrams the kernel dropped on it (receive buffer full), and
 * /proc/<pid>/fd links name the socket inodes each process holds. /proc/net/snmp adds the namespace's
 * totals (RcvbufErrors). Linux only; anything unreadable reads as zero.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export type UdpDrops = { byPid: Record<number, { sockets: number; drops: number }>; rcvbufErrors: number };

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) out.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // the process is gone
  }
  return out;
}

export function udpDrops(pids: readonly number[]): UdpDrops {
  const byInode = new Map<string, number>();
  try {
    for (const line of readFileSync('/proc/net/udp', 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      byInode.set(f[9]!, Number(f[12]));
    }
  } catch {
    // not Linux
  }
  const byPid: UdpDrops['byPid'] = {};
  for (const pid of pids) {
    let sockets = 0;
    let drops = 0;
    for (const inode of socketInodes(pid)) {
      const d = byInode.get(inode);
      if (d === undefined) continue;
      sockets++;
      drops += d;
    }
    byPid[pid] = { sockets, drops };
  }
  let rcvbufErrors = 0;
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0]!.split(/\s+/);
    rcvbufErrors = Number(lines[1]!.split(/\s+/)[names.indexOf('RcvbufErrors')]);
  } catch {
    // not Linux
  }
  return { byPid, rcvbufErrors };
}

/** The receive buffer the kernel allows a socket to ask for (bytes), or NaN. */
export function rmemMax(): number {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  } catch {
    return NaN;
  }
}
