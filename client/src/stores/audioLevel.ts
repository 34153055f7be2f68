/**
 * Speaking indicators: one AnalyserNode per stream with audio (self included), polled by one shared
 * timer. The AudioContext is created lazily and resumed on the first user gesture (autoplay policy).
 */
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import { nextSpeaking, rmsLevel, type SpeakingState } from '../lib/speaking.ts';

type Meter = { analyser: AnalyserNode; buffer: Uint8Array<ArrayBuffer>; state: SpeakingState; set(v: boolean): void };

let context: AudioContext | null = null;
const meters = new Set<Meter>();
let timer: ReturnType<typeof setInterval> | undefined;

function audioContext(): AudioContext | null {
  if (context) return context;
  if (typeof AudioContext === 'undefined') return null;
  context = new AudioContext();
  const resume = () => void context?.resume();
  document.addEventListener('pointerdown', resume, { once: true, capture: true });
  document.addEventListener('keydown', resume, { once: true, capture: true });
  return context;
}

/** Call from a click handler (e.g. Join) so the context may start. */
export function unlockAudio(): void {
  void audioContext()?.resume();
}

function poll(): void {
  const now = performance.now();
  for (const meter of meters) {
    meter.analyser.getByteTimeDomainData(meter.buffer);
    const next = nextSpeaking(meter.state, rmsLevel(meter.buffer), now);
    if (next.speaking !== meter.state.speaking) meter.set(next.speaking);
    meter.state = next;
  }
}

/**
 * Whether the audio of `stream` is currently speech-loud. `enabled` (e.g. not muted) gates it: a
 * muted track still carries silence, but this avoids any flicker while muted.
 */
export function createSpeaking(stream: Accessor<MediaStream | null>, enabled: Accessor<boolean> = () => true): Accessor<boolean> {
  const [speaking, setSpeaking] = createSignal(false);
  createEffect(() => {
    const s = stream();
    const audioTracks = s?.getAudioTracks() ?? [];
    const ctx = audioTracks.length > 0 && enabled() ? audioContext() : null;
    if (!s || !ctx) {
      setSpeaking(false);
      return;
    }
    const source = ctx.createMediaStreamSource(new MediaStream(audioTracks));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const meter: Meter = { analyser, buffer: new Uint8Array(analyser.fftSize), state: { speaking: false, lastLoudAt: 0 }, set: setSpeaking };
    meters.add(meter);
    timer ??= setInterval(poll, 100);
    onCleanup(() => {
      meters.delete(meter);
      source.disconnect();
      setSpeaking(false);
      if (meters.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    });
  });
  return speaking;
}
