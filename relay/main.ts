/** Entry point: reads the environment, builds the client when it is missing or stale, and listens. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { ensureClientBuilt } from './build-client.ts';
import { startRelay } from './server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const config = loadConfig(process.env);
  const clientDir = join(root, 'dist', 'client');
  await ensureClientBuilt(root, clientDir);
  const relay = await startRelay(config, { clientDir });
  process.stderr.write(`Palabre is running on ${relay.url} (data in ${config.dataDir})\n`);
  const stop = () => {
    relay.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`palabre: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
