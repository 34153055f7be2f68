/**
 * The forwarding core (relay/sfu/forwarder.ts) behind the room's `Forwarder` seam: the room's default.
 *
 * The room tells it who is there (subscribers' slots, publications as they come and go), which
 * videos sit in which video slots (the SlotTable decides from each subscriber's `view`) and the tile
 * sizes; the core decides per packet who gets it, at which simulcast layer, with which sequence number
 * and timestamp; this adapter turns each decision into bytes for a slot. It reads no clock: the room
 * passes `now` and drives `tick` from its timer.
 *
 * - Audio slots are anonymous: the core puts the loudest speakers in them. `audioSlots` says who is
 *   where for the `slots` message, and `tick` names the subscribers whose audio occupants changed
 *   since they were last told (at most every `audioAnnounceMs`), for speaking indicators.
 * - Bandwidth: what each subscriber is sent (a RateMeter) and its receiver reports and REMB make a
 *   loss-based estimate (select/bandwidth.ts) that caps its layers, never below the lowest layers of
 *   what it shows (no estimate pauses a video); each simulcast layer's measured
 *   bitrate replaces the ladder's nominal one once a second, and a layer silent for a whole second
 *   counts as not sent (browsers drop layers under CPU or bandwidth pressure).
 * - Pauses: after each update, the subscribers whose paused videos changed, with why (`paused`).
 * - The dominant speaker (the large view) is a slower decision over the same levels, made in `tick`
 *   too; `tick` returns it when it changed, for the room to tell everyone.
 * - Simulcast: a camera's streams (one per rid) are layers 0/1/2, by q/h/f when the rids are those,
 *   else in the offer's order; a camera without simulcast is one layer. Keyframe requests come out of
 *   the core's KeyframeRequester (the one throttle) as the publication (layer) to send a PLI to.
 * - Each delivery is a fresh buffer (werift's sendRtp parses and keeps what it is given; the direct
 *   path's socket holds the header until the datagram is out): the slot's SSRC, payload type and
 *   end-to-end extensions and abs-send-time at `now` (rewriteForSlot), then the munged seq/ts.
 * - NACKs from subscribers: on the werift send path werift answers them from its own send history;
 *   on the direct path the room does, from relay/sfu/forward's PacketCache + NackResponder
 *   (retransmit.ts), keyed by the output numbers it reads off these bytes.
 */
import { Forwarder as Core } from '../forwarder.ts';
import type { Delivery, Publication as CorePublication } from '../forwarder.ts';
import { absSendTime, isPaddingOnly, writeRtpSeqTs } from '../forward/index.ts';
import { DominantSpeaker, LossBasedEstimate, RateMeter, SIMULCAST_LADDER, Subscriptions } from '../select/index.ts';
import type { DominantSpeakerChange, DominantSpeakerParams, KeyframeRequest, Layer, ShownTile, SubscriptionsOptions, VideoKind, VideoSource as PublishedVideo } from '../select/index.ts';
import { PausedVideos } from '../select/paused-videos.ts';
import { PublisherLayers, type PublisherLayersParams } from '../select/publisher-layers.ts';
import { AUDIO_LEVEL_URI, rewriteForSlot } from './forwarder.ts';
import type { Forwarded, Forwarder, Publication, SlotInfo } from './forwarder.ts';
import type { SlotFeedback } from './feedback.ts';
import type { AudioSlot, PausedVideo, VideoSlot, VideoSource } from './protocol.ts';

export type ViewTile = { sessionId: string; source: VideoSource; width: number; height: number };

export type CoreForwarderOptions = {
  subscriptions?: SubscriptionsOptions;
  /** Audio occupant changes are told to a subscriber at most this often, ms (default 250). */
  audioAnnounceMs?: number;
  /** Tile size assumed for seated videos of a subscriber that sent no view (default 320×180: the smallest layer). */
  defaultTile?: { width: number; height: number };
  dominantSpeaker?: Partial<DominantSpeakerParams>;
  publisherLayers?: Partial<PublisherLayersParams>;
};

/** A camera should send only `rids` (the lowest layers anyone needs). */
export type PublisherLayerChange = { publisherId: string; rids: string[] };

