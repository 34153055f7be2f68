import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from './config.ts';

test('loadConfig() has embedded defaults for everything', () => {
  const c = loadConfig({});
  assert.is(c.port, 8080);
  assert.is(c.dataDir, './data');
  assert.is(c.meshMax, 4);
  assert.is(c.roomMax, 150);
  assert.equal(c.iceServers, [], 'no public STUN server by default');
});

test('loadConfig() reads ICE_SERVERS as JSON and refuses nonsense clearly', () => {
  const c = loadConfig({ ICE_SERVERS: '[{"urls":"turn:t.example:3478","username":"u","credential":"p"}]' });
  assert.is(c.iceServers[0]?.username, 'u');
  assert.throws(() => loadConfig({ ICE_SERVERS: 'stun:x' }), (e: unknown) => e instanceof ConfigError && /JSON/.test(e.message));
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ MESH_MAX: '10', ROOM_MAX: '5' }), (e: unknown) => e instanceof ConfigError && /MESH_MAX/.test(e.message));
});

test.run();
