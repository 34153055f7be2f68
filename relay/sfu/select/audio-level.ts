/**
 * Which microphones a listener hears: the loudest few, by the audio level each sender reports.
 *
 * RFC 6464 (client-to-mixer audio level): a one-byte RTP header extension, `V` (the sender's voice
 * activity flag) in the top bit and the frame's level in -dBov in the low 7 bits: 0 is full scale,
 * 127 is -127 dBov, i.e. digital silence. Reading it costs the relay no decoding at all.
 *
 * `LoudestSpeakers` follows, per publisher, the envelope of the *amplitude* (not of the dB value, so
 * a quiet frame weighs little rather than dragging an average towards -127): an exponential average
 * that rises with a 200 ms time constant and falls with a 1 s one, like a VU meter. The slow fall is
 * the hysteresis against pauses: a 500 ms gap between phrases costs a talker 4 dB, under the margin
 * below. Time since a publisher's last packet counts as silence, so muted microphones (DTX sends a
 * packet every 400 ms, or none) fade out by themselves.
 *
 * Selection (N = 3 by default), recomputed at most every 100 ms, lazily from the calls:
 * - only a publisher whose smoothed level is at least -50 dBov ("speaking") can enter;
 * - a free slot is taken at once, from `observe` itself, so a speech onset is clipped by no more than
 *   the smoothing rise time (two or three 20 ms packets);
 * - a member that stopped talking (no frame at the speaking level for 800 ms, longer than most pauses
 *   between words) yields at once to any louder speaker;
 * - otherwise a challenger must be 6 dB louder than the quietest member, or louder than it without
 *   interruption for 3 s: two talkers of about the same level do not take turns at every pause
 *   (measured: at most one change in 30 s of synthetic speech, where a 400 ms average and a 2 s
 *   overtake changed the set ten times);
 * - members stay through silence (forwarding quiet audio costs little and keeps the next phrase of a
 *   recent speaker whole) until replaced, and a publisher that sends nothing for 2 s is forgotten.
 * Like LiveKit's audio level and Jitsi's last-N audio, this looks only at levels; the dominant
 * speaker (one person, a longer hold) is dominant-speaker.ts.
 */
import type { RtpHeader } from './rtp-header.ts';

export interface LoudestSpeakersParams {
  /** How many publishers are forwarded to each listener. */
  count: number;
  /** Time constant of the amplitude average while the level rises, ms. */
  attackMs: number;
  /** …and while it falls (pauses, silence, no packets), ms. */
  releaseMs: number;
  /** A smoothed level at or above this (dBov, negative) counts as speaking. */
  speakingDbov: number;
  /** How much louder than the quietest member a challenger must be to replace it at once. */
  marginDb: number;
  /** …or for how long it must stay louder than the quietest member, ms. */
  overtakeMs: number;
  /** A member with no packet at the speaking level for this long yields to any louder speaker, ms. */
  pauseMs: number;
  /** The selection is recomputed at most this often, ms. */
  updateIntervalMs: number;
  /** A publisher with no packet for this long is forgotten, ms. */
  forgetAfterMs: number;
  /** When true, packets whose V flag is clear count as silence (for senders known to set V). */
  useVoiceFlag: boolean;
}

export const DEFAULT_LOUDEST_SPEAKERS: LoudestSpeakersParams = {
  count: 3,
  attackMs: 200,
  releaseMs: 1000,
  speakingDbov: -50,
  marginDb: 6,
  overtakeMs: 3000,
  pauseMs: 800,
  updateIntervalMs: 100,
  forgetAfterMs: 2000,
  useVoiceFlag: false,
};

/** RFC 6464 level byte of `header`'s extension `id`, or -1 when absent: `level = b & 0x7f`, `voice = b >= 0x80`. */
export function readAudioLevel(header: RtpHeader, id: number): number {
  const at = header.findExtension(id);
  return at < 0 || header.foundLength < 1 ? -1 : header.buf[at]!;
}

export function audioLevelDbov(levelByte: number): number {
  return -(levelByte & 0x7f);
}

export function voiceActivity(levelByte: number): boolean {
  return (levelByte & 0x80) !== 0;
}

