/**
 * Relay configuration from environment variables. Only the entry point (main.ts) reads the environment;
 * everything else receives a `Config`. Every variable has an embedded default so `npm start` needs none.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { IceServer } from './signal/protocol.ts';

const iceServer = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.string().url().optional(),
  SECRET: z.string().min(16).optional(),
  TOKEN_TTL_S: int(60, 7 * 24 * 3600).default(12 * 3600),
  MESH_MAX: int(2, 50).default(4),
  ROOM_MAX: int(2, 1000).default(150),
  ICE_SERVERS: z.string().default('[]'),
  LEAVE_GRACE_MS: int(0, 120_000).default(5000),
  MODE_HOLD_MS: int(0, 600_000).default(10_000),
  RELAY_MODE: z.enum(['off', 'on']).default('on'),
  RELAY_SHED: z.enum(['off', 'on']).default('on'),
  RELAY_CAPACITY: z.enum(['off', 'on']).default('on'),
  RELAY_AUDIO_FRAME_MS: z.enum(['auto', '20', '40', '60']).default('auto'),
  RELAY_LARGE_ROOM: int(2, 1000).default(25),
  RELAY_TRANSPORT_CC: z.enum(['off', 'on']).default('on'),
  RTC_PORT_MIN: int(1, 65535).optional(),
  RTC_PORT_MAX: int(1, 65535).optional(),
  RTC_ANNOUNCED_IP: z.string().refine((s) => isIP(s) !== 0, { message: 'must be an IPv4 or IPv6 address' }).optional(),
  RTC_HOST_ADDRESSES: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .refine((list) => list.every((a) => isIP(a) !== 0), { message: 'must be a comma-separated list of IP addresses' }),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type LogLevel = z.infer<typeof schema>['LOG_LEVEL'];

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Base URL used in room links; when absent the request's own origin is used. */
  publicUrl: string | undefined;
  /** HMAC key for tokens; when absent one is generated once and kept in DATA_DIR. */
  secret: string | undefined;
  tokenTtlMs: number;
  meshMax: number;
  roomMax: number;
  iceServers: IceServer[];
  leaveGraceMs: number;
  /** How long a room must stay at or under MESH_MAX before it goes back from the relay to mesh. */
  modeHoldMs: number;
  /** Whether rooms may grow past MESH_MAX by escalating to the relay. */
  relayMode: boolean;
  /** Whether incoming video is dropped at the socket while the event loop lags (relay/overload.ts). */
  shedLoad: boolean;
  /** Forward smaller layers, then fewer videos, while the event loop lags (load-monitor.ts). */
  capacityLimit: boolean;
  /** The Opus frame length the relay asks of microphones (sfu/transport/negotiation.ts). */
  audioFrames: 'auto' | 20 | 40 | 60;
  /** Relay connections above which `auto` asks for 60 ms frames. */
  largeRoom: number;
  /** Transport-wide congestion control feedback to publishers (sfu/transport/transport-cc.ts). */
  transportCc: boolean;
  /** The relay's own WebRTC endpoint (relay mode). */
  rtc: RtcConfig;
  logLevel: LogLevel;
};

export type RtcConfig = {
  /** UDP ports for ICE, [min, max]; undefined: chosen by the OS. */
  portRange: [number, number] | undefined;
  /** Public address written into the relay's candidates in place of its host addresses (behind 1:1 NAT). */
  announcedIp: string | undefined;
  /** Further local addresses to gather host candidates on (e.g. 127.0.0.1, which is skipped otherwise). */
  hostAddresses: string[];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let iceJson: unknown;
  try {
    iceJson = JSON.parse(e.ICE_SERVERS);
  } catch {
    throw new ConfigError('ICE_SERVERS must be JSON, e.g. [{"urls":"stun:stun.example.org:3478"}]');
  }
  const ice = z.array(iceServer).safeParse(iceJson);
  if (!ice.success) throw new ConfigError(`ICE_SERVERS: ${ice.error.issues[0]?.message ?? 'invalid'}`);
  if (e.MESH_MAX > e.ROOM_MAX) throw new ConfigError('MESH_MAX must not exceed ROOM_MAX');
  if ((e.RTC_PORT_MIN === undefined) !== (e.RTC_PORT_MAX === undefined)) {
    throw new ConfigError('RTC_PORT_MIN and RTC_PORT_MAX go together: set both or neither');
  }
  if (e.RTC_PORT_MIN !== undefined && e.RTC_PORT_MAX !== undefined && e.RTC_PORT_MIN >= e.RTC_PORT_MAX) {
    throw new ConfigError('RTC_PORT_MIN must be lower than RTC_PORT_MAX');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    secret: e.SECRET,
    tokenTtlMs: e.TOKEN_TTL_S * 1000,
    meshMax: e.MESH_MAX,
    roomMax: e.ROOM_MAX,
    iceServers: ice.data as IceServer[],
    leaveGraceMs: e.LEAVE_GRACE_MS,
    modeHoldMs: e.MODE_HOLD_MS,
    relayMode: e.RELAY_MODE === 'on',
    shedLoad: e.RELAY_SHED === 'on',
    capacityLimit: e.RELAY_CAPACITY === 'on',
    audioFrames: e.RELAY_AUDIO_FRAME_MS === 'auto' ? 'auto' : (Number(e.RELAY_AUDIO_FRAME_MS) as 20 | 40 | 60),
    largeRoom: e.RELAY_LARGE_ROOM,
    transportCc: e.RELAY_TRANSPORT_CC === 'on',
    rtc: {
      portRange: e.RTC_PORT_MIN !== undefined && e.RTC_PORT_MAX !== undefined ? [e.RTC_PORT_MIN, e.RTC_PORT_MAX] : undefined,
      announcedIp: e.RTC_ANNOUNCED_IP,
      hostAddresses: e.RTC_HOST_ADDRESSES,
    },
    logLevel: e.LOG_LEVEL,
  };
}
