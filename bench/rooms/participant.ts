/**
 * One synthetic participant of the rooms benchmark, doing what the browser does in relay mode: the
 * join API, the signalling socket (relay/signal/protocol.ts), one werift RTCPeerConnection to the relay
 * that offers a microphone, optionally a simulcast camera, 3 audio slots and `tiles` video slots
 * (relay/sfu/transport/protocol.ts), trickles candidates, acknowledges mode switches, and sends `view`
 * for its visible tiles (the first `tiles` others, in a grid on a 1280×720 page).
 *
 * werift does the handshakes (ICE, DTLS, SRTP keys); the media path is lighter than werift's own, so
 * one core can drive many participants (light-path.ts): packets are sealed with the relay's own sealer
 * and received without decrypting, except a sample that is decrypted (which checks its SRTP
 * authentication) to read the send time.
 */
import WebSocket from 'ws';
import { RTCPeerConnection, useAudioLevelIndication, useOPUS, useSdesMid, useVP8 } from 'werift';
import type { RTCRtpTransceiver } from 'werift';
import { AUDIO_LEVEL_URI } from '../../relay/sfu/transport/forwarder.ts';
import { LOOPBACK_PEER_CONFIG, RID_EXTENSION_ID, simulcastOffer } from '../../relay/sfu/transport/test-client.ts';
import type { ServerMessage } from '../../relay/signal/protocol.ts';
import { LightPath } from './light-path.ts';
import { monoUs } from './media.ts';
import { allowOnlyProfile, profileName } from '../../relay/sfu/srtp/profiles.ts';
import type { ProfileName } from '../../relay/sfu/srtp/reference.ts';

/**
 * `followLayers`: obey the relay's `layers` message (a browser does); off shows what it saves.
 * `profile`: the only SRTP profile the participant allows (relay/sfu/srtp/profiles.ts); none: werift's choice, GCM.
 */
export type ParticipantSpec = { index: number; video: boolean; tiles: number; talking: boolean; verifyEvery: number; followLayers: boolean; profile?: ProfileName };

/** Milestones of a join, µs on the monotonic clock (0: not reached). */
export type JoinTimes = { start: number; joined: number; welcome: number; answer: number; connected: number; firstMedia: number };

const VIEWPORT = { width: 1280, height: 720 };

export class Participant {
  readonly times: JoinTimes = { start: 0, joined: 0, welcome: 0, answer: 0, connected: 0, firstMedia: 0 };
  readonly errors: string[] = [];
  sessionId: string;
  media: LightPath | undefined;
  #ws: WebSocket | undefined;
  #pc: RTCPeerConnection | undefined;
  #audio: RTCRtpTransceiver | undefined;
  #video: RTCRtpTransceiver | undefined;
  #others: string[] = [];
  /** The relay's last `layers` for our camera, applied once the media path is up. */
  #wantedRids: string[] | undefined;
  #offered = false;
  /** The offer as sent, and the mode epoch it was last sent for (re-sent for a newer one until answered). */
  #offer: { sdp: string; videoSources?: unknown; epoch: number } | undefined;
  #connected = false;
  #pendingAcks: number[] = [];
  #epoch = 0;
  #viewTimer: NodeJS.Timeout | undefined;
  #answerTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** The relay's answer asks our microphone for Opus DTX (relay/sfu/transport/opus-dtx.ts). */
  #dtx = false;
  /** The Opus frame length the answer asks of our microphone (`a=ptime`; 20 ms without). */
  #audioFrameMs = 20;

