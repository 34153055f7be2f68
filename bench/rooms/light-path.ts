/**
 * The media path of one synthetic participant once werift has connected it (ICE + DTLS done): lighter
 * than werift's own, so one core can drive a whole room of participants.
 *
 * Send: each packet is built as bytes (media.ts), sealed with the relay's own SRTP sealer
 * (relay/sfu/transport/srtp-sealer.ts) under werift's keys, and sent on the nominated ICE pair
 * (relay/sfu/transport/ice-send.ts): no RtpPacket objects, no RTCRtpSender.
 * Receive: the UDP transport's datagram handler of the nominated pair is wrapped; RTP goes to
 * `#onRtp`, everything else (STUN consent checks, DTLS, SRTCP with the relay's PLIs and reports)
 * still goes to werift. RTP is counted from its plain header (stream-stats.ts) without decrypting;
 * one packet in `verifyEvery` is decrypted by werift's SRTP session, which checks its authentication
 * tag, and gives the send time in its payload: the one-way latency sample.
 */
import { PictureLossIndication } from 'werift';
import type { RTCDtlsTransport, RtcpPacket } from 'werift';
import { iceSend } from '../../relay/sfu/transport/ice-send.ts';
import { RtpSealer } from '../../relay/sfu/transport/srtp-sealer.ts';
import { isRtpDatagram } from '../../relay/sfu/forward/index.ts';
import { SrtpSampler } from '../srtp-sampler.ts';
import { FPS, KEYFRAME_EVERY_FRAMES, LAYERS, audioPacket, levelByte, monoUs, sentUsOf, vp8Frame } from './media.ts';
import { StreamStats } from './stream-stats.ts';


export type LightPathOptions = {
  tag: number;
  talking: boolean;
  /** The relay asked for Opus DTX (`usedtx=1` in its answer): a participant not talking sends an audio
   * packet every 400 ms, as a browser's DTX encoder does in silence (a muted microphone included). */
  dtx: boolean;
  /** The Opus frame length the relay's answer asked for (`a=ptime`, 20 ms when it says nothing): one
   * audio packet per frame, its payload growing with it (80 bytes a 20 ms frame). */
  audioFrameMs: number;
  verifyEvery: number;
  audio: { pt: number; ssrc: number; levelExtId: number | undefined };
  video: { pt: number; ridExtId: number } | undefined;
  onFirstMedia: () => void;
};

/** What a participant measured over the window (see snapshot()). */
export type PathSnapshot = {
  sent: { audio: number; video: number };
  streams: Array<{ kind: 'audio' | 'video'; received: number; expected: number; lost: number; jitterMs: number }>;
  latencyUs: number[];
  verified: number;
  authFailures: number;
  /** How late the generator sent, µs past each packet's due time: sum, max, count. */
  lagUs: { sum: number; max: number; count: number };
};

type UdpTransport = { onData: (data: Buffer, addr: unknown) => void };
type Layer = { ssrc: number; seq: number; keyframeAt: number; wantKeyframe: boolean };

/** Opus DTX in silence: a frame every 400 ms. */
const DTX_PERIOD_MS = 400;
const FRAME_PERIOD_US = 1e6 / FPS;
/** Behind by more than this, the generator skips ahead instead of sending a burst of stale media. */
const MAX_LAG_US = 200_000;

/** The last due time at or before `now` on the same schedule (keeping each participant's own phase). */
const skipAhead = (due: number, now: number, period: number) => due + Math.floor((now - due) / period) * period;

const random32 = () => (Math.random() * 2 ** 32) >>> 0;

export class LightPath {
  measuring = false;
  #sent = { audio: 0, video: 0 };
  #streams = new Map<number, { kind: 'audio' | 'video'; stats: StreamStats }>();
  #latencyUs: number[] = [];
  #verified = 0;
  #authFailures = 0;
  #lag = { sum: 0, max: 0, count: 0 };
  #received = 0;
  #gotMedia = false;
  readonly #sealer: RtpSealer;
  readonly #sampler: SrtpSampler;
  readonly #audioSeq = random32() & 0xffff;
  #audioCount = 0;
  #audioFrames = 0;
  #nextAudioUs: number;
  #nextFrameUs: number;
  #frames = 0;
  readonly #layers: Layer[];
  readonly #audioPeriodUs: number;
  /** In silence with DTX, one frame in this many is sent. */
  readonly #dtxEvery: number;
  #closed = false;
  /** Layers the relay said nobody needs. */
  readonly #paused = new Set<string>();

