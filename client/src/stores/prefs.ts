/** Preferences remembered across visits: display name, chosen devices and camera quality. */
import { createSignal } from 'solid-js';
import { readStorage, writeStorage } from '../lib/storage.ts';
import { videoQualityFrom, type VideoQuality } from '../lib/videoQuality.ts';

const NAME_KEY = 'palabre:name';
const AUDIO_KEY = 'palabre:audio-device';
const VIDEO_KEY = 'palabre:video-device';
const QUALITY_KEY = 'palabre:video-quality';

const [displayName, setDisplayNameSignal] = createSignal(readStorage('local', NAME_KEY) ?? '');
const [audioDeviceId, setAudioSignal] = createSignal(readStorage('local', AUDIO_KEY) ?? '');
const [videoDeviceId, setVideoSignal] = createSignal(readStorage('local', VIDEO_KEY) ?? '');
const [videoQuality, setQualitySignal] = createSignal<VideoQuality>(videoQualityFrom(globalThis.location?.search ?? '', readStorage('local', QUALITY_KEY)));

export const prefs = {
  displayName,
  audioDeviceId,
  videoDeviceId,
  videoQuality,
  setDisplayName(name: string): void {
    setDisplayNameSignal(name);
    writeStorage('local', NAME_KEY, name);
  },
  setAudioDeviceId(id: string): void {
    setAudioSignal(id);
    writeStorage('local', AUDIO_KEY, id || null);
  },
  setVideoDeviceId(id: string): void {
    setVideoSignal(id);
    writeStorage('local', VIDEO_KEY, id || null);
  },
  setVideoQuality(quality: VideoQuality): void {
    setQualitySignal(quality);
    writeStorage('local', QUALITY_KEY, quality);
  },
};
