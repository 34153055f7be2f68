/**
 * Speaking indicators: one AnalyserNode per stream with audio (self included), polled by one shared
 * timer. The AudioContext is created lazily and resumed on the first user gesture (autoplay policy).
 *
 * A meter is built when the page has a moment (requestIdleCallback, within 2 s): its two Web Audio
 * nodes are synchronous calls that wait for the audio thread, and every tile gets a new stream at
 * once when the room switches between mesh and relay. Measured in escalation.e2e.ts (five browsers on
 * two cores), building them there and then took 340 ms of a page's main thread in the middle of the
 * switch, when its video decoders needed the CPU.
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

/** Runs `f` when the page is idle (at the latest after 2 s); the returned function cancels it. */
function whenIdle(f: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(f, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(f, 200);
  return () => clearTimeout(id);
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
    let meter: Meter | undefined;
    let source: MediaStreamAudioSourceNode | undefined;
    const cancel = whenIdle(() => {
      source = ctx.createMediaStreamSource(new MediaStream(audioTracks));
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      meter = { analyser, buffer: new Uint8Array(analyser.fftSize), state: { speaking: false, lastLoudAt: 0 }, set: setSpeaking };
      meters.add(meter);
      timer ??= setInterval(poll, 100);
    });
    onCleanup(() => {
      cancel();
      if (meter) meters.delete(meter);
      source?.disconnect();
      setSpeaking(false);
      if (meters.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    });
  });
  return speaking;
}
