/**
 * A mesh participant in Node, doing what the browser client does in mesh mode: it joins the signalling
 * room and keeps one simple-peer link (wrtc) per other session. The newcomer initiates to every peer
 * in `welcome.peers`; those already present answer with a non-initiator link made on `peer-joined`.
 * Signals that arrive before their link exists are buffered. On `peer-left` the link is destroyed.
 *
 * Media is synthetic: an RTCVideoSource fed moving I420 frames (160×120, ~15 fps) and an RTCAudioSource
 * fed 10 ms frames of a 48 kHz 16-bit sine. Each link counts decoded video frames (RTCVideoSink),
 * audio frames (RTCAudioSink) and data-channel messages from its remote.
 */
import wrtcModule from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import type { PeerInfo, ServerMessage } from '../signal/protocol.ts';
import type { Joined } from './harness.ts';
import { SignalClient, signalUrl } from './signal-client.ts';
import type { MessageOf } from './signal-client.ts';
import { waitUntil } from './wait.ts';

const wrtc = wrtcModule as unknown as typeof import('@roamhq/wrtc') & { nonstandard: typeof import('@roamhq/wrtc').nonstandard };
const { RTCVideoSource, RTCAudioSource, RTCVideoSink, RTCAudioSink } = wrtc.nonstandard;

const WIDTH = 160;
const HEIGHT = 120;
const VIDEO_FRAME_MS = 66;
const MAX_BUFFERED_SIGNALS = 64;

type Sink = { stop(): void };

export type Link = {
  remote: PeerInfo;
  peer: SimplePeer.Instance;
  initiator: boolean;
  createdAt: number;
  connectedAt: number | undefined;
  firstVideoAt: number | undefined;
  closedAt: number | undefined;
  /** Whether the remote end closed the link before we destroyed it. */
  closedByRemote: boolean;
  video: number;
  audio: number;
  messages: string[];
  errors: string[];
  sinks: Sink[];
};

export type ParticipantOptions = { media?: boolean; session: string; wsBase: string };

let exitGuarded = false;
/**
 * @roamhq/wrtc 0.10 segfaults in its N-API finalizers when a process that ever created a media source
 * tears down normally (exit code 139 after every test passed). Leaving through process.exit() once the
 * event loop is empty skips that teardown and keeps the exit code uvu set.
 */
function guardExit(): void {
  if (exitGuarded) return;
  exitGuarded = true;
  process.once('beforeExit', () => process.exit());
}

class SyntheticMedia {
  readonly stream: MediaStream;
  readonly #tracks: MediaStreamTrack[];
  readonly #timers: NodeJS.Timeout[] = [];

  constructor() {
    guardExit();
    const video = new RTCVideoSource();
    const audio = new RTCAudioSource();
    this.#tracks = [video.createTrack(), audio.createTrack()];
    this.stream = new wrtc.MediaStream(this.#tracks) as unknown as MediaStream;
    const frame = new Uint8Array(WIDTH * HEIGHT * 1.5);
    let tick = 0;
    this.#timers.push(
      setInterval(() => {
        tick += 1;
        frame.fill(128);
        const bar = (tick * 4) % WIDTH;
        for (let y = 0; y < HEIGHT; y++) frame.fill(235, y * WIDTH + bar, y * WIDTH + Math.min(WIDTH, bar + 16));
        video.onFrame({ width: WIDTH, height: HEIGHT, data: frame });
      }, VIDEO_FRAME_MS),
    );
    const started = Date.now();
    let sent = 0;
    const samples = new Int16Array(480);
    this.#timers.push(
      setInterval(() => {
        // Push every 10 ms frame that is due: timers are too coarse for one frame per tick.
        for (const due = Math.floor((Date.now() - started) / 10); sent < due; sent++) {
          for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (sent * 480 + i)) / 48000));
          audio.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
        }
      }, 20),
    );
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    for (const t of this.#tracks) t.stop();
  }
}

export class NodeParticipant {
  readonly links = new Map<string, Link>();
  /** Every peer-joined / peer-left / error frame, in order, for assertions. */
  readonly events: ServerMessage[] = [];
  signal: SignalClient;
  welcome: MessageOf<'welcome'> | undefined;
  readonly signalErrors: string[] = [];
  readonly #pending = new Map<string, Record<string, unknown>[]>();
  readonly #media: SyntheticMedia | undefined;
  #closed = false;

  private constructor(
    readonly joined: Joined,
    readonly options: ParticipantOptions,
  ) {
    this.#media = options.media === false ? undefined : new SyntheticMedia();
    this.signal = this.#openSignal();
  }

  get sessionId(): string {
    return this.options.session;
  }

  get participantId(): string {
    return this.joined.participantId;
  }

  /** Joins the signalling room and starts linking; resolves after `welcome`. */
  static async join(joined: Joined, options: ParticipantOptions, timeoutMs = 5000): Promise<NodeParticipant> {
    const p = new NodeParticipant(joined, options);
    try {
      await p.signal.next('welcome', timeoutMs);
    } catch (err) {
      p.close();
      throw err;
    }
    return p;
  }

