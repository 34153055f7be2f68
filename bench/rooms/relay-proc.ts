/**
 * The relay under test in the rooms benchmark: Palabre's real relay (relay/server.ts: join API,
 * signalling, SFU) in its own process, pinned to its own core by run.ts, configured through the same
 * environment variables as `npm start` (run.ts sets RELAY_MODE=on and MESH_MAX=2, so a room escalates
 * as soon as its third participant joins). Its data directory is a fresh temporary one.
 *
 * For the report it counts, without touching relay code, what the forwarding core saw: packets in by
 * kind and deliveries out (wrapping CoreForwarder.prototype.onPacket, which every packet of every room
 * passes through), so the generator's sent count can be compared with what the relay received.
 * IPC out: `{ ready: port }`, `{ stats: RelayStats }`; in: `{ stats: true }`, `{ close: true }`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../relay/config.ts';
import { startRelay } from '../../relay/server.ts';
import { CoreForwarder } from '../../relay/sfu/transport/core-forwarder.ts';
import type { Logger } from '../../relay/log.ts';
import { reportStalls } from './stalls.ts';
import { RelayPeer } from '../../relay/sfu/transport/relay-peer.ts';

export type RelayStats = { rss: number; in: { audio: number; video: number }; forwarded: number; warnings: number };

const stats: RelayStats = { rss: 0, in: { audio: 0, video: 0 }, forwarded: 0, warnings: 0 };
const onPacket = CoreForwarder.prototype.onPacket;
CoreForwarder.prototype.onPacket = function (this: CoreForwarder, pub, packet, now) {
  const out = onPacket.call(this, pub, packet, now);
  stats.in[pub.kind]++;
  stats.forwarded += out.length;
  return out;
};

const T0 = performance.now();
const at = () => `+${((performance.now() - T0) / 1000).toFixed(1)} s`;
if (process.env.ROOMS_DEBUG) {
  let closes = 0;
  const close = RelayPeer.prototype.close;
  RelayPeer.prototype.close = function (this: RelayPeer) {
    if (!this.closed && closes++ < 30) process.stderr.write(`[relay peer close] ${at()} ${this.sessionId} ${this.connectionState} ${new Error().stack?.split('\n')[2]?.trim()}\n`);
    return close.call(this);
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'palabre-bench-'));
const quiet = () => {};
const log: Logger = {
  debug: quiet,
  info: process.env.ROOMS_DEBUG ? (msg, fields) => process.stderr.write(`[relay info] ${at()} ${msg} ${fields ? JSON.stringify(fields) : ''}\n`) : quiet,
  warn: (msg, fields) => (stats.warnings++ < 20 ? process.stderr.write(`[relay warn] ${msg} ${fields ? JSON.stringify(fields) : ''}\n`) : undefined),
  error: (msg, fields) => process.stderr.write(`[relay error] ${msg} ${fields ? JSON.stringify(fields) : ''}\n`),
};
const config = loadConfig({ RTC_HOST_ADDRESSES: '127.0.0.1', ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
const relay = await startRelay(config, { clientDir: '/nonexistent', log });

if (process.env.ROOMS_DEBUG) reportStalls('relay');

process.on('message', (m: { stats?: true; close?: true }) => {
  if (m.stats) {
    const mem = process.memoryUsage();
    if (process.env.ROOMS_DEBUG) process.stderr.write(`[relay memory] rss ${(mem.rss / 2 ** 20).toFixed(0)} MB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MB\n`);
    process.send?.({ stats: { ...stats, rss: mem.rss } });
  }
  if (m.close) {
    const exit = () => (rmSync(dataDir, { recursive: true, force: true }), process.exit(0));
    setTimeout(exit, 3000).unref();
    void relay.close().then(exit, exit);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: relay.port });
