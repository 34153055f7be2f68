/**
 * Speaking detection from an AnalyserNode's time-domain bytes: RMS level, then hysteresis so the
 * indicator does not flicker between syllables (on above a threshold, off only after a quiet hold).
 */
export function rmsLevel(samples: Uint8Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const byte of samples) {
    const v = (byte - 128) / 128;
    sum += v * v;
  }
  return Math.sqrt(sum / samples.length);
}

export type SpeakingState = { speaking: boolean; lastLoudAt: number };

export const SPEAKING_ON = 0.04;
export const SPEAKING_HOLD_MS = 600;

export function nextSpeaking(state: SpeakingState, level: number, now: number): SpeakingState {
  if (level >= SPEAKING_ON) return { speaking: true, lastLoudAt: now };
  if (state.speaking && now - state.lastLoudAt < SPEAKING_HOLD_MS) return state;
  return state.speaking ? { speaking: false, lastLoudAt: state.lastLoudAt } : state;
}
