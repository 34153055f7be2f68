/**
 * The one RTCPeerConnection to the relay (protocol: relay/sfu/transport/protocol.ts).
 *
 * The client always offers, the relay only answers. Transceivers: `recvonly` slots (3 audio for the
 * loudest speakers, one video per remote tile), added first and never removed; then, once publishing,
 * `sendonly` microphone, camera (VP8 simulcast q/h/f) and screen share (relaySenders.ts). Every
 * transceiver keeps only Opus or VP8 (keepCodec), which is all the relay forwards and keeps the SDP small.
 *
 * Warm (before the room escalates): slots only, no media — ICE and DTLS are up when the switch comes.
 * `publish()` adds the sendonly tracks and re-offers with the current epoch; `unpublish()` just empties
 * the senders (replaceTrack(null)), since the relay connection stays up while the room is warm.
 *
 * One offer in flight at a time: a wish to re-offer while waiting is remembered and made after the
 * answer, unless the epoch moved on (the relay ignores offers of an older epoch, so the waiting one
 * may never be answered: offer again at once). An offer not answered within 4 s is made again. Each
 * offer has an `offerId` that its answer carries back: an answer to any other offer is a late one and
 * dropped (after an outage every re-sent offer is answered at once, and during an ICE restart each has
 * credentials of its own). Answers are applied in turn with the offers, never two at once.
 *
 * Trouble (lib/relayRecovery.ts decides): a connection `disconnected` for 2 s, or `failed`, first
 * restarts ICE — `restartIce()` and an offer marked `iceRestart` through the same path — which the
 * relay answers on the same peer, so slots, tiles and publications stay. A restart not connected
 * within 5 s of its answer, a `relay-failed` error (e.g. the relay had no peer left to restart) or a
 * connection that fails before it ever connected rebuilds the connection with backoff; the view's
 * `open()` during that backoff waits for it rather than building a second connection.
 *
 * Each slot has one MediaStream for its whole life; `slots` says who is in it, `paused` which of them
 * the relay does not forward for now, and why. Whether a slot decodes its current occupant:
 * slotDecoding.ts.
 */
import { createSignal } from 'solid-js';
import type { RelayClientMessage, SlotsMessage, IceCandidate, PausedMessage, VideoSource } from '../../../relay/sfu/transport/protocol.ts';
import { AUDIO_SLOTS, audioSeats, changedMids, sdpMids, tileKey, videoSeats, type ViewTile } from '../lib/relaySlots.ts';
import { backoffDelay } from '../lib/backoff.ts';
import { Resend } from '../lib/resend.ts';
import { networkChanged } from '../lib/socketProbe.ts';
import { NO_PAUSES, pausedVideos, type PausedVideos } from '../lib/pausedVideos.ts';
import { defaultRelayRecovery, freshHealth, observe, restartAnswered, restarted } from '../lib/relayRecovery.ts';
import { media } from './media.ts';
import { createRelaySenders, keepCodec } from './relaySenders.ts';
import { createRelayView } from './relayView.ts';
import { createSlotDecoding } from './slotDecoding.ts';

type Slot = { kind: 'audio' | 'video'; transceiver: RTCRtpTransceiver; stream: MediaStream };

export type RelayLinkOptions = {
  send(message: RelayClientMessage): boolean;
  iceServers(): RTCIceServer[];
  epoch(): number;
  /** The connection's network went away or came back, or an answer is late: check the signalling socket (signalling.ts `probe`). */
  networkChanged?(): void;
};

export type SlotMedia = { stream: MediaStream | null; decoding: boolean };

const ANSWER_TIMEOUT_MS = 4000;

