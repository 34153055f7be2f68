/**
 * The `rooms` scenario: N synthetic participants (participant.ts) in one room of Palabre's real relay
 * (relay-proc.ts, its own process pinned to core 0) over real ICE/DTLS-SRTP on loopback, the load
 * generators (load-proc.ts, several processes) pinned to core 1. Participants join one after the
 * other (a few at a time) through the join API and the signalling socket; once all are in, the room
 * settles for 2 s, then everything is measured over `seconds` (summary.ts).
 * WebRTC on loopback: run inside a loopback-only network namespace (npm run bench does, as root).
 * ROOMS_DEBUG=1 prints the relay's counters and each participant's streams after the window, and while
 * it runs the relay's info log, each relay connection it closes (and why), and every process's
 * event-loop stalls (stalls.ts). ROOMS_CPU_PROF=<dir> writes the relay's V8 CPU profile there.
 */
import { fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { treeCpuSeconds } from '../proc-cpu.ts';
import type { LoadMessage, ParticipantReport } from './load-proc.ts';
import type { ParticipantSpec } from './participant.ts';
import type { RoomPreset } from './presets.ts';
import type { RelayStats } from './relay-proc.ts';
import { summarize } from './summary.ts';
import type { RoomsRow } from './summary.ts';
import { udpDrops } from './udp-drops.ts';
import { nextMessage } from '../child-message.ts';
import type { ProfileName } from '../../relay/sfu/srtp/reference.ts';

export type RoomsOptions = {
  preset: RoomPreset;
  seconds: number;
  /** Load-generator processes (default: one per 40 participants). */
  loadProcs?: number;
  /** Decrypt (and so authenticate) one received packet in this many (default 20). */
  verifyEvery?: number;
  /** Participants obey the relay's `layers` (default true, as browsers do); false: every layer always. */
  followLayers?: boolean;
  /** Joins in flight at once (default 4). */
  joinConcurrency?: number;
  /** The only SRTP profile participants allow (default: werift's choice, GCM; Chromium offers only SHA1_80). */
  profile?: ProfileName;
  onProgress?: (line: string) => void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0;
const pin = (pid: number, cpu: string) => hasTaskset && spawnSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { stdio: 'ignore' });
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));