/** A subscriber's paused videos changed: the whole list now, as its `paused` message names them. */
export type PausedChange = { sessionId: string; videos: PausedVideo[] };

export type TickResult = { keyframes: Publication[]; audioChanged: string[]; layers: PublisherLayerChange[]; paused: PausedChange[]; speaker?: string | null };

type Stream = { pub: Publication; core: CorePublication; layer: number; meter: RateMeter | undefined };
export type ReceivedPackets = { audio: number; video: number; padding: number };

type Subscriber = {
  audioMids: string[];
  slots: Map<string, SlotInfo>;
  /** video mid → `publisherId kind` seated in the core. */
  seated: Map<string, string | null>;
  announced: Array<string | null>;
  announcedAt: number;
  sent: RateMeter;
  /** The video part of `sent` (REMB covers video only: only video slots carry abs-send-time). */
  sentVideo: RateMeter;
  bandwidth: LossBasedEstimate;
};

const QHF = ['q', 'h', 'f'];
const kindOf = (source: VideoSource): VideoKind => (source === 'screen' ? 'screen' : 'video');
const EMPTY: Forwarded[] = [];

export class CoreForwarder implements Forwarder {
  readonly subscriptions: Subscriptions;
  readonly core: Core;
  readonly dominant: DominantSpeaker;
  readonly drops = { 'unknown-stream': 0, 'unknown-slot': 0, malformed: 0 };
  /** RTP packets received from publishers: audio, video media, video padding only (browsers' bandwidth probes). */
  readonly received: ReceivedPackets = { audio: 0, video: 0, padding: 0 };
  readonly #audioAnnounceMs: number;
  readonly #defaultTile: { width: number; height: number };
  readonly #streams = new Map<string, Stream>();
  /** `publisherId kind` → its streams by layer, to turn keyframe requests into publications. */
  readonly #layers = new Map<string, Array<Publication | undefined>>();
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #deliveries: Delivery[] = [];
  readonly #pool: Forwarded[] = [];
  readonly #result: Forwarded[] = [];
  readonly #occupants: Array<string | null> = [];
  readonly #needed = new Map<PublishedVideo, number>();
  readonly publisherLayers: PublisherLayers;
  readonly pausedVideos = new PausedVideos();
  #measuredAt = -Infinity;
  /** A dominant speaker who left, told at the next tick. */
  #dominantChange: DominantSpeakerChange | undefined;

  constructor(options: CoreForwarderOptions = {}) {
    this.subscriptions = new Subscriptions(options.subscriptions);
    this.core = new Core(this.subscriptions);
    this.dominant = new DominantSpeaker(options.dominantSpeaker);
    this.#audioAnnounceMs = options.audioAnnounceMs ?? 250;
    this.#defaultTile = options.defaultTile ?? { width: 320, height: 180 };
    this.publisherLayers = new PublisherLayers(options.publisherLayers);
  }

