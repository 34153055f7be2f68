/** Listens: HTTP through @hono/node-server, WebSocket upgrades handed to the relay. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDb } from './db.ts';
import { createLogger } from './log.ts';
import type { Logger } from './log.ts';
import { createRelay } from './app.ts';
import { tuneUdpSockets } from './udp-sockets.ts';
import { startLoadMonitor } from './load-monitor.ts';

export type RunningRelay = { url: string; port: number; close(): Promise<void> };

export async function startRelay(config: Config, options: { clientDir: string; log?: Logger }): Promise<RunningRelay> {
  const log = options.log ?? createLogger(config.logLevel);
  tuneUdpSockets({ shed: config.shedLoad });
  const db = openDb(join(config.dataDir, 'palabre.sqlite'));
  const load = config.capacityLimit ? startLoadMonitor(log) : undefined;
  const relay = createRelay({ config, db, log, clientDir: options.clientDir, load });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: relay.app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
    (s as Server).once('error', reject);
  });
  server.on('upgrade', (req, socket, head) => relay.upgrade(req, socket, head));
  const timer = setInterval(() => relay.tick(), 1000);
  timer.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        load?.close();
        relay.close();
        server.closeAllConnections?.();
        server.close(() => {
          db.close();
          resolve();
        });
      });
      return closing;
    },
  };
}
