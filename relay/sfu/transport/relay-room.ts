/**
 * The relay side of one room in relay mode: one RelayPeer per session, the slot table that says which
 * publisher sits in which subscriber slot, and the packet path between them.
 *
 * Decide, then act: a packet from a publisher goes to the `Forwarder`, which returns what each
 * subscriber gets; only then do the subscribers' peers write. The room decides video seats (SlotTable,
 * from each subscriber's `view`, first free slots until it sends one) and sends each subscriber a
 * `slots` message whenever its seats change; peers never decide anything.
 *
 * By default the forwarder is the forwarding core (CoreForwarder): it fills the audio slots with the
 * loudest speakers (the `slots` message says who, updated as that changes), picks simulcast layers
 * from the tile sizes, and throttles keyframe requests itself; a timer drives its periodic decision,
 * after which the room tells each subscriber whose paused videos changed (`paused`).
 * With a custom forwarder (`options.forwarder`, e.g. the pass-through) the room seats audio first-free
 * too, and asks for keyframes itself: a new video occupant, or a subscriber's PLI/FIR about a slot,
 * makes it ask that occupant's publisher, at most once per `keyframeIntervalMs`.
 *
 * Send path (`sendPath`): 'werift' hands each packet to the slot's RTCRtpSender, which answers NACKs
 * from its own history; 'direct' (the default) seals and sends the bytes itself (direct-sender.ts),
 * and the room then answers NACKs from its Retransmitter (retransmit.ts), fed with what was forwarded.
 *
 * A client's ICE restart is answered by its peer, which keeps its publications and slots (relay-peer.ts);
 * an offer from a new RTCPeerConnection of the session (ice-restart.ts) replaces the peer.
 */
import { EventEmitter } from 'node:events';
import { CoreForwarder } from './core-forwarder.ts';
import type { CoreForwarderOptions, ReceivedPackets, ViewTile } from './core-forwarder.ts';
import type { Forwarder, Publication, SlotInfo } from './forwarder.ts';
import { AudioFrames } from './audio-frames.ts';
import { audioFrameMs } from './negotiation.ts';
import type { AudioFrameSetting } from './negotiation.ts';
import type { RelayClientMessage, RelayServerMessage, SlotsMessage } from './protocol.ts';
import { IceRestartError, RelayPeer } from './relay-peer.ts';
import type { RelayPeerOptions, SendPath, SlotFeedback } from './relay-peer.ts';
import { Retransmitter } from './retransmit.ts';
import type { RetransmitOptions } from './retransmit.ts';
import type { PublicationKey } from './slots.ts';
import { SlotTable } from './slots.ts';

export type RelayRoomOptions = {
  peer?: RelayPeerOptions;
  /** Builds a custom forwarder (e.g. the naive PassThroughForwarder), given the room's slot lookup; default: the core. */
  forwarder?: (slotsOf: (pub: Publication) => readonly SlotInfo[]) => Forwarder;
  /** Options of the default (core) forwarder. */
  core?: CoreForwarderOptions;
  /** How often the core's periodic decision runs, ms (default 150). */
  tickMs?: number;
  now?: () => number;
  /** Keyframe request throttle with a custom forwarder (the core has its own). */
  keyframeIntervalMs?: number;
  /** How packets go out (default DEFAULT_SEND_PATH); overrides `peer.sendPath`. */
  sendPath?: SendPath;
  /** NACK answers on the direct path. */
  retransmit?: RetransmitOptions;
  /** The microphones' Opus frame length (negotiation.ts; default `auto`: 60 ms above `largeRoom` participants). */
  audioFrames?: AudioFrameSetting;
  /** Relay connections above which a room is large (default LARGE_ROOM, 25). */
  largeRoom?: number;
};

/**
 * The send path of rooms that don't choose one: 'direct' since it passed every relay test (relay/sfu on
 * both paths, relay/test/relay-mode.int.ts); 'werift' stays one option away should a browser disagree.
 */
export const DEFAULT_SEND_PATH: SendPath = 'direct';

export type { ReceivedPackets };
const NONE_RECEIVED: ReceivedPackets = Object.freeze({ audio: 0, video: 0, padding: 0 });

export type RelayRoomEvents = { closed: []; 'session-error': [sessionId: string, error: Error] };

export type Send = (sessionId: string, message: RelayServerMessage) => void;

const keyOf = (p: PublicationKey): string => `${p.sessionId}/${p.source}`;

