/**
 * The `fanout` scenario: one publisher → N subscribers through a relay process pinned to core 0 (the load
 * generators on core 1), raising the publisher's packet rate until loss passes 1 %, for Palabre's relay
 * and for the naive werift baseline under identical load, in the same run. Reports, per step: forwarded
 * packets/s, loss, relay CPU (% of its core), µs of relay CPU per forwarded packet, relay RSS.
 * WebRTC on loopback: run inside a loopback-only network namespace (npm run bench does, as root).
 */
import { fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { treeCpuSeconds } from '../proc-cpu.ts';
import type { ReceivePath, SendPath } from '../../relay/sfu/transport/relay-peer.ts';
import { LoadPeer, vp8Payload } from './load.ts';
import { nextMessage } from '../child-message.ts';
import type { ProfileName } from '../../relay/sfu/srtp/reference.ts';
import { profileName } from '../../relay/sfu/srtp/profiles.ts';

export type FanoutRow = { mode: 'palabre' | 'naive'; sendPath?: SendPath; receivePath?: ReceivePath; srtp: string; subscribers: number; rate: number; forwardedPerSecond: number; loss: number; relayCpuPercent: number; cpuUsPerForwarded: number; relayRssMb: number; sampledVerified: number; sampledAuthFailures: number };

const userSys = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return [Number(f[11]) / 100, Number(f[12]) / 100]; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0;

function startRelay(mode: 'palabre' | 'naive', sendPath: SendPath | undefined, receivePath: ReceivePath | undefined): ChildProcess {
  const script = fileURLToPath(new URL('./relay-proc.ts', import.meta.url));
  // FANOUT_CPU_PROF=<dir>: the relay process writes a V8 CPU profile there on exit (node --cpu-prof).
  const prof = process.env.FANOUT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_CPU_PROF}`] : [];
  const child = fork(script, mode === 'palabre' ? [mode, sendPath ?? 'default', receivePath ?? 'direct'] : [mode], { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (hasTaskset && child.pid) spawnSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
  return child;
}


async function connect(child: ChildProcess, peer: LoadPeer): Promise<void> {
  const sdp = await peer.offer();
  const answer = nextMessage(child, (m: any) => (m?.to === peer.session && m.message?.type === 'relay-answer' ? (m.message.sdp as string) : undefined), 'the relay\'s answer', 15_000);
  child.send({ offer: { session: peer.session, sdp } });
  await peer.answer(await answer);
  await Promise.race([peer.connected, sleep(15_000).then(() => Promise.reject(new Error(`${peer.session} did not connect`)))]);
}

/** `sendPath` and `receivePath` choose Palabre's paths (RelayRoomOptions.sendPath, RelayPeerOptions.receivePath; default: the relay's defaults). */
export async function runFanout(opts: { mode: 'palabre' | 'naive'; sendPath?: SendPath; receivePath?: ReceivePath; profile?: ProfileName; subscribers: number; rates: number[]; seconds: number; onProgress?: (l: string) => void }): Promise<FanoutRow[]> {
  if (hasTaskset) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const child = startRelay(opts.mode, opts.sendPath, opts.receivePath);
  const rows: FanoutRow[] = [];
  const peers: LoadPeer[] = [];
  try {
    await nextMessage(child, (m: any) => (m?.ready ? true : undefined), 'the relay to start', 15_000);
    const publisher = new LoadPeer('publisher', 'publisher', opts.profile);
    peers.push(publisher);
    await connect(child, publisher);
    for (let i = 0; i < opts.subscribers; i++) {
      const s = new LoadPeer(`subscriber-${i}`, 'subscriber', opts.profile);
      peers.push(s);
      await connect(child, s);
    }
    const subscribers = peers.slice(1);
    // The profile the publisher's and the first subscriber's links really use (they must agree).
    const profileOf = (p: LoadPeer) => profileName(p.pc) ?? 'unknown';
    const srtp = profileOf(publisher);
    if (profileOf(subscribers[0]!) !== srtp) throw new Error(`SRTP profiles differ: publisher ${srtp}, subscriber ${profileOf(subscribers[0]!)}`);
    for (const s of subscribers) s.lighten();
    const payload = vp8Payload();
    publisher.burst(5, payload); // a first keyframe, so every subscriber's layer is live
    await sleep(500);
    for (const rate of opts.rates) {
      opts.onProgress?.(`fanout ${fanoutLabel(opts)}: ${rate} packets/s → ${opts.subscribers} subscribers`);
      for (const s of subscribers) s.received = s.verified = s.authFailures = 0;
      const cpu0 = treeCpuSeconds(child.pid!);
      const us0 = userSys(child.pid!);
      const t0 = performance.now();
      let sent = 0;
      while (performance.now() - t0 < opts.seconds * 1000) {
        const due = Math.floor(((performance.now() - t0) / 1000) * rate) - sent;
        if (due > 0) {
          publisher.burst(due, payload);
          sent += due;
        }
        await sleep(5);
      }
      const wall = (performance.now() - t0) / 1000;
      await sleep(500);
      const cpu = treeCpuSeconds(child.pid!) - cpu0;
      const received = subscribers.reduce((a, s) => a + s.received, 0);
      if (process.env.FANOUT_DEBUG) console.error('per subscriber', subscribers.map((s) => s.received).join(','), 'sent', sent, 'user/sys s', userSys(child.pid!).map((x, i) => x - us0[i]!));
      const reply = nextMessage(child, (m: any) => m?.stats as { rss: number } | undefined, 'relay stats', 5000);
      child.send({ stats: true });
      const { rss } = await reply;
      const loss = Math.max(0, 1 - received / (sent * opts.subscribers));
      rows.push({ mode: opts.mode, ...(opts.mode === 'palabre' && opts.sendPath ? { sendPath: opts.sendPath } : {}), ...(opts.mode === 'palabre' && opts.receivePath ? { receivePath: opts.receivePath } : {}), srtp, subscribers: opts.subscribers, rate, forwardedPerSecond: received / wall, loss, relayCpuPercent: (100 * cpu) / wall, cpuUsPerForwarded: (cpu * 1e6) / Math.max(1, received), relayRssMb: rss / 2 ** 20, sampledVerified: subscribers.reduce((a, s) => a + s.verified, 0), sampledAuthFailures: subscribers.reduce((a, s) => a + s.authFailures, 0) });
      if (loss > 0.01) break;
    }
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    child.send({ close: true });
    await new Promise((r) => child.once('exit', r));
    if (hasTaskset) spawnSync('taskset', ['-a', '-p', '-c', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  }
  return rows;
}

/** "naive", "palabre", or "palabre (werift send, werift receive)" when a path isn't the default. */
export function fanoutLabel(r: { mode: 'palabre' | 'naive'; sendPath?: SendPath; receivePath?: ReceivePath }): string {
  if (r.mode === 'naive') return 'naive';
  const paths = [r.sendPath === 'werift' ? 'werift send' : '', r.receivePath === 'werift' ? 'werift receive' : ''].filter(Boolean);
  return paths.length > 0 ? `palabre (${paths.join(', ')})` : 'palabre';
}
