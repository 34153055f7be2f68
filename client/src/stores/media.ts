/**
 * Local media: the outbound camera/microphone stream, on/off toggles, device choice and screen share.
 *
 * One outbound MediaStream object lives as long as the page uses media; its tracks are swapped in
 * place when the user picks another device, and every mesh link is told to `replaceTrack` (no
 * renegotiation). Mute and camera-off flip `track.enabled`, which peers see as silence/black without
 * any signalling. A screen share is its own stream. The mesh subscribes to these changes.
 */
import { createSignal } from 'solid-js';
import { prefs } from './prefs.ts';
import { captureConstraints, type VideoQuality } from '../lib/videoQuality.ts';

export type MediaProblem = { kind: 'permission-denied' } | { kind: 'no-device' } | { kind: 'in-use' } | { kind: 'other'; message: string };

export type MediaListener = {
  trackAdded(track: MediaStreamTrack, stream: MediaStream): void;
  trackReplaced(previous: MediaStreamTrack, next: MediaStreamTrack, stream: MediaStream): void;
  screenChanged(screen: MediaStream | null, previous: MediaStream | null): void;
};

const AUDIO: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

const [stream, setStream] = createSignal<MediaStream | null>(null, { equals: false });
const [micOn, setMicOn] = createSignal(true);
const [cameraOn, setCameraOn] = createSignal(true);
const [hasAudio, setHasAudio] = createSignal(false);
const [hasVideo, setHasVideo] = createSignal(false);
const [problem, setProblem] = createSignal<MediaProblem | null>(null);
const [devices, setDevices] = createSignal<MediaDeviceInfo[]>([]);
const [screen, setScreen] = createSignal<MediaStream | null>(null);
const [starting, setStarting] = createSignal(false);
const listeners = new Set<MediaListener>();