export class RelayRoom extends EventEmitter<RelayRoomEvents> {
  readonly forwarder: Forwarder;
  /** The default forwarder; undefined with a custom one. */
  readonly core: CoreForwarder | undefined;
  readonly sendPath: SendPath;
  readonly #peers = new Map<string, RelayPeer>();
  readonly #table: SlotTable;
  /** publication key → the ids of its streams (simulcast layers), to know when the last one ends. */
  readonly #streams = new Map<string, Map<string, Publication>>();
  readonly #answered = new Set<string>();
  /** Who to ask to offer again for longer audio frames (audio-frames.ts). */
  readonly #frames = new AudioFrames();
  readonly #lastKeyframeRequest = new Map<string, number>();
  readonly #views = new Map<string, readonly ViewTile[]>();
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  /** Only on the direct path: werift's senders answer NACKs on theirs. */
  readonly #retransmit: Retransmitter | undefined;
  #epoch = 0;
  #closed = false;

  constructor(
    readonly roomId: string,
    readonly send: Send,
    readonly options: RelayRoomOptions = {},
  ) {
    super();
    this.#now = options.now ?? Date.now;
    if (options.forwarder) {
      this.core = undefined;
      this.forwarder = options.forwarder((pub: Publication) => this.#slotsOf(pub));
    } else {
      this.core = new CoreForwarder(options.core);
      this.forwarder = this.core;
      this.#timer = setInterval(() => this.#tick(), options.tickMs ?? 150);
      this.#timer.unref();
    }
    this.#table = new SlotTable({ seatAudio: !this.core });
    this.sendPath = options.sendPath ?? options.peer?.sendPath ?? DEFAULT_SEND_PATH;
    if (this.sendPath === 'direct') this.#retransmit = new Retransmitter(options.retransmit);
  }

  /** RTP packets received from publishers since the room opened, as the core counts them (none with a custom forwarder). */
  get received(): ReceivedPackets {
    return this.core?.received ?? NONE_RECEIVED;
  }

  get size(): number {
    return this.#peers.size;
  }

  peer(sessionId: string): RelayPeer | undefined {
    return this.#peers.get(sessionId);
  }

  /** Offers from an older mode epoch are ignored. */
  setEpoch(epoch: number): void {
    this.#epoch = Math.max(this.#epoch, epoch);
  }

  /** A validated relay-mode message from a session. Errors of one session never reach another. */
  async handle(sessionId: string, message: RelayClientMessage): Promise<void> {
    if (this.#closed) return;
    try {
      switch (message.type) {
        case 'relay-offer': {
          if (message.epoch < this.#epoch) return;
          let peer = this.#peers.get(sessionId);
          // A new RTCPeerConnection of the client: the old peer's DTLS session was the old one's.
          if (peer?.offerKind(message.sdp) === 'new-connection') {
            peer.close();
            peer = undefined;
          }
          if (!peer && message.iceRestart) throw new IceRestartError(`no relay connection of ${sessionId} to restart`);
          peer ??= this.#join(sessionId);
          let sdp: string;
          let frameMs: number;
          try {
            frameMs = this.#audioFrameMs();
            sdp = await peer.answer(message.sdp, message.videoSources, frameMs);
          } catch (error) {
            // werift leaves a half-applied offer behind: start over, the client's next offer makes a new peer.
            peer.close();
            throw error;
          }
          if (peer.closed) return;
          this.send(sessionId, { type: 'relay-answer', sdp, ...(message.offerId !== undefined ? { offerId: message.offerId } : {}) });
          if (!this.#answered.has(sessionId) && this.core) this.send(sessionId, { type: 'speaker', sessionId: this.core.dominant.current ?? null });
          this.#answered.add(sessionId);
          this.#frames.answered(sessionId, frameMs);
          for (const s of this.#frames.toAsk(this.#audioFrameMs())) this.send(s, { type: 'relay-reoffer' });
          const mids = peer.slotMids();
          this.#retransmit?.keepSlots(sessionId, [...mids.audio, ...mids.video]);
          this.core?.setSubscriber(sessionId, mids, (mid) => peer.slotInfo(mid));
          this.#announce(this.#table.setSubscriber(sessionId, mids));
          this.#requestKeyframesFor(sessionId);
          return;
        }
        case 'relay-candidate':
          await this.#peers.get(sessionId)?.addRemoteCandidate(message.candidate);
          return;
        case 'view':
          this.#views.set(sessionId, message.videos);
          // Without the core nothing follows the view (the pass-through seats first-free).
          if (!this.core) return;
          // Tile sizes may have changed even when the seats didn't: the core always hears the view.
          if (this.#table.setView(sessionId, message.videos).length > 0) this.#announce([sessionId]);
          else this.#seat(sessionId);
          return;
        default:
          return assertNever(message);
      }
    } catch (error) {
      this.emit('session-error', sessionId, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The session left the relay (or the room): closes its peer and frees its seats elsewhere. */
  leave(sessionId: string): void {
    const peer = this.#peers.get(sessionId);
    if (peer) return peer.close();
    // A view sent without an offer: forget it.
    this.#views.delete(sessionId);
    this.#table.removeSubscriber(sessionId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const peer of [...this.#peers.values()]) peer.close();
    this.emit('closed');
  }

  #join(sessionId: string): RelayPeer {
    const peer = new RelayPeer(sessionId, { ...this.options.peer, sendPath: this.sendPath });
    this.#peers.set(sessionId, peer);
    peer.onRtp = (pub, packet) => this.#onRtp(pub, packet);
    peer.on('candidate', (candidate) => this.send(sessionId, { type: 'relay-candidate', candidate }));
    peer.on('publications', (added, removed) => this.#onPublications(added, removed));
    peer.on('connection-state', (state) => {
      if (state === 'connected') this.#onConnected(sessionId);
      // werift fails a connection after 30 s without consent; a client restarts ICE long before
      // (relayLink.ts), so a failed peer is one its client gave up on: close it.
      if (state === 'failed') peer.close();
    });
    peer.on('slot-feedback', (mid, feedback) => this.#onFeedback(sessionId, mid, feedback));
    peer.once('closed', () => this.#onPeerClosed(sessionId, peer));
    return peer;
  }

  #onPeerClosed(sessionId: string, peer: RelayPeer): void {
    if (this.#peers.get(sessionId) !== peer) return;
    this.#peers.delete(sessionId);
    this.#answered.delete(sessionId);
    this.#frames.forget(sessionId);
    this.#views.delete(sessionId);
    for (const k of [...this.#streams.keys()]) if (k.startsWith(`${sessionId}/`)) this.#streams.delete(k);
    this.core?.removeSession(sessionId, this.#now());
    this.#retransmit?.removeSession(sessionId);
    this.#announce(this.#table.removeSession(sessionId));
  }

  #audioFrameMs(): number {
    return audioFrameMs(this.#peers.size, this.options.audioFrames, this.options.largeRoom);
  }

  #onRtp(pub: Publication, packet: Uint8Array): void {
    const now = this.#now();
    const out = this.forwarder.onPacket(pub, packet, now);
    // Video only: browsers NACK video; audio concealment beats a late resend.
    const retransmit = pub.kind === 'video' && out.length > 0 ? this.#retransmit : undefined;
    retransmit?.ingress(pub, packet, now);
    for (let i = 0; i < out.length; i++) {
      const f = out[i]!;
      this.#peers.get(f.subscriber)?.send(f.slotMid, f.bytes);
      retransmit?.sent(f.subscriber, f.slotMid, pub, packet, f.bytes);
    }
  }

  /** The core's periodic decision: layers, due keyframe requests, audio occupants and paused videos to tell. */
  #tick(): void {
    if (!this.core || this.#closed) return;
    const now = this.#now();
    this.#retransmit?.sweep(now);
    const { keyframes, audioChanged, speaker, layers, paused } = this.core.tick(now);
    this.#pli(keyframes);
    for (const change of layers) {
      if (this.#answered.has(change.publisherId)) this.send(change.publisherId, { type: 'layers', source: 'camera', rids: change.rids });
      else this.core.publisherLayers.forget(change.publisherId); // decided again next time, when it can be told
    }
    for (const s of audioChanged) if (this.#answered.has(s)) this.send(s, this.#message(s));
    for (const { sessionId, videos } of paused) {
      if (this.#answered.has(sessionId)) this.send(sessionId, { type: 'paused', videos });
      else this.core.pausedVideos.forget(sessionId); // told in full once it can be
    }
    if (speaker !== undefined) for (const s of this.#answered) this.send(s, { type: 'speaker', sessionId: speaker });
  }

  /** One answer's worth of publication changes: seats are decided, then announced once per subscriber. */
  #onPublications(added: Publication[], removed: Publication[]): void {
    this.core?.publications(added, removed);
    const changed = new Set<string>();
    for (const pub of removed) {
      this.#retransmit?.removeStream(pub.id);
      const key: PublicationKey = { sessionId: pub.sessionId, source: pub.source };
      const streams = this.#streams.get(keyOf(key));
      if (!streams?.delete(pub.id) || streams.size > 0) continue;
      this.#streams.delete(keyOf(key));
      for (const s of this.#table.removePublication(key)) changed.add(s);
    }
    for (const pub of added) {
      const key: PublicationKey = { sessionId: pub.sessionId, source: pub.source };
      const streams = this.#streams.get(keyOf(key)) ?? new Map<string, Publication>();
      this.#streams.set(keyOf(key), streams);
      const first = streams.size === 0;
      streams.set(pub.id, pub);
      if (first) for (const s of this.#table.addPublication(key)) changed.add(s);
    }
    this.#announce(changed);
    // A subscriber with a new video occupant can't decode it before a keyframe (requests are throttled).
    for (const s of changed) this.#requestKeyframesFor(s);
  }

  /** Keyframe requests sent before DTLS was up went nowhere: ask again for what this peer sends and gets. */
  #onConnected(sessionId: string): void {
    for (const [k, streams] of this.#streams) {
      const pub = streams.values().next().value;
      if (!pub || pub.kind !== 'video' || !k.startsWith(`${sessionId}/`)) continue;
      // Once per connection, so not throttled by the core: its own requests before this went nowhere.
      if (this.core) this.#pli([...streams.values()]);
      else this.#requestKeyframe({ sessionId, source: pub.source });
    }
    this.#requestKeyframesFor(sessionId);
  }

  /** PLI/FIR ask for a keyframe; NACKs are answered here on the direct path (werift's, on its own); receiver reports and REMB feed the core's bandwidth estimate. */
  #onFeedback(subscriber: string, mid: string, feedback: SlotFeedback): void {
    if (feedback.type === 'nack' && this.#retransmit) {
      const peer = this.#peers.get(subscriber);
      const slot = peer?.slotInfo(mid);
      if (slot) for (const bytes of this.#retransmit.respond(slot, feedback.seqs, this.#now())) peer!.send(mid, bytes);
      return;
    }
    if (feedback.type === 'receiver-report' || feedback.type === 'remb') return this.core?.feedback(subscriber, feedback, this.#now());
    if (feedback.type !== 'pli' && feedback.type !== 'fir') return;
    if (this.core) return this.#pli(this.core.pictureLost(subscriber, mid, this.#now()));
    const occupant = this.#table.occupant(subscriber, mid);
    if (occupant) this.#requestKeyframe(occupant);
  }

  /** Asks for keyframes of every video now seated at `subscriber` (it just (re)negotiated its slots). */
  #requestKeyframesFor(subscriber: string): void {
    if (this.core) {
      const now = this.#now();
      for (const slot of this.#table.message(subscriber).video) this.#pli(this.core.pictureLost(subscriber, slot.mid, now));
      return;
    }
    for (const slot of this.#table.message(subscriber).video) {
      if (slot.sessionId && slot.source) this.#requestKeyframe({ sessionId: slot.sessionId, source: slot.source });
    }
  }

  #requestKeyframe(key: PublicationKey): void {
    const k = keyOf(key);
    const now = this.#now();
    const last = this.#lastKeyframeRequest.get(k);
    if (last !== undefined && now - last < (this.options.keyframeIntervalMs ?? 500)) return;
    const publisher = this.#peers.get(key.sessionId);
    let asked = false;
    for (const pub of this.#streams.get(k)?.values() ?? []) asked = (publisher?.requestKeyframe(pub) ?? false) || asked;
    if (asked) this.#lastKeyframeRequest.set(k, now);
  }

  /** Seats changed: the core learns them (and asks for keyframes of new occupants), then the subscriber. */
  #announce(subscribers: Iterable<string>): void {
    for (const s of new Set(subscribers)) {
      this.#seat(s);
      if (this.#answered.has(s)) this.send(s, this.#message(s));
    }
  }

  /** The core learns a subscriber's video seats and tile sizes; new occupants and layers need keyframes. */
  #seat(subscriber: string): void {
    if (this.core) this.#pli(this.core.seatVideo(subscriber, this.#table.message(subscriber).video, this.#views.get(subscriber), this.#now()));
  }

  #message(subscriber: string): SlotsMessage {
    const message = this.#table.message(subscriber);
    if (this.core) message.audio = this.core.audioSlots(subscriber, this.#now());
    return message;
  }

  /** Keyframe requests the core decided on: a PLI to each publication (layer). */
  #pli(pubs: readonly Publication[]): void {
    for (const pub of pubs) this.#peers.get(pub.sessionId)?.requestKeyframe(pub);
  }

  #slotsOf(pub: Publication): SlotInfo[] {
    const out: SlotInfo[] = [];
    for (const seat of this.#table.seats({ sessionId: pub.sessionId, source: pub.source })) {
      const info = this.#peers.get(seat.subscriber)?.slotInfo(seat.mid);
      if (info) out.push(info);
    }
    return out;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}
