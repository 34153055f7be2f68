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
  assert.is(c.modeHoldMs, 10_000);
  assert.equal(c.rtc, { portRange: undefined, announcedIp: undefined, hostAddresses: [] });
  assert.is(c.relayMode, true, 'rooms escalate to the relay by default');
  assert.is(c.shedLoad, true);
  assert.is(loadConfig({ RELAY_SHED: 'off', RELAY_MODE: 'off' }).shedLoad, false);
  assert.throws(() => loadConfig({ RELAY_SHED: 'maybe' }), (e: unknown) => e instanceof ConfigError);
  assert.is(c.capacityLimit, true);
  assert.is(loadConfig({ RELAY_CAPACITY: 'off' }).capacityLimit, false);
  assert.is(c.audioFrames, 'auto');
  assert.is(loadConfig({ RELAY_AUDIO_FRAME_MS: '60' }).audioFrames, 60);
  assert.is(c.largeRoom, 25);
  assert.is(loadConfig({ RELAY_LARGE_ROOM: '2' }).largeRoom, 2);
  assert.is(c.transportCc, true);
  assert.is(loadConfig({ RELAY_TRANSPORT_CC: 'off' }).transportCc, false);
  assert.throws(() => loadConfig({ RELAY_AUDIO_FRAME_MS: '30' }), (e: unknown) => e instanceof ConfigError);
});

test("loadConfig() reads the relay's RTC settings and the mode hold time", () => {
  const c = loadConfig({ RTC_PORT_MIN: '40000', RTC_PORT_MAX: '40100', RTC_ANNOUNCED_IP: '203.0.113.7', RTC_HOST_ADDRESSES: '127.0.0.1, ::1', MODE_HOLD_MS: '2500' });
  assert.equal(c.rtc, { portRange: [40000, 40100], announcedIp: '203.0.113.7', hostAddresses: ['127.0.0.1', '::1'] });
  assert.is(c.modeHoldMs, 2500);
  assert.is(loadConfig({ RTC_ANNOUNCED_IP: '2001:db8::1' }).rtc.announcedIp, '2001:db8::1');
});

test('loadConfig() refuses bad RTC settings, naming the variable', () => {
  const refused = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && pattern.test(e.message), JSON.stringify(env));
  refused({ RTC_PORT_MIN: '40000' }, /RTC_PORT_MIN and RTC_PORT_MAX/);
  refused({ RTC_PORT_MAX: '40000' }, /RTC_PORT_MIN and RTC_PORT_MAX/);
  refused({ RTC_PORT_MIN: '40100', RTC_PORT_MAX: '40000' }, /lower than RTC_PORT_MAX/);
  refused({ RTC_PORT_MIN: '40000', RTC_PORT_MAX: '40000' }, /lower than RTC_PORT_MAX/);
  refused({ RTC_PORT_MIN: '0', RTC_PORT_MAX: '10' }, /RTC_PORT_MIN/);
  refused({ RTC_PORT_MIN: '1000', RTC_PORT_MAX: '70000' }, /RTC_PORT_MAX/);
  refused({ RTC_ANNOUNCED_IP: 'relay.example.org' }, /RTC_ANNOUNCED_IP: must be an IPv4 or IPv6 address/);
  refused({ RTC_HOST_ADDRESSES: '127.0.0.1,localhost' }, /RTC_HOST_ADDRESSES/);
  refused({ MODE_HOLD_MS: '-1' }, /MODE_HOLD_MS/);
  refused({ MODE_HOLD_MS: 'soon' }, /MODE_HOLD_MS/);
});

test('loadConfig() reads ICE_SERVERS as JSON and refuses nonsense clearly', () => {
  const c = loadConfig({ ICE_SERVERS: '[{"urls":"turn:t.example:3478","username":"u","credential":"p"}]' });
  assert.is(c.iceServers[0]?.username, 'u');
  assert.throws(() => loadConfig({ ICE_SERVERS: 'stun:x' }), (e: unknown) => e instanceof ConfigError && /JSON/.test(e.message));
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ MESH_MAX: '10', ROOM_MAX: '5' }), (e: unknown) => e instanceof ConfigError && /MESH_MAX/.test(e.message));
});

test.run();