function constraint(kind: 'audio' | 'video', deviceId: string): MediaTrackConstraints {
  const base = kind === 'audio' ? AUDIO : captureConstraints(prefs.videoQuality());
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

function describe(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return { kind: 'permission-denied' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { kind: 'no-device' };
  if (name === 'NotReadableError' || name === 'AbortError') return { kind: 'in-use' };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

/** One getUserMedia call; a remembered device that is gone falls back to the default one. */
async function capture(kinds: { audio: boolean; video: boolean }): Promise<MediaStream> {
  const request = (withIds: boolean) =>
    navigator.mediaDevices.getUserMedia({
      audio: kinds.audio ? constraint('audio', withIds ? prefs.audioDeviceId() : '') : false,
      video: kinds.video ? constraint('video', withIds ? prefs.videoDeviceId() : '') : false,
    });
  try {
    return await request(true);
  } catch (error) {
    if (error instanceof Error && error.name === 'OverconstrainedError') return request(false);
    throw error;
  }
}

async function refreshDevices(): Promise<void> {
  try {
    setDevices(await navigator.mediaDevices.enumerateDevices());
  } catch {
    setDevices([]);
  }
}

function track(kind: 'audio' | 'video'): MediaStreamTrack | null {
  const s = stream();
  return (kind === 'audio' ? s?.getAudioTracks()[0] : s?.getVideoTracks()[0]) ?? null;
}

function sync(): void {
  const s = stream();
  setHasAudio((s?.getAudioTracks().length ?? 0) > 0);
  setHasVideo((s?.getVideoTracks().length ?? 0) > 0);
  setStream(s);
}

/** Asks for camera and microphone; with one of them missing or failing, keeps the other. */
async function start(): Promise<void> {
  if (stream() || starting() || !navigator.mediaDevices?.getUserMedia) {
    if (!navigator.mediaDevices?.getUserMedia) setProblem({ kind: 'no-device' });
    return;
  }
  setStarting(true);
  setProblem(null);
  let result: MediaStream | null = null;
  try {
    result = await capture({ audio: true, video: true });
  } catch (error) {
    const first = describe(error);
    if (first.kind === 'permission-denied') {
      setProblem(first);
    } else {
      const tracks: MediaStreamTrack[] = [];
      let last: MediaProblem = first;
      for (const kind of ['audio', 'video'] as const) {
        try {
          tracks.push(...(await capture({ audio: kind === 'audio', video: kind === 'video' })).getTracks());
        } catch (e) {
          last = describe(e);
        }
      }
      if (tracks.length > 0) result = new MediaStream(tracks);
      setProblem(tracks.length === 2 ? null : last);
    }
  }
  if (result) {
    for (const t of result.getAudioTracks()) t.enabled = micOn();
    for (const t of result.getVideoTracks()) t.enabled = cameraOn();
  }
  setStream(result);
  sync();
  setStarting(false);
  // Someone who pressed Join before the devices opened already has links without tracks: add them now.
  for (const t of result?.getTracks() ?? []) for (const l of listeners) l.trackAdded(t, result!);
  await refreshDevices();
}

async function addKind(kind: 'audio' | 'video'): Promise<boolean> {
  try {
    const fresh = (await capture({ audio: kind === 'audio', video: kind === 'video' })).getTracks()[0];
    if (!fresh) return false;
    const s = stream() ?? new MediaStream();
    s.addTrack(fresh);
    setStream(s);
    sync();
    setProblem(null);
    for (const l of listeners) l.trackAdded(fresh, s);
    await refreshDevices();
    return true;
  } catch (error) {
    setProblem(describe(error));
    return false;
  }
}

/** Mute/unmute by `track.enabled`; turning on a kind we have no track for asks for that device. */
async function setEnabled(kind: 'audio' | 'video', on: boolean): Promise<MediaProblem | null> {
  if (starting()) {
    (kind === 'audio' ? setMicOn : setCameraOn)(on); // start() applies it to the tracks it gets
    return null;
  }
  const current = track(kind);
  if (on && !current && !(await addKind(kind))) return problem();
  const t = track(kind);
  if (t) t.enabled = on;
  (kind === 'audio' ? setMicOn : setCameraOn)(on);
  return null;
}

async function switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<MediaProblem | null> {
  (kind === 'audio' ? prefs.setAudioDeviceId : prefs.setVideoDeviceId)(deviceId);
  const previous = track(kind);
  if (!previous) return (await addKind(kind)) ? null : problem();
  if (previous.getSettings().deviceId === deviceId) return null;
  try {
    const next = (await capture({ audio: kind === 'audio', video: kind === 'video' })).getTracks()[0];
    if (!next) return { kind: 'no-device' };
    next.enabled = kind === 'audio' ? micOn() : cameraOn();
    const s = stream();
    if (!s) return null;
    s.removeTrack(previous);
    s.addTrack(next);
    previous.stop();
    for (const l of listeners) l.trackReplaced(previous, next, s);
    sync();
    return null;
  } catch (error) {
    return describe(error);
  }
}

/**
 * Changes the camera's capture size in place (applyConstraints: no new track, links keep their sender).
 * Offered before joining: the relay's simulcast layers are chosen from the size when publishing.
 */
async function setVideoQuality(quality: VideoQuality): Promise<MediaProblem | null> {
  prefs.setVideoQuality(quality);
  const current = track('video');
  if (!current) return null;
  try {
    await current.applyConstraints(captureConstraints(quality));
    return null;
  } catch (error) {
    return describe(error);
  }
}

async function startScreen(): Promise<MediaProblem | null> {
  if (screen()) return null;
  try {
    const shared = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
    const videoTrack = shared.getVideoTracks()[0];
    if (videoTrack) videoTrack.addEventListener('ended', () => stopScreen(), { once: true });
    setScreen(shared);
    for (const l of listeners) l.screenChanged(shared, null);
    return null;
  } catch (error) {
    const p = describe(error);
    return p.kind === 'permission-denied' ? null : p; // cancelling the picker is not an error
  }
}

function stopScreen(): void {
  const previous = screen();
  if (!previous) return;
  setScreen(null);
  for (const l of listeners) l.screenChanged(null, previous);
  for (const t of previous.getTracks()) t.stop();
}

/** Releases camera, microphone and screen (leaving the room or going home). */
function stopAll(): void {
  stopScreen();
  for (const t of stream()?.getTracks() ?? []) t.stop();
  setStream(null);
  sync();
}

if (typeof navigator !== 'undefined' && navigator.mediaDevices) {
  navigator.mediaDevices.addEventListener?.('devicechange', () => void refreshDevices());
}

export const media = {
  stream,
  /** What the user hears/sees of us: a track exists and is enabled. */
  /** While the devices are still opening, the user's intent shows (and is applied once they open). */
  micOn: () => micOn() && (starting() || hasAudio()),
  cameraOn: () => cameraOn() && (starting() || hasVideo()),
  hasAudio,
  hasVideo,
  problem,
  devices,
  screen,
  starting,
  start,
  setMicOn: (on: boolean) => setEnabled('audio', on),
  setCameraOn: (on: boolean) => setEnabled('video', on),
  switchDevice,
  setVideoQuality,
  startScreen,
  stopScreen,
  stopAll,
  currentDeviceId: (kind: 'audio' | 'video') => track(kind)?.getSettings().deviceId ?? '',
  subscribe(listener: MediaListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