  /** The SRTP profile the relay connection negotiated, once DTLS is up. */
  srtpProfile(): string | undefined {
    return profileName(this.#pc);
  }

  constructor(readonly spec: ParticipantSpec, readonly base: string, readonly roomId: string) {
    this.sessionId = `bench-${process.pid}-${spec.index}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Resolves once the relay connection is up (ICE + DTLS), or rejects. */
  async join(timeoutMs = 30_000): Promise<void> {
    this.times.start = monoUs();
    const res = await fetch(`${this.base}/api/rooms/${this.roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `p${this.spec.index}` }), signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`join answered ${res.status}: ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    this.times.joined = monoUs();
    const query = new URLSearchParams({ token, session: this.sessionId });
    const ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/signal/${this.roomId}?${query}`);
    this.#ws = ws;
    ws.on('message', (data) => this.#onMessage(JSON.parse(data.toString()) as ServerMessage));
    ws.on('error', (err) => this.errors.push(`socket: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.sessionId}: not connected to the relay after ${timeoutMs} ms (${this.#progress()})`)), timeoutMs);
      const poll = setInterval(() => {
        if (this.#connected) done(resolve);
        else if (this.#closed || ws.readyState === WebSocket.CLOSED) done(() => reject(new Error(`${this.sessionId}: closed while joining: ${this.errors.join('; ')}`)));
      }, 20);
      const done = (f: () => void) => (clearTimeout(timer), clearInterval(poll), f());
    });
  }

  /** Sends what is due now (see LightPath.tick). */
  tick(nowUs: number): void {
    this.media?.tick(nowUs);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#viewTimer);
    clearTimeout(this.#answerTimer);
    this.media?.close();
    if (this.#ws?.readyState === WebSocket.OPEN) this.#send({ type: 'leave' });
    this.#ws?.close();
    await this.#pc?.close().catch(() => {});
  }

  #progress(): string {
    return Object.entries(this.times).filter(([, v]) => v > 0).map(([k]) => k).join(' → ') || 'nothing';
  }

  #send(message: unknown): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        this.times.welcome = monoUs();
        this.#others = m.peers.map((p) => p.sessionId).filter((s) => s !== this.sessionId);
        this.#onMode(m.mode);
        return;
      case 'mode':
        this.#onMode(m);
        return;
      case 'peer-joined':
        if (m.peer.sessionId !== this.sessionId) this.#others.push(m.peer.sessionId);
        this.#scheduleView();
        return;
      case 'peer-left':
        this.#others = this.#others.filter((s) => s !== m.sessionId);
        this.#scheduleView();
        return;
      case 'relay-answer':
        // A second answer (to an offer sent again) is for the offer already answered: nothing to do.
        if (this.times.answer || this.#pc?.signalingState !== 'have-local-offer') return;
        clearTimeout(this.#answerTimer);
        this.times.answer = monoUs();
        this.#dtx = usesDtx(m.sdp, this.#audio?.mid);
        this.#audioFrameMs = audioFrameMs(m.sdp, this.#audio?.mid);
        void this.#pc?.setRemoteDescription({ type: 'answer', sdp: m.sdp }).then(() => this.#scheduleView(), (err: Error) => this.errors.push(`answer: ${err.message}`));
        return;
      case 'relay-candidate':
        void this.#pc?.addIceCandidate(m.candidate ? { candidate: m.candidate.candidate, sdpMid: m.candidate.sdpMid ?? undefined, sdpMLineIndex: m.candidate.sdpMLineIndex ?? undefined } : null).catch(() => {});
        return;
      case 'layers':
        if (!this.spec.followLayers) return;
        this.#wantedRids = m.rids;
        this.media?.setLayers(m.rids);
        return;
      case 'error':
        this.errors.push(`${m.code}: ${m.message}`);
        return;
      default:
        return;
    }
  }

  #onMode(mode: { path: string; warm: boolean; phase: string; epoch: number }): void {
    this.#epoch = Math.max(this.#epoch, mode.epoch);
    if ((mode.warm || mode.path === 'relay') && !this.#offered) void this.#makeOffer(mode.epoch).catch((err: Error) => this.errors.push(`offer: ${err.message}`));
    if (mode.phase === 'switching') {
      if (this.#connected) this.#send({ type: 'mode-ack', epoch: mode.epoch });
      else this.#pendingAcks.push(mode.epoch);
    }
  }

  async #makeOffer(epoch: number): Promise<void> {
    this.#offered = true;
    const pc = new RTCPeerConnection({
      ...LOOPBACK_PEER_CONFIG,
      bundlePolicy: 'max-bundle',
      codecs: { audio: [useOPUS()], video: [useVP8()] },
      headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [useSdesMid()] },
    });
    this.#pc = pc;
    this.#audio = pc.addTransceiver('audio', { direction: 'sendonly' });
    if (this.spec.video) this.#video = pc.addTransceiver('video', { direction: 'sendonly' });
    for (let i = 0; i < 3; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
    for (let i = 0; i < this.spec.tiles; i++) pc.addTransceiver('video', { direction: 'recvonly' });
    let offered = false;
    const early: unknown[] = [];
    pc.onIceCandidate.subscribe((c) => {
      if (!c) return;
      const m = { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } };
      if (offered) this.#send(m);
      else early.push(m);
    });
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && !this.#connected) this.#onConnected();
      if (state === 'failed') this.errors.push(`relay connection failed ${((monoUs() - this.times.start) / 1e6).toFixed(1)} s after the join began (${this.#progress()}; ICE ${pc.iceConnectionState}, DTLS ${this.#audio?.dtlsTransport?.state ?? 'none'})`);
    });
    await pc.setLocalDescription(await pc.createOffer());
    allowOnlyProfile(pc, this.spec.profile);
    let sdp = pc.localDescription!.sdp;
    if (this.#video?.mid) sdp = simulcastOffer(sdp, this.#video.mid, ['q', 'h', 'f']);
    const videoSources = this.#video?.mid ? [{ mid: this.#video.mid, source: 'camera' }] : undefined;
    // The room may have moved on while the offer was made: offer for the newest epoch seen.
    this.#offer = { sdp, videoSources, epoch: Math.max(epoch, this.#epoch) };
    this.#sendOffer();
    offered = true;
    for (const m of early.splice(0)) this.#send(m);
  }

  /** Sends the offer for the newest epoch; again after 2 s without an answer, as the client does (the
   * relay ignores offers of an older epoch, so one that crossed a mode change would wait forever). */
  #sendOffer(): void {
    const offer = this.#offer;
    if (!offer || this.times.answer || this.#closed) return;
    offer.epoch = Math.max(offer.epoch, this.#epoch);
    this.#send({ type: 'relay-offer', sdp: offer.sdp, epoch: offer.epoch, ...(offer.videoSources ? { videoSources: offer.videoSources } : {}) });
    this.#answerTimer = setTimeout(() => this.#sendOffer(), 2000);
  }

  #onConnected(): void {
    const audio = this.#audio!;
    const dtls = audio.dtlsTransport;
    this.times.connected = monoUs();
    try {
      this.media = new LightPath(dtls, {
        tag: this.spec.index,
        talking: this.spec.talking,
        dtx: this.#dtx,
        audioFrameMs: this.#audioFrameMs,
        verifyEvery: this.spec.verifyEvery,
        audio: { pt: audio.codecs[0]?.payloadType ?? 111, ssrc: audio.sender.ssrc, levelExtId: audio.headerExtensions.find((e) => e.uri === AUDIO_LEVEL_URI)?.id },
        video: this.#video ? { pt: this.#video.codecs[0]?.payloadType ?? 96, ridExtId: RID_EXTENSION_ID } : undefined,
        onFirstMedia: () => (this.times.firstMedia = monoUs()),
      });
    } catch (err) {
      this.errors.push(`media path: ${(err as Error).message}`);
      return;
    }
    if (this.#wantedRids) this.media.setLayers(this.#wantedRids);
    this.#connected = true;
    for (const epoch of this.#pendingAcks.splice(0)) this.#send({ type: 'mode-ack', epoch });
  }

  /** One `view` for the first `tiles` others, at most every 300 ms (joins come in bursts). */
  #scheduleView(): void {
    if (this.spec.tiles === 0 || this.#viewTimer || this.#closed) return;
    this.#viewTimer = setTimeout(() => {
      this.#viewTimer = undefined;
      if (!this.times.answer) return;
      const shown = this.#others.slice(0, this.spec.tiles);
      const cols = Math.ceil(Math.sqrt(this.spec.tiles));
      const rows = Math.ceil(this.spec.tiles / cols);
      const width = Math.floor(VIEWPORT.width / cols);
      const height = Math.floor(VIEWPORT.height / rows);
      this.#send({ type: 'view', videos: shown.map((sessionId) => ({ sessionId, source: 'camera', width, height })) });
    }, 300);
  }
}

/** The answer's m-section `mid` (our microphone). */
function section(sdp: string, mid: string | null | undefined): string | undefined {
  return sdp.split(/(?=^m=)/m).find((s) => mid != null && new RegExp(`^a=mid:${mid}\\s*$`, 'm').test(s));
}

/** Whether our microphone's m-section has `usedtx=1` on its format: a browser then encodes silence with DTX. */
function usesDtx(sdp: string, mid: string | null | undefined): boolean {
  return /^a=fmtp:\d+ [^\r\n]*\busedtx=1/m.test(section(sdp, mid) ?? '');
}

/** The frame length (ms) our microphone's m-section asks for (`a=ptime`), as a browser's Opus encoder takes it; 20 without. */
function audioFrameMs(sdp: string, mid: string | null | undefined): number {
  const ptime = Number(/^a=ptime:(\d+)/m.exec(section(sdp, mid) ?? '')?.[1]);
  return ptime >= 10 && ptime <= 120 ? ptime : 20;
}
