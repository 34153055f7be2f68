/** CPU time of a process and all its descendants, read from /proc (Linux), in seconds. */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

type Stat = { pid: number; ppid: number; cpu: number };

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state ppid … utime(12th of rest → index 11) stime(12)
    return { pid, ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / TICKS };
  } catch {
    return undefined;
  }
}

export function treeCpuSeconds(root: number): number {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is Stat => !!s);
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let total = 0;
  const stack = all.filter((s) => s.pid === root);
  while (stack.length > 0) {
    const s = stack.pop()!;
    total += s.cpu;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return total;
}