/** Amplitude relative to full scale for each -dBov value; 127 is digital silence, hence 0. */
const AMPLITUDE = Float64Array.from({ length: 128 }, (_, level) => (level === 127 ? 0 : 10 ** (-level / 20)));
/** How much of the time before a packet is credited to that packet's level (longer gaps are silence). */
const PACKET_HOLD_MS = 40;
const FIRST_PACKET_MS = 20;

export function amplitudeToDbov(amplitude: number): number {
  return amplitude > 0 ? Math.max(-127, 20 * Math.log10(amplitude)) : -127;
}

/** Anything that can tell the smoothed level of every publisher it knows, at a given time. */
export interface LoudnessSource {
  forEachLoudness(now: number, visit: (publisherId: string, dbov: number) => void): void;
}

interface Publisher {
  readonly id: string;
  amplitude: number;
  lastAt: number;
  selected: boolean;
  /** When it last sent a packet at the speaking level. */
  voicedAt: number;
  /** Amplitude at the last selection update. */
  score: number;
  /** Since when it has been louder than the quietest member (-1: not). */
  aheadSince: number;
}

export class LoudestSpeakers implements LoudnessSource {
  readonly params: LoudestSpeakersParams;
  readonly #publishers = new Map<string, Publisher>();
  readonly #members: Publisher[] = [];
  readonly #speakingAmplitude: number;
  readonly #marginFactor: number;
  #updatedAt = -Infinity;

  /** `limit`: the relay's capacity limit (capacity.ts), read at each update: its `maxAudio` lowers `count`. */
  constructor(params: Partial<LoudestSpeakersParams> = {}, readonly limit: { readonly maxAudio?: number } = {}) {
    this.params = { ...DEFAULT_LOUDEST_SPEAKERS, ...params };
    this.#speakingAmplitude = 10 ** (this.params.speakingDbov / 20);
    this.#marginFactor = 10 ** (this.params.marginDb / 20);
  }

