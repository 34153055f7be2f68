/**
 * Serves the built client (dist/client): hashed assets with a long cache life, and index.html for `/`
 * and for every room link `/<room-id>` (the client routes by pathname).
 */
import type { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { ROOM_ID } from '../rooms/room-id.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
};

export function serveClient(app: Hono, root: string): void {
  const file = async (path: string) => {
    const full = normalize(join(root, path));
    if (!full.startsWith(normalize(root) + sep)) return undefined;
    try {
      if (!(await stat(full)).isFile()) return undefined;
      return { body: await readFile(full), type: TYPES[extname(full)] ?? 'application/octet-stream' };
    } catch {
      return undefined;
    }
  };
  const index = async () => {
    const f = await file('index.html');
    if (!f) return new Response('The client is not built: run `npm run build` (npm start does it for you).', { status: 503 });
    return new Response(new Uint8Array(f.body), { headers: { 'content-type': f.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS } });
  };
  app.get('/', () => index());
  app.get('/:path{.+}', async (c, next) => {
    const path = c.req.param('path');
    if (ROOM_ID.test(path)) return index();
    const f = await file(path);
    if (!f) return next();
    const immutable = path.startsWith('assets/');
    return new Response(new Uint8Array(f.body), {
      headers: { 'content-type': f.type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', ...SECURITY_HEADERS },
    });
  });
}