export function createRelayLink(options: RelayLinkOptions) {
  const [pc, setPc] = createSignal<RTCPeerConnection | null>(null);
  const decoding = createSlotDecoding(pc);
  const [slots, setSlots] = createSignal<SlotsMessage | null>(null);
  const [layout, setLayout] = createSignal(0); // bumped when slots get mids
  const [paused, setPaused] = createSignal<PausedVideos>(NO_PAUSES);
  let slotList: Slot[] = [];
  let publishing = false;
  let wantVideoSlots = 0;
  let offering: { id: number; epoch: number; timer: ReturnType<typeof setTimeout>; iceRestart: boolean } | null = null;
  let offerIds = 0;
  let wantOffer = false;
  let offerScheduled = false;
  let sentOffer = false;
  const outCandidates: RTCIceCandidate[] = [];
  /** The last offer sent and the candidates since, for a new signalling socket to send again. */
  const resend = new Resend<RelayClientMessage>();
  const inCandidates: Array<IceCandidate | null> = [];
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let health = freshHealth();
  let healthTimer: ReturnType<typeof setTimeout> | undefined;
  /** restartIce() was called: offers carry `iceRestart` until one of them is answered. */
  let restarting = false;
  const senders = createRelaySenders(pc);
  const view = createRelayView({ send: (m) => options.send(m), ready: () => pc() !== null && sentOffer });

  const slotByMid = (mid: string) => slotList.find((s) => s.transceiver.mid === mid);

  const addSlots = (kind: 'audio' | 'video', n: number) => {
    const conn = pc();
    if (!conn) return;
    for (let i = 0; i < n; i++) {
      const transceiver = conn.addTransceiver(kind, { direction: 'recvonly' });
      keepCodec(transceiver, kind);
      slotList.push({ kind, transceiver, stream: new MediaStream([transceiver.receiver.track]) });
    }
  };

  // Offers are made one after the other (two concurrent createOffer()s make a stale SDP).
  let chain: Promise<void> = Promise.resolve();
  const offer = () => {
    offerScheduled = false;
    chain = chain.then(makeOffer);
  };
  const makeOffer = async () => {
    const conn = pc();
    if (!conn || !wantOffer) return;
    if (offering && offering.epoch >= options.epoch()) return; // made after the answer
    wantOffer = false;
    clearTimeout(offering?.timer);
    const epoch = options.epoch();
    const iceRestart = restarting;
    const offerId = ++offerIds;
    offering = { id: offerId, epoch, timer: setTimeout(() => retryOffer(conn), ANSWER_TIMEOUT_MS), iceRestart };
    try {
      await conn.setLocalDescription();
      if (pc() !== conn) return;
      const message: RelayClientMessage = { type: 'relay-offer', sdp: conn.localDescription!.sdp, epoch, videoSources: senders.videoSources(), offerId, ...(iceRestart ? { iceRestart } : {}) };
      resend.offer(message);
      options.send(message);
      sentOffer = true;
      for (const c of outCandidates.splice(0)) sendCandidate(c);
      setLayout((n) => n + 1);
    } catch (error) {
      console.warn('relay: offer failed', error);
    }
  };
  const retryOffer = (conn: RTCPeerConnection) => {
    if (pc() !== conn || !offering) return;
    clearTimeout(offering.timer);
    offering = null;
    options.networkChanged?.();
    requestOffer();
  };
  const requestOffer = () => {
    wantOffer = true;
    if (offerScheduled) return;
    offerScheduled = true;
    queueMicrotask(offer);
  };

  const sendCandidate = (c: RTCIceCandidate) => {
    const message: RelayClientMessage = { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } };
    resend.candidate(message);
    options.send(message);
  };

  const build = () => {
    clearTimeout(rebuildTimer);
    rebuildTimer = undefined;
    const conn = new RTCPeerConnection({ iceServers: options.iceServers(), bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    setPc(conn);
    slotList = [];
    senders.reset();
    sentOffer = false;
    offering = null;
    health = freshHealth();
    restarting = false;
    decoding.reset();
    setSlots(null);
    setPaused(NO_PAUSES);
    conn.onicecandidate = (event) => {
      if (pc() !== conn || !event.candidate) return;
      if (sentOffer) sendCandidate(event.candidate);
      else outCandidates.push(event.candidate);
    };
    conn.onconnectionstatechange = () => {
      if (pc() !== conn) return;
      const state = conn.connectionState;
      if (state === 'connected') failures = 0;
      if (networkChanged(state, health.troubleSince !== null)) options.networkChanged?.();
      health = observe(health, state, Date.now());
      recover();
    };
    addSlots('audio', AUDIO_SLOTS);
    addSlots('video', wantVideoSlots);
    if (publishing) senders.attach();
    requestOffer();
  };

  /** Restarts ICE or rebuilds when relayRecovery.ts says so, and looks again when it asks to. */
  const recover = () => {
    clearTimeout(healthTimer);
    const conn = pc();
    if (!conn) return;
    const now = Date.now();
    const { action, recheckAt } = defaultRelayRecovery.decide(health, now);
    if (recheckAt !== null) healthTimer = setTimeout(recover, recheckAt - now);
    if (action === 'rebuild') return rebuild();
    if (action !== 'restart-ice') return;
    health = restarted(health, now);
    conn.restartIce();
    restarting = true;
    requestOffer();
    recover(); // to time the restart out
  };

  /** Applies the relay's answer to the offer pending, if it is that one's (`offerId`; none: an older relay, by the mids). */
  const applyAnswer = async (sdp: string, offerId: number | undefined) => {
    const conn = pc();
    if (!conn || conn.signalingState !== 'have-local-offer' || !offering) return;
    if (offerId !== undefined ? offerId !== offering.id : sdpMids(sdp).join(' ') !== sdpMids(conn.localDescription?.sdp ?? '').join(' ')) return; // a late answer
    clearTimeout(offering.timer);
    try {
      await conn.setRemoteDescription({ type: 'answer', sdp });
    } catch (error) {
      console.warn('relay: answer refused', error);
      return rebuild();
    }
    if (pc() !== conn) return;
    if (offering?.iceRestart) {
      restarting = false;
      health = restartAnswered(health, Date.now());
      recover(); // the restart has 5 s from now to connect
    }
    offering = null;
    senders.answered();
    for (const c of inCandidates.splice(0)) await conn.addIceCandidate(c ?? undefined).catch(() => undefined);
    setLayout((n) => n + 1);
    view.forget(); // a new relay peer knows no view
    view.flush();
    if (wantOffer) requestOffer();
  };

  const teardown = () => {
    clearTimeout(healthTimer);
    clearTimeout(offering?.timer);
    offering = null;
    const conn = pc();
    setPc(null);
    slotList = [];
    senders.reset();
    outCandidates.length = 0;
    inCandidates.length = 0;
    resend.clear();
    view.forget();
    setSlots(null);
    setPaused(NO_PAUSES);
    conn?.close();
  };

  /** The relay dropped our peer (relay-failed) or ICE failed: start over, with backoff. */
  const rebuild = () => {
    if (!pc()) return;
    teardown();
    clearTimeout(rebuildTimer);
    rebuildTimer = setTimeout(build, backoffDelay(failures++));
  };

  const unsubscribe = media.subscribe({
    trackAdded: () => publishing && senders.attach() && requestOffer(),
    trackReplaced: () => publishing && senders.attach() && requestOffer(),
    screenChanged: () => publishing && senders.attach() && requestOffer(),
  });

  return {
    pc,
    slots,
    /** A new signalling socket took over: what went into the old one may be lost (lib/resend.ts). */
    signallingReconnected() {
      for (const message of resend.again(offering !== null)) options.send(message);
      view.forget();
      view.flush();
    },
    /** Opens the connection (idempotent) with `videoSlots` video slots, or adds slots up to that many. */
    open(videoSlots: number) {
      const more = videoSlots - wantVideoSlots;
      wantVideoSlots = Math.max(wantVideoSlots, videoSlots);
      // During a rebuild's backoff the timer builds, with the slots wanted by then.
      if (!pc()) return rebuildTimer === undefined ? build() : undefined;
      if (more > 0) {
        addSlots('video', more);
        requestOffer();
      }
    },
    /** Sends our tracks to the relay (re-offering for the current epoch). */
    publish() {
      publishing = true;
      senders.attach();
      requestOffer();
    },
    /** Stops sending, keeping the connection and its slots (warm). */
    unpublish() {
      publishing = false;
      senders.empty();
    },
    /** Re-offers with the current epoch (the relay ignores offers of an older one); also on the relay's `relay-reoffer` (it would answer differently now). */
    reoffer() {
      if (pc()) requestOffer();
    },
    close() {
      clearTimeout(rebuildTimer);
      rebuildTimer = undefined;
      decoding.stop();
      publishing = false;
      wantVideoSlots = 0;
      failures = 0;
      teardown();
    },
    /** The relay's answer, applied after any offer being made (one description change at a time). */
    answer(sdp: string, offerId?: number): Promise<void> {
      chain = chain.then(() => applyAnswer(sdp, offerId)).catch((error) => console.warn('relay: answer failed', error));
      return chain;
    },
    async candidate(candidate: IceCandidate | null) {
      const conn = pc();
      if (!conn) return;
      if (!conn.remoteDescription) return void inCandidates.push(candidate);
      await conn.addIceCandidate(candidate ?? undefined).catch(() => undefined);
    },
    setSlots(message: SlotsMessage) {
      if (!pc()) return;
      decoding.rebase(changedMids(slots(), message));
      setSlots(message);
    },
    failed: rebuild,
    /** Which of our shown videos the relay pauses, and why (lib/pausedVideos.ts); none on a new connection, as on the relay. */
    paused,
    setPaused(message: PausedMessage) {
      if (pc()) setPaused(pausedVideos(message));
    },
    /** A remote's video through the relay, if it is seated in one of our slots. */
    video(sessionId: string, source: VideoSource): SlotMedia {
      layout();
      const mid = videoSeats(slots()).get(tileKey(sessionId, source));
      const slot = mid ? slotByMid(mid) : undefined;
      if (!slot || !mid) return { stream: null, decoding: false };
      return { stream: slot.stream, decoding: decoding.steady(mid) };
    },
    /** A speaker's audio, while it is one of the loudest (seated in an audio slot). */
    audio(sessionId: string): MediaStream | null {
      layout();
      const mid = audioSeats(slots()).get(sessionId);
      return (mid && slotByMid(mid)?.stream) || null;
    },
    audioSlots(): Array<{ mid: string; stream: MediaStream; sessionId: string | null }> {
      layout();
      const seats = slots()?.audio ?? [];
      return slotList.flatMap((s) => (s.kind === 'audio' && s.transceiver.mid ? [{ mid: s.transceiver.mid, stream: s.stream, sessionId: seats.find((x) => x.mid === s.transceiver.mid)?.sessionId ?? null }] : []));
    },
    /** Polls decoded frames while a switch waits for them; turning it on first re-bases every slot. */
    watchDecoding: (on: boolean) => decoding.watch(on),
    /** The relay's `layers`: the camera's simulcast layers someone needs; the others stop encoding. */
    setCameraLayers: senders.setCameraLayers,
    /** The tiles we show, in priority order (sent debounced, when it changed). */
    setView(videos: ViewTile[]) {
      view.set(videos);
    },
    dispose() {
      unsubscribe();
      view.stop();
      this.close();
    },
  };
}

export type RelayLink = ReturnType<typeof createRelayLink>;