  #openSignal(): SignalClient {
    const client = new SignalClient(signalUrl(this.options.wsBase, this.joined.roomId, this.joined.token, this.options.session));
    client.onMessage = (m) => this.#onMessage(m);
    return client;
  }

  #onMessage(m: ServerMessage): void {
    if (this.#closed) return;
    switch (m.type) {
      case 'welcome':
        this.welcome = m;
        for (const peer of m.peers) if (!this.links.has(peer.sessionId)) this.#link(peer, true);
        break;
      case 'peer-joined':
        this.events.push(m);
        this.#link(m.peer, false);
        break;
      case 'peer-left':
        this.events.push(m);
        this.#pending.delete(m.sessionId);
        this.#drop(m.sessionId);
        break;
      case 'signal': {
        const link = this.links.get(m.from);
        if (link) this.#deliver(link, m.data);
        else {
          const queue = this.#pending.get(m.from) ?? [];
          if (queue.length < MAX_BUFFERED_SIGNALS) queue.push(m.data);
          this.#pending.set(m.from, queue);
        }
        break;
      }
      case 'error':
        this.events.push(m);
        break;
      case 'pong':
        break;
    }
  }

  #deliver(link: Link, data: Record<string, unknown>): void {
    try {
      link.peer.signal(data as unknown as SimplePeer.SignalData);
    } catch (err) {
      // A malformed payload from a remote must not take this participant down.
      this.signalErrors.push((err as Error).message);
    }
  }

  #link(remote: PeerInfo, initiator: boolean): void {
    this.#drop(remote.sessionId);
    const peer = new SimplePeer({ initiator, wrtc, config: { iceServers: [] }, streams: this.#media ? [this.#media.stream] : [] });
    const link: Link = { remote, peer, initiator, createdAt: Date.now(), connectedAt: undefined, firstVideoAt: undefined, closedAt: undefined, closedByRemote: false, video: 0, audio: 0, messages: [], errors: [], sinks: [] };
    this.links.set(remote.sessionId, link);
    peer.on('signal', (data) => {
      if (this.signal.open) this.signal.send({ type: 'signal', to: remote.sessionId, data: data as unknown as Record<string, unknown> });
    });
    peer.on('connect', () => (link.connectedAt = Date.now()));
    peer.on('data', (chunk: Uint8Array) => link.messages.push(Buffer.from(chunk).toString('utf8')));
    peer.on('error', (err: Error & { code?: string }) => link.errors.push(err.code ?? err.message));
    peer.on('close', () => {
      if (link.closedAt === undefined) link.closedByRemote = true;
      link.closedAt ??= Date.now();
      for (const sink of link.sinks) sink.stop();
      // simple-peer 9 leaves its 5 s ICE-complete timer running after destroy(), which would hold the
      // test process open; nothing reads it once the peer is closed.
      clearTimeout((peer as unknown as { _iceCompleteTimer?: NodeJS.Timeout })._iceCompleteTimer);
    });
    peer.on('track', (track: MediaStreamTrack) => {
      if (track.kind === 'video') {
        const sink = new RTCVideoSink(track);
        sink.onframe = () => {
          link.firstVideoAt ??= Date.now();
          link.video += 1;
        };
        link.sinks.push(sink);
      } else {
        const sink = new RTCAudioSink(track);
        sink.ondata = () => (link.audio += 1);
        link.sinks.push(sink);
      }
    });
    const buffered = this.#pending.get(remote.sessionId) ?? [];
    this.#pending.delete(remote.sessionId);
    for (const data of buffered) this.#deliver(link, data);
  }

  #drop(sessionId: string): void {
    const link = this.links.get(sessionId);
    if (!link) return;
    this.links.delete(sessionId);
    link.closedAt ??= Date.now();
    for (const sink of link.sinks) sink.stop();
    link.peer.destroy();
  }

  link(sessionId: string): Link {
    const link = this.links.get(sessionId);
    if (!link) throw new Error(`${this.joined.name} has no link to ${sessionId} (links: ${[...this.links.keys()].join(', ') || 'none'})`);
    return link;
  }

  /** Waits until a connected link exists to each of `sessions`. */
  async waitConnected(sessions: string[], timeoutMs = 15_000): Promise<void> {
    const missing = () => sessions.filter((s) => this.links.get(s)?.connectedAt === undefined);
    await waitUntil(() => missing().length === 0, timeoutMs, `${this.joined.name} to connect`, () => `not connected to ${missing().join(', ')}`);
  }

  /** Sends `text` on every connected link; returns how many links it went to. */
  broadcast(text: string): number {
    let sent = 0;
    for (const link of this.links.values()) {
      if (link.connectedAt === undefined || link.peer.destroyed) continue;
      try {
        link.peer.send(text);
        sent += 1;
      } catch {
        // a link closing at this moment
      }
    }
    return sent;
  }

  /**
   * Opens a new signalling socket with the same session id, as the browser does after a network blip.
   * By default the old socket is closed first (no `leave`); with `overlap` it is left open, as when the
   * client notices a dead connection before the relay does. Resolves the new welcome and the old socket.
   */
  async reconnectSignalling(options: { overlap?: boolean } = {}, timeoutMs = 5000): Promise<{ welcome: MessageOf<'welcome'>; old: SignalClient }> {
    const old = this.signal;
    if (!options.overlap) await old.close();
    old.onMessage = undefined;
    this.signal = this.#openSignal();
    return { welcome: await this.signal.next('welcome', timeoutMs), old };
  }

  /** Says goodbye: `leave`, then tears everything down. Resolves the close of the signalling socket. */
  async leave(): Promise<number> {
    if (this.signal.open) this.signal.send({ type: 'leave' });
    const closed = await this.signal.waitClosed(3000);
    this.close();
    return closed.code;
  }

  /** Destroys every link, stops media and closes the socket without `leave`. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.links.keys()]) this.#drop(id);
    this.#media?.stop();
    void this.signal.close();
  }
}
