/**
 * The forwarding core alone (relay/sfu/forwarder.ts, exactly what the relay runs), driven by seeded
 * synthetic traffic: every participant publishes audio (50 packets/s, RFC 6464 levels, 3 talkers) and
 * optionally VP8 simulcast video in 3 layers; every participant shows up to `tiles` others (the first one
 * large, the rest small) and receives the loudest three. The traffic is generated before timing starts.
 * Measured: incoming packets per CPU second, ns per incoming packet, deliveries (forwarding decisions)
 * per second, and heap growth per million packets after a full GC.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Forwarder } from '../relay/sfu/forwarder.ts';
import type { Delivery, Publication } from '../relay/sfu/forwarder.ts';
import { Subscriptions } from '../relay/sfu/select/index.ts';
import { AUDIO_LEVEL_EXT, roomTraffic } from '../relay/sfu/testing/synthetic.ts';
import type { SyntheticPacket } from '../relay/sfu/testing/synthetic.ts';

export type CoreResult = { preset: string; participants: number; video: boolean; tiles: number; packets: number; deliveries: number; packetsPerCpuSecond: number; nsPerPacket: number; deliveriesPerCpuSecond: number; heapBytesPerMillionPackets: number };

export type CorePreset = { name: string; participants: number; video: boolean; tiles: number };
export const CORE_PRESETS: CorePreset[] = [
  { name: 'audio-150', participants: 150, video: false, tiles: 0 },
  { name: 'meeting-25', participants: 25, video: true, tiles: 24 },
  { name: 'meeting-150', participants: 150, video: true, tiles: 25 },
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function runCore(preset: CorePreset, durationMs: number, onProgress: (label: string) => void = () => {}): CoreResult {
  onProgress(`core ${preset.name}: generating ${durationMs / 1000} s of traffic`);
  const ids = Array.from({ length: preset.participants }, (_, i) => `p${i}`);
  const subscriptions = new Subscriptions();
  const forwarder = new Forwarder(subscriptions);
  for (const id of ids) {
    forwarder.addSubscriber(id, ['a0', 'a1', 'a2']);
    if (preset.video) subscriptions.publish(id, 'video');
  }
  ids.forEach((id, i) => {
    const shown = Array.from({ length: Math.min(preset.tiles, ids.length - 1) }, (_, k) => ids[(i + 1 + k) % ids.length]!);
    shown.forEach((pid, slot) => forwarder.assignVideo(id, `v${slot}`, pid, 'video'));
    subscriptions.show(id, shown.map((pid, k) => ({ publisherId: pid, kind: 'video' as const, width: k === 0 ? 1280 : 320, height: k === 0 ? 720 : 180 })), 0);
  });
  const audio: Publication[] = ids.map((id) => ({ publisherId: id, kind: 'audio', codec: 'opus', audioLevelExtId: AUDIO_LEVEL_EXT }));
  const video: Publication[] = ids.map((id) => ({ publisherId: id, kind: 'video', codec: 'vp8' }));
  const packets: SyntheticPacket[] = [...roomTraffic({ publishers: preset.participants, video: preset.video, talkers: 3, durationMs, seed: 1 })];

  onProgress(`core ${preset.name}: forwarding ${packets.length.toLocaleString('en')} packets`);
  const out: Delivery[] = [];
  let deliveries = 0;
  let lastUpdate = -1000;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  for (const p of packets) {
    if (p.at - lastUpdate >= 100) {
      subscriptions.update(p.at);
      lastUpdate = p.at;
    }
    deliveries += forwarder.onPacket(p.kind === 'audio' ? audio[p.publisher]! : video[p.publisher]!, p.layer, p.bytes, p.at, out);
  }
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  gc();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  return {
    preset: preset.name,
    participants: preset.participants,
    video: preset.video,
    tiles: preset.tiles,
    packets: packets.length,
    deliveries,
    packetsPerCpuSecond: packets.length / seconds,
    nsPerPacket: (seconds * 1e9) / packets.length,
    deliveriesPerCpuSecond: deliveries / seconds,
    heapBytesPerMillionPackets: (heapGrowth / packets.length) * 1e6,
  };
}