  /** One audio packet's level (0–127, -dBov) from `publisherId`. */
  observe(publisherId: string, levelDbov: number, voice: boolean, now: number): void {
    let p = this.#publishers.get(publisherId);
    const level = levelDbov >= 0 && levelDbov <= 127 ? levelDbov | 0 : 127; // NaN included
    const x = this.params.useVoiceFlag && !voice ? 0 : AMPLITUDE[level]!;
    const { attackMs, releaseMs } = this.params;
    if (!p) {
      p = { id: publisherId, amplitude: 0, lastAt: now, voicedAt: -Infinity, selected: false, score: 0, aheadSince: -1 };
      this.#publishers.set(publisherId, p);
      p.amplitude = x * (1 - Math.exp(-FIRST_PACKET_MS / attackMs));
    } else {
      const dt = now > p.lastAt ? now - p.lastAt : 0;
      if (dt > PACKET_HOLD_MS) p.amplitude *= Math.exp(-(dt - PACKET_HOLD_MS) / releaseMs);
      const tau = x > p.amplitude ? attackMs : releaseMs;
      p.amplitude += (x - p.amplitude) * (1 - Math.exp(-Math.min(dt, PACKET_HOLD_MS) / tau));
      p.lastAt = now;
    }
    if (x >= this.#speakingAmplitude) p.voicedAt = now;
    if (!p.selected && p.amplitude >= this.#speakingAmplitude) this.#enter(p, now);
  }

  /** Forget a publisher now (it left, or closed its microphone track). */
  remove(publisherId: string): void {
    const p = this.#publishers.get(publisherId);
    if (!p) return;
    this.#publishers.delete(publisherId);
    if (p.selected) this.#deselect(p);
  }

  isSelected(publisherId: string, now: number): boolean {
    this.#maybeUpdate(now);
    return this.#publishers.get(publisherId)?.selected === true;
  }

  /** The forwarded publishers, loudest first (a fresh array: not for the per-packet path). */
  selected(now: number): string[] {
    this.#maybeUpdate(now);
    return this.#members
      .slice()
      .sort((a, b) => this.#amplitudeAt(b, now) - this.#amplitudeAt(a, now))
      .map((p) => p.id);
  }

  /** Smoothed level in dBov (-127 for unknown or silent publishers). */
  loudness(publisherId: string, now: number): number {
    const p = this.#publishers.get(publisherId);
    return p ? amplitudeToDbov(this.#amplitudeAt(p, now)) : -127;
  }

  isSpeaking(publisherId: string, now: number): boolean {
    const p = this.#publishers.get(publisherId);
    return p !== undefined && this.#amplitudeAt(p, now) >= this.#speakingAmplitude;
  }

  forEachLoudness(now: number, visit: (publisherId: string, dbov: number) => void): void {
    this.#maybeUpdate(now);
    for (const p of this.#publishers.values()) visit(p.id, amplitudeToDbov(this.#amplitudeAt(p, now)));
  }

  #amplitudeAt(p: Publisher, now: number): number {
    const idle = now - p.lastAt - PACKET_HOLD_MS;
    return idle > 0 ? p.amplitude * Math.exp(-idle / this.params.releaseMs) : p.amplitude;
  }

  /** A member that stopped talking: quiet, or without a frame at the speaking level for a while. */
  #yields(m: Publisher, amplitude: number, now: number): boolean {
    return amplitude < this.#speakingAmplitude || now - m.voicedAt >= this.params.pauseMs;
  }

  /** Fast path from `observe`: a free slot, or one held by a quieter member who stopped talking. O(count). */
  #enter(p: Publisher, now: number): void {
    if (this.#members.length < this.#count()) return this.#select(p);
    let quiet: Publisher | undefined;
    let quietAmplitude = p.amplitude;
    for (const m of this.#members) {
      const a = this.#amplitudeAt(m, now);
      if (a < quietAmplitude && this.#yields(m, a, now)) (quiet = m), (quietAmplitude = a);
    }
    if (quiet) {
      this.#deselect(quiet);
      this.#select(p);
    }
  }

  #select(p: Publisher): void {
    p.selected = true;
    p.aheadSince = -1;
    this.#members.push(p);
  }

  #deselect(p: Publisher): void {
    p.selected = false;
    p.aheadSince = -1;
    const i = this.#members.indexOf(p);
    if (i >= 0) this.#members.splice(i, 1);
  }

  #maybeUpdate(now: number): void {
    if (now - this.#updatedAt < this.params.updateIntervalMs) return;
    this.#updatedAt = now;
    const { forgetAfterMs, overtakeMs } = this.params;
    const count = this.#count();
    for (const p of this.#publishers.values()) {
      if (now - p.lastAt > forgetAfterMs) {
        this.remove(p.id);
        continue;
      }
      p.score = this.#amplitudeAt(p, now);
    }
    // The capacity limit came down: the quietest members go first.
    while (this.#members.length > count) this.#deselect(this.#quietestMember()!);
    const quietest = this.#quietestMember();
    const bar = this.#members.length < count || !quietest ? 0 : quietest.score;
    for (const p of this.#publishers.values()) {
      if (p.selected) continue;
      if (p.score >= this.#speakingAmplitude && p.score > bar) {
        if (p.aheadSince < 0) p.aheadSince = now;
      } else p.aheadSince = -1;
    }
    // At most `count` changes an update: each one moves a louder challenger in.
    for (let round = 0; round < count; round++) {
      const challenger = this.#loudestChallenger();
      if (!challenger || challenger.score < this.#speakingAmplitude) return;
      if (this.#members.length < count) {
        this.#select(challenger);
        continue;
      }
      const member = this.#quietestMember();
      if (!member) return;
      const wins =
        (challenger.score > member.score && this.#yields(member, member.score, now)) ||
        challenger.score >= member.score * this.#marginFactor ||
        (challenger.aheadSince >= 0 && now - challenger.aheadSince >= overtakeMs && challenger.score > member.score);
      if (!wins) return;
      this.#deselect(member);
      this.#select(challenger);
    }
  }

  #count(): number {
    return Math.min(this.params.count, this.limit.maxAudio ?? Infinity);
  }

  #quietestMember(): Publisher | undefined {
    let quietest: Publisher | undefined;
    for (const m of this.#members) if (!quietest || m.score < quietest.score) quietest = m;
    return quietest;
  }

  #loudestChallenger(): Publisher | undefined {
    let loudest: Publisher | undefined;
    for (const p of this.#publishers.values()) if (!p.selected && (!loudest || p.score > loudest.score)) loudest = p;
    return loudest;
  }
}