  constructor(readonly dtls: RTCDtlsTransport, readonly o: LightPathOptions) {
    this.#sealer = new RtpSealer(dtls.srtp.localContext);
    this.#sampler = new SrtpSampler(dtls);
    const now = monoUs();
    // Participants start at random phases, as independent browsers would.
    this.#audioPeriodUs = o.audioFrameMs * 1000;
    this.#dtxEvery = Math.max(1, Math.round(DTX_PERIOD_MS / o.audioFrameMs));
    this.#nextAudioUs = now + Math.random() * this.#audioPeriodUs;
    this.#nextFrameUs = now + Math.random() * FRAME_PERIOD_US;
    this.#layers = o.video ? LAYERS.map(() => ({ ssrc: random32(), seq: random32() & 0xffff, keyframeAt: 0, wantKeyframe: true })) : [];
    const pair = (dtls.iceTransport.connection as unknown as { nominated?: { protocol: { transport?: UdpTransport } } }).nominated;
    const transport = pair?.protocol.transport;
    if (!transport || typeof transport.onData !== 'function') throw new Error('no nominated UDP pair to read from');
    const werift = transport.onData;
    transport.onData = (data, addr) => {
      if (isRtpDatagram(data)) this.#onRtp(data);
      else werift(data, addr);
    };
    dtls.onRtcp.subscribe((packet) => this.#onRtcp(packet));
  }

  /** Starts (true) or ends (false) the measured window: counters start from zero. */
  measure(on: boolean): void {
    if (on) {
      this.#sent = { audio: 0, video: 0 };
      this.#streams.clear();
      this.#latencyUs = [];
      this.#verified = 0;
      this.#authFailures = 0;
      this.#lag = { sum: 0, max: 0, count: 0 };
    }
    this.measuring = on;
  }

  snapshot(): PathSnapshot {
    return {
      sent: { ...this.#sent },
      streams: [...this.#streams.values()].map((s) => ({ kind: s.kind, received: s.stats.received, expected: s.stats.expected, lost: s.stats.lost, jitterMs: s.stats.jitterMs })),
      latencyUs: this.#latencyUs,
      verified: this.#verified,
      authFailures: this.#authFailures,
      lagUs: { ...this.#lag },
    };
  }

  /** Sends the audio packet and video frame that are due by `now`. */
  tick(now: number): void {
    if (this.#closed || this.dtls.state !== 'connected') return;
    if (now - this.#nextAudioUs > MAX_LAG_US) this.#nextAudioUs = skipAhead(this.#nextAudioUs, now, this.#audioPeriodUs);
    while (this.#nextAudioUs <= now) {
      this.#noteLag(now - this.#nextAudioUs);
      this.#sendAudio(now);
      this.#nextAudioUs += this.#audioPeriodUs;
    }
    if (!this.o.video) return;
    if (now - this.#nextFrameUs > MAX_LAG_US) this.#nextFrameUs = skipAhead(this.#nextFrameUs, now, FRAME_PERIOD_US);
    while (this.#nextFrameUs <= now) {
      this.#noteLag(now - this.#nextFrameUs);
      this.#sendFrame(now);
      this.#nextFrameUs += FRAME_PERIOD_US;
    }
  }

  close(): void {
    this.#closed = true;
  }

  #noteLag(lag: number): void {
    if (!this.measuring) return;
    this.#lag.sum += lag;
    this.#lag.count++;
    if (lag > this.#lag.max) this.#lag.max = lag;
  }

  #sendAudio(now: number): void {
    if (this.o.dtx && !this.o.talking && this.#audioFrames++ % this.#dtxEvery !== 0) return;
    const a = this.o.audio;
    const seq = (this.#audioSeq + this.#audioCount++) & 0xffff;
    const bytes = audioPacket({ pt: a.pt, seq, ts: Math.floor((now * 48) / 1000), ssrc: a.ssrc, levelExtId: a.levelExtId, level: levelByte(this.o.talking, Math.random()), tag: this.o.tag, sentUs: now, frameMs: this.o.audioFrameMs });
    if (this.#write(bytes) && this.measuring) this.#sent.audio++;
  }

  #sendFrame(now: number): void {
    const v = this.o.video!;
    const frame = this.#frames++;
    const ts = Math.floor((now * 90) / 1000);
    for (let i = 0; i < LAYERS.length; i++) {
      const layer = this.#layers[i]!;
      const spec = LAYERS[i]!;
      if (this.#paused.has(spec.rid)) continue;
      // A PLI gets a keyframe at most every 300 ms per layer, as browsers throttle them.
      const keyframe = frame % KEYFRAME_EVERY_FRAMES === 0 || (layer.wantKeyframe && now - layer.keyframeAt > 300_000);
      if (keyframe) {
        layer.wantKeyframe = false;
        layer.keyframeAt = now;
      }
      const packets = spec.packetsPerFrame * (keyframe ? 3 : 1);
      const frameBytes = vp8Frame({ pt: v.pt, firstSeq: layer.seq, ts, ssrc: layer.ssrc, ridExtId: v.ridExtId, rid: spec.rid, keyframe, packets, payload: spec.payload, tag: this.o.tag, sentUs: monoUs() });
      layer.seq = (layer.seq + packets) & 0xffff;
      for (const bytes of frameBytes) if (this.#write(bytes) && this.measuring) this.#sent.video++;
    }
  }

  /** The relay's `layers` message: send only these rids, as a browser turns its other encodings off. */
  setLayers(rids: readonly string[]): void {
    for (let i = 0; i < LAYERS.length; i++) {
      const rid = LAYERS[i]!.rid;
      const resumed = this.#paused.has(rid) && rids.includes(rid);
      if (rids.includes(rid)) this.#paused.delete(rid);
      else this.#paused.add(rid);
      // A browser's re-enabled encoding starts with a keyframe.
      if (resumed) this.#layers[i]!.wantKeyframe = true;
    }
  }

  #write(bytes: Uint8Array): boolean {
    const parts = this.#sealer.sealParts(bytes);
    return !!parts && iceSend(this.dtls.iceTransport.connection, parts, bytes.length + this.#sealer.overhead);
  }

  /** A PLI asks for a keyframe of its layer (of all layers when its SSRC is unknown). FIR is not offered. */
  #onRtcp(packet: RtcpPacket): void {
    const feedback = (packet as { feedback?: unknown }).feedback;
    if (!(feedback instanceof PictureLossIndication)) return;
    const layer = this.#layers.find((l) => l.ssrc === feedback.mediaSsrc);
    for (const l of layer ? [layer] : this.#layers) l.wantKeyframe = true;
  }

  #onRtp(data: Buffer): void {
    if (!this.#gotMedia) {
      this.#gotMedia = true;
      this.o.onFirstMedia();
    }
    this.#sampler.track(data);
    if (!this.measuring) return;
    const ssrc = data.readUInt32BE(8);
    let stream = this.#streams.get(ssrc);
    if (!stream) {
      const kind = (data[1]! & 0x7f) === this.o.audio.pt ? 'audio' : 'video';
      stream = { kind, stats: new StreamStats(kind === 'audio' ? 48_000 : 90_000) };
      this.#streams.set(ssrc, stream);
    }
    stream.stats.add(data.readUInt16BE(2), data.readUInt32BE(4), performance.now());
    if (++this.#received % this.o.verifyEvery !== 0) return;
    const arrived = monoUs();
    const plain = this.#sampler.verify(data);
    if (!plain) {
      this.#authFailures++;
      return;
    }
    this.#verified++;
    const sent = sentUsOf(plain, this.o.audio.pt);
    if (sent > 0) this.#latencyUs.push(arrived - sent);
  }
}
