import { For, Show, createMemo, createSignal } from 'solid-js';
import { media } from '../stores/media.ts';
import { t } from '../stores/i18n.ts';
import { prefs } from '../stores/prefs.ts';
import { VIDEO_QUALITIES, parseVideoQuality, type VideoQuality } from '../lib/videoQuality.ts';

/** Camera, microphone and camera-quality selects (devices as enumerateDevices reports them). */
export function DevicePicker() {
  const [error, setError] = createSignal<string | null>(null);
  const inputs = (kind: MediaDeviceKind) => createMemo(() => media.devices().filter((d) => d.kind === kind && d.deviceId !== ''));
  const cameras = inputs('videoinput');
  const microphones = inputs('audioinput');

  const choose = async (kind: 'audio' | 'video', deviceId: string) => {
    setError(null);
    const problem = await media.switchDevice(kind, deviceId);
    if (problem) setError(t('deviceSwitchFailed', { message: problem.kind === 'other' ? problem.message : problem.kind }));
  };

  const select = (kind: 'audio' | 'video', list: () => MediaDeviceInfo[], label: () => string, none: () => string) => (
    <label class="device">
      <span>{label()}</span>
      <select
        aria-label={label()}
        disabled={list().length === 0}
        value={media.stream() ? media.currentDeviceId(kind) : ''}
        onChange={(e) => void choose(kind, e.currentTarget.value)}
      >
        <Show when={list().length > 0} fallback={<option value="">{none()}</option>}>
          <For each={list()}>{(d, i) => <option value={d.deviceId}>{d.label || `${label()} ${i() + 1}`}</option>}</For>
        </Show>
      </select>
    </label>
  );

  const qualityLabel = (q: VideoQuality) => t(q === 'high' ? 'videoQualityHigh' : q === 'standard' ? 'videoQualityStandard' : 'videoQualityLow');
  const chooseQuality = async (raw: string) => {
    const quality = parseVideoQuality(raw);
    if (!quality) return;
    setError(null);
    const problem = await media.setVideoQuality(quality);
    if (problem) setError(t('videoQualityFailed', { message: problem.kind === 'other' ? problem.message : problem.kind }));
  };

  return (
    <div class="devices">
      {select('video', cameras, () => t('camera'), () => t('noCamera'))}
      {select('audio', microphones, () => t('microphone'), () => t('noMicrophone'))}
      <label class="device">
        <span>{t('videoQuality')}</span>
        <select aria-label={t('videoQuality')} data-testid="video-quality" value={prefs.videoQuality()} onChange={(e) => void chooseQuality(e.currentTarget.value)}>
          <For each={VIDEO_QUALITIES}>{(q) => <option value={q}>{qualityLabel(q)}</option>}</For>
        </select>
      </label>
      <Show when={error()}>{(message) => <p class="notice error" role="alert">{message()}</p>}</Show>
    </div>
  );
}