export async function runRooms(o: RoomsOptions): Promise<RoomsRow> {
  const { preset } = o;
  const progress = o.onProgress ?? (() => {});
  pin(process.pid, '1');
  const env = { ...process.env, RELAY_MODE: 'on', MESH_MAX: '2', ROOM_MAX: String(Math.max(150, preset.participants)), LOG_LEVEL: 'warn' };
  // ROOMS_CPU_PROF=<dir>: the relay process writes a V8 CPU profile there on exit (node --cpu-prof).
  const prof = process.env.ROOMS_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ROOMS_CPU_PROF}`] : [];
  const relay = fork(script('relay-proc.ts'), [], { execArgv: ['--import', 'tsx', ...prof], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const loads: ChildProcess[] = [];
  try {
    const port = await nextMessage(relay, (m: any) => m?.ready as number | undefined, 'the relay to start');
    pin(relay.pid!, '0');
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/api/rooms`, { method: 'POST' });
    const { roomId } = (await created.json()) as { roomId: string };
    const procs = Math.max(1, Math.min(preset.participants, o.loadProcs ?? Math.ceil(preset.participants / 40)));
    for (let i = 0; i < procs; i++) loads.push(fork(script('load-proc.ts'), [base, roomId], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(loads.map((l) => nextMessage(l, (m: any) => (m?.ready ? true : undefined), 'a load generator to start')));
    progress(`rooms ${preset.name}: relay on core 0 (pid ${relay.pid}), ${procs} load generator process(es) on core 1, ${preset.participants} participants joining`);

    // Joins, a few in flight at a time, round-robin over the load processes.
    const failures: string[] = [];
    let joined = 0;
    let inFlight = 0;
    const concurrency = o.joinConcurrency ?? 4;
    const joinedAt = Date.now();
    for (let i = 0; i < preset.participants; i++) {
      while (inFlight >= concurrency) await sleep(5);
      const spec: ParticipantSpec = { index: i, video: preset.video, tiles: preset.tiles, talking: i < preset.talkers, verifyEvery: o.verifyEvery ?? 20, followLayers: o.followLayers ?? true, ...(o.profile ? { profile: o.profile } : {}) };
      const load = loads[i % procs]!;
      inFlight++;
      void nextMessage(load, (m: any) => (m?.joined === i || m?.failed === i ? m : undefined), `participant ${i} to join`, 60_000)
        .then((m: { failed?: number; error?: string }) => {
          if (m.failed !== undefined) failures.push(`participant ${i}: ${m.error}`);
          else joined++;
        }, (err: Error) => failures.push(err.message))
        .finally(() => {
          inFlight--;
          if ((joined + failures.length) % 10 === 0 || joined + failures.length === preset.participants) progress(`rooms ${preset.name}: ${joined} joined${failures.length ? `, ${failures.length} failed` : ''} (${((Date.now() - joinedAt) / 1000).toFixed(1)} s)`);
        });
      load.send({ join: spec } satisfies LoadMessage);
    }
    while (inFlight > 0) await sleep(20);
    if (failures.length > 0) progress(`rooms ${preset.name}: failed joins: ${failures.slice(0, 3).join('; ')}`);

    const busy = loadavg()[0]!;
    progress(`rooms ${preset.name}: settling 2 s, then measuring ${o.seconds} s${busy > 2.5 ? ` (load average ${busy.toFixed(1)}, this run's included: other processes compete for the 2 cores, figures will be noisy)` : ''}`);
    await sleep(2000);
    const stats = async () => {
      const reply = nextMessage(relay, (m: any) => m?.stats as RelayStats | undefined, 'relay stats');
      relay.send({ stats: true });
      return reply;
    };
    const pids = () => loads.map((l) => l.pid!);
    const genCpu = () => pids().reduce((a, pid) => a + treeCpuSeconds(pid), 0);
    const drops0 = udpDrops([relay.pid!, ...pids()]);
    const before = await stats();
    const cpu0 = treeCpuSeconds(relay.pid!);
    const gen0 = genCpu();
    const t0 = performance.now();
    for (const l of loads) l.send({ measure: true } satisfies LoadMessage);
    await sleep(o.seconds * 1000);
    for (const l of loads) l.send({ measure: false } satisfies LoadMessage);
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = treeCpuSeconds(relay.pid!) - cpu0;
    const generatorCpuSeconds = genCpu() - gen0;
    const after = await stats();
    const drops1 = udpDrops([relay.pid!, ...pids()]);
    const delta = (pid: number) => (drops1.byPid[pid]?.drops ?? 0) - (drops0.byPid[pid]?.drops ?? 0);
    const reports = (await Promise.all(loads.map((l) => {
      const reply = nextMessage(l, (m: any) => m?.report as ParticipantReport[] | undefined, 'a load report');
      l.send({ report: true } satisfies LoadMessage);
      return reply;
    }))).flat();
    if (process.env.ROOMS_DEBUG) {
      console.error('relay before/after', JSON.stringify(before), JSON.stringify(after));
      for (const r of reports) console.error(r.index, JSON.stringify({ sent: r.path?.sent, streams: r.path?.streams.map((s) => `${s.kind}:${s.received}/${s.expected}`), lag: r.path?.lagUs, errors: r.errors }));
    }
    const row = summarize(o.followLayers === false ? { ...preset, name: `${preset.name} all-layers` } : preset, reports, {
      seconds,
      relay: { before, after, cpuSeconds },
      generatorCpuSeconds,
      kernelDrops: { relay: delta(relay.pid!), generators: pids().reduce((a, pid) => a + delta(pid), 0), rcvbufErrors: drops1.rcvbufErrors - drops0.rcvbufErrors },
    });
    row.errors.unshift(...failures.slice(0, 5));
    row.loadAverage = busy;
    return row;
  } finally {
    for (const l of loads) if (l.connected) l.send({ close: true } satisfies LoadMessage);
    await Promise.all(loads.map((l) => (l.exitCode === null ? new Promise((r) => l.once('exit', r)) : undefined)));
    if (relay.connected) relay.send({ close: true });
    if (relay.exitCode === null) await new Promise((r) => relay.once('exit', r));
    pin(process.pid, `0-${cpus().length - 1}`);
  }
}