  /** The packet path. The returned array and its objects are reused by the next call; the bytes are the caller's. */
  onPacket(pub: Publication, packet: Uint8Array, now: number): Forwarded[] {
    const padding = pub.kind === 'video' && isPaddingOnly(packet);
    this.received[pub.kind === 'audio' ? 'audio' : padding ? 'padding' : 'video']++;
    const stream = this.#streams.get(pub.id);
    if (!stream) {
      this.drops['unknown-stream']++;
      return EMPTY;
    }
    // A layer's cost is its media: with transport-wide feedback browsers probe with padding-only packets.
    if (!padding) stream.meter?.add(packet.length, now);
    const n = this.core.onPacket(stream.core, stream.layer, packet, now, this.#deliveries);
    const result = this.#result;
    result.length = 0;
    const sendTime = n > 0 ? absSendTime(now) : 0;
    for (let i = 0; i < n; i++) {
      const d = this.#deliveries[i]!;
      const subscriber = this.#subscribers.get(d.subscriberId);
      const slot = subscriber?.slots.get(d.slotId);
      if (!subscriber || !slot) {
        this.drops['unknown-slot']++;
        continue;
      }
      const bytes = rewriteForSlot(packet, pub.extensions, slot, sendTime);
      if (!bytes) {
        this.drops.malformed++;
        continue;
      }
      writeRtpSeqTs(bytes, d.seq, d.ts);
      subscriber.sent.add(bytes.length, now);
      if (pub.kind === 'video') subscriber.sentVideo.add(bytes.length, now);
      const f = (this.#pool[result.length] ??= { subscriber: '', slotMid: '', bytes });
      f.subscriber = d.subscriberId;
      f.slotMid = d.slotId;
      f.bytes = bytes;
      result.push(f);
    }
    return result;
  }

  /** A subscriber's negotiated slots (first answer or re-offer). */
  setSubscriber(sessionId: string, mids: { audio: readonly string[]; video: readonly string[] }, slotInfo: (mid: string) => SlotInfo | undefined): void {
    let s = this.#subscribers.get(sessionId);
    if (s && (s.audioMids.length !== mids.audio.length || s.audioMids.some((m, i) => m !== mids.audio[i]))) {
      this.core.removeSubscriber(sessionId);
      s = undefined;
    }
    if (!s) {
      s = { audioMids: [...mids.audio], slots: new Map(), seated: new Map(), announced: [], announcedAt: -Infinity, sent: new RateMeter(), sentVideo: new RateMeter(), bandwidth: new LossBasedEstimate() };
      this.#subscribers.set(sessionId, s);
      this.core.addSubscriber(sessionId, mids.audio);
    }
    s.slots.clear();
    for (const mid of [...mids.audio, ...mids.video]) {
      const info = slotInfo(mid);
      if (info) s.slots.set(mid, info);
    }
    for (const mid of [...s.seated.keys()]) if (!mids.video.includes(mid)) s.seated.delete(mid);
  }

  /** The session is gone: as subscriber and as publisher. */
  removeSession(sessionId: string, now = 0): void {
    this.#dominantChange ??= this.dominant.remove(sessionId, now);
    this.core.removeSubscriber(sessionId);
    this.#subscribers.delete(sessionId);
    this.pausedVideos.forget(sessionId);
    const mine = [...this.#streams.values()].filter((s) => s.pub.sessionId === sessionId).map((s) => s.pub);
    this.publications([], mine);
    this.subscriptions.removeParticipant(sessionId);
  }

  /** Streams that appeared and ended (one answer's worth). */
  publications(added: readonly Publication[], removed: readonly Publication[]): void {
    for (const pub of removed) {
      const stream = this.#streams.get(pub.id);
      if (!stream) continue;
      this.#streams.delete(pub.id);
      const key = `${stream.core.publisherId} ${stream.core.kind}`;
      const layers = this.#layers.get(key);
      if (layers) layers[stream.layer] = undefined;
      if (layers?.some((p) => p !== undefined)) continue;
      this.#layers.delete(key);
      if (stream.core.kind === 'audio') this.subscriptions.speakers.remove(pub.sessionId);
      else this.subscriptions.unpublish(pub.sessionId, stream.core.kind);
      if (stream.core.kind === 'video') this.publisherLayers.forget(pub.sessionId);
    }
    for (const pub of added) {
      if (this.#streams.has(pub.id)) continue;
      const kind = pub.source === 'microphone' ? 'audio' : kindOf(pub.source);
      const layer = layerIndex(pub.rids, pub.rid);
      if (layer < 0) continue; // a fourth simulcast layer: not forwarded
      const levelId = [...pub.extensions].find(([, uri]) => uri === AUDIO_LEVEL_URI)?.[0];
      const core: CorePublication = kind === 'audio'
        ? { publisherId: pub.sessionId, kind, codec: 'opus', ...(levelId === undefined ? {} : { audioLevelExtId: levelId }) }
        : { publisherId: pub.sessionId, kind, codec: 'vp8' };
      this.#streams.set(pub.id, { pub, core, layer, meter: kind === 'audio' ? undefined : new RateMeter() });
      const key = `${pub.sessionId} ${kind}`;
      let layers = this.#layers.get(key);
      if (!layers) {
        layers = [];
        this.#layers.set(key, layers);
        if (kind !== 'audio') this.subscriptions.publish(pub.sessionId, kind, ladderOf(pub.rids));
      }
      layers[layer] = pub;
    }
  }

  /**
   * Puts the SlotTable's video seats of a subscriber into the core and tells the core what it shows
   * (sizes from its view, or the default tile without one). Returns the keyframe requests to send now.
   */
  seatVideo(subscriber: string, video: readonly VideoSlot[], view: readonly ViewTile[] | undefined, now: number): Publication[] {
    const s = this.#subscribers.get(subscriber);
    if (!s) return [];
    const tiles: ShownTile[] = [];
    for (const slot of video) {
      const kind = slot.source ? kindOf(slot.source) : 'video';
      const seat = slot.sessionId ? `${slot.sessionId} ${kind}` : null;
      if (s.seated.get(slot.mid) !== seat) {
        this.core.assignVideo(subscriber, slot.mid, slot.sessionId, kind);
        s.seated.set(slot.mid, seat);
      }
      if (!slot.sessionId || !slot.source) continue;
      const tile = view ? view.find((t) => t.sessionId === slot.sessionId && t.source === slot.source) : this.#defaultTile;
      if (tile) tiles.push({ publisherId: slot.sessionId, kind, width: tile.width, height: tile.height });
    }
    return this.#toPublications(this.subscriptions.show(subscriber, tiles, now));
  }

  /** The subscriber lost pictures in a video slot (PLI/FIR): the keyframe request to send, if any. */
  pictureLost(subscriber: string, mid: string, now: number): Publication[] {
    const seat = this.#subscribers.get(subscriber)?.seated.get(mid);
    if (!seat) return [];
    const [publisherId, kind] = seat.split(' ') as [string, VideoKind];
    const request = this.subscriptions.requestKeyframe(subscriber, publisherId, kind, now);
    return request ? this.#toPublications([request]) : [];
  }

  /** A subscriber's receiver report or REMB about one of its slots: its bandwidth estimate may change. */
  feedback(subscriber: string, feedback: SlotFeedback, now: number): void {
    const s = this.#subscribers.get(subscriber);
    if (!s) return;
    const estimate =
      feedback.type === 'receiver-report' ? s.bandwidth.report(feedback.fractionLost, s.sent.bps(now), now)
      : feedback.type === 'remb' ? s.bandwidth.remb(feedback.bitrate, s.sentVideo.bps(now))
      : undefined;
    // An estimate moves tiles down the ladder but never pauses one: random loss (Wi-Fi) looks like
    // congestion in a receiver report, Chromium's REMB without abs-send-time runs low (measured:
    // 180–290 kb/s while it received 500 kb/s fine), and a frozen face is the worst outcome. Measured
    // bitrates swing (keyframes): half as much again keeps the floors clear of the line. REMB is a
    // congestion signal only (bandwidth.ts): it grows only with what is received, so without probing
    // it never opens room for a larger layer.
    if (estimate !== undefined) this.subscriptions.setBandwidth(subscriber, Math.max(estimate, 1.5 * this.subscriptions.floorBps(subscriber)), now);
  }

  /** Each video layer's measured bitrate and whether it is sent at all (called once a second by `tick`). */
  #measureLayers(now: number): void {
    for (const stream of this.#streams.values()) {
      if (!stream.meter?.settled(now) || stream.core.kind === 'audio') continue;
      const source = this.subscriptions.source(stream.pub.sessionId, stream.core.kind);
      if (!source) continue;
      const bps = stream.meter.bps(now);
      source.setActive(stream.layer, bps > 0);
      if (bps > 0) source.setBitrate(stream.layer, bps);
    }
  }

  /** Who is in each audio slot now, as the subscriber is told; remembered as announced. */
  audioSlots(subscriber: string, now: number): AudioSlot[] {
    const s = this.#subscribers.get(subscriber);
    if (!s) return [];
    this.core.audioOccupants(subscriber, now, s.announced);
    s.announcedAt = now;
    return s.audioMids.map((mid, i) => ({ mid, sessionId: s.announced[i] ?? null }));
  }

  /**
   * The periodic decision (every 100–250 ms): layers for everyone; keyframe requests to send now; the
   * subscribers to send a `slots` message because their audio occupants changed, and those to send a
   * `paused` message because the videos paused for them (select/paused-videos.ts) changed.
   */
  tick(now: number): TickResult {
    const layers: PublisherLayerChange[] = [];
    if (now - this.#measuredAt >= 1000) {
      this.#measuredAt = now;
      this.#measureLayers(now);
    }
    // Every tick: a tile coming on screen resumes its paused camera at once (fewer layers wait anyway).
    this.#publisherLayers(now, layers);
    const keyframes = this.#toPublications(this.subscriptions.update(now));
    const paused = this.pausedVideos.update(this.subscriptions).map(({ subscriberId, videos }) => ({
      sessionId: subscriberId,
      videos: videos.map((v) => ({ sessionId: v.publisherId, source: v.kind === 'screen' ? ('screen' as const) : ('camera' as const), reason: v.reason })),
    }));
    const change = this.dominant.update(now, this.subscriptions.speakers) ?? this.#dominantChange;
    this.#dominantChange = undefined;
    const audioChanged: string[] = [];
    for (const [id, s] of this.#subscribers) {
      if (now - s.announcedAt < this.#audioAnnounceMs) continue;
      const occupants = this.core.audioOccupants(id, now, this.#occupants);
      if (occupants.some((o, i) => o !== (s.announced[i] ?? null))) audioChanged.push(id);
    }
    return change ? { keyframes, audioChanged, layers, paused, speaker: change.to ?? null } : { keyframes, audioChanged, layers, paused };
  }

  /** Cameras whose wanted layers changed (select/publisher-layers.ts): the rids each should send. */
  #publisherLayers(now: number, out: PublisherLayerChange[]): void {
    const needed = this.subscriptions.neededLayers(this.#needed);
    for (const pubs of this.#layers.values()) {
      const camera = pubs.find((p) => p !== undefined);
      if (camera?.source !== 'camera' || pubs.length < 2) continue;
      const publisherId = camera.sessionId;
      const source = this.subscriptions.source(publisherId, 'video');
      if (!source) continue;
      const count = this.publisherLayers.update(publisherId, needed.get(source) ?? -1, pubs.length, now);
      if (count === undefined) continue;
      // Layers asked for again count as sent until they have been silent for a whole second
      // (#measureLayers): a new viewer of a paused camera then waits for its keyframe like any new
      // viewer, instead of being told the publisher sends nothing.
      for (let i = 0; i < count; i++) if (!source.active[i]) source.setActive(i, true);
      const rids = pubs.slice(0, count).flatMap((p) => (p?.rid === undefined ? [] : [p.rid]));
      out.push({ publisherId, rids });
    }
  }

  #toPublications(requests: readonly KeyframeRequest[]): Publication[] {
    const out: Publication[] = [];
    for (const r of requests) {
      const pub = this.#layers.get(`${r.publisherId} ${r.kind}`)?.[r.layer];
      if (pub) out.push(pub);
    }
    return out;
  }
}

/** A stream's layer: q/h/f by name when the rids are those, else the offer's order; -1 past three. */
export function layerIndex(rids: readonly string[], rid: string | undefined): number {
  if (rid === undefined) return 0;
  const ordered = rids.every((r) => QHF.includes(r)) ? QHF.filter((r) => rids.includes(r)) : rids;
  const i = ordered.indexOf(rid);
  return i < SIMULCAST_LADDER.length ? i : -1;
}

/**
 * A camera's ladder: the standard layers its rids name when they are q/h/f (the client offers q alone
 * for a 180p camera, q+h for 360p: ui's relaySlots.ts), else the top layers, one per rid (a camera
 * without simulcast sends the top one).
 */
export function ladderOf(rids: readonly string[]): readonly Layer[] {
  if (rids.length > 0 && rids.every((r) => QHF.includes(r))) return SIMULCAST_LADDER.filter((l) => rids.includes(l.rid));
  const n = Math.min(Math.max(rids.length, 1), SIMULCAST_LADDER.length);
  return SIMULCAST_LADDER.slice(SIMULCAST_LADDER.length - n);
}
