/**
 * `npm start` serves the built client; this builds it (vite build) when dist/client is missing or older
 * than any source file of the client, so a fresh checkout needs no separate build step.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'e2e' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function clientIsStale(root: string, clientDir: string): boolean {
  let built: number;
  try {
    built = statSync(join(clientDir, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'crdt')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return sources > built;
}

export async function ensureClientBuilt(root: string, clientDir: string): Promise<void> {
  if (!clientIsStale(root, clientDir)) return;
  process.stderr.write('Building the client (vite build)…\n');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  process.stderr.write(`Client built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
