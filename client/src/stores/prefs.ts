/** Preferences remembered across visits: display name and chosen devices. */
import { createSignal } from 'solid-js';
import { readStorage, writeStorage } from '../lib/storage.ts';

const NAME_KEY = 'palabre:name';
const AUDIO_KEY = 'palabre:audio-device';
const VIDEO_KEY = 'palabre:video-device';

const [displayName, setDisplayNameSignal] = createSignal(readStorage('local', NAME_KEY) ?? '');
const [audioDeviceId, setAudioSignal] = createSignal(readStorage('local', AUDIO_KEY) ?? '');
const [videoDeviceId, setVideoSignal] = createSignal(readStorage('local', VIDEO_KEY) ?? '');

export const prefs = {
  displayName,
  audioDeviceId,
  videoDeviceId,
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
};
