import { Show, createSignal, onMount } from 'solid-js';
import { getRoom } from '../api/rooms.ts';
import type { CachedJoin } from '../lib/joinCache.ts';
import type { MessageKey } from '../i18n/en.ts';
import { t } from '../stores/i18n.ts';
import { media } from '../stores/media.ts';
import { mediaProblemText } from './mediaProblem.ts';
import { prefs } from '../stores/prefs.ts';
import { obtainJoin } from '../stores/joining.ts';
import { unlockAudio } from '../stores/audioLevel.ts';
import { DevicePicker } from './DevicePicker.tsx';
import { MediaToggles } from './MediaToggles.tsx';
import { Video } from './Video.tsx';
import { LangSwitch } from './LangSwitch.tsx';

type Problem = { key: MessageKey; params?: Record<string, string> };

export function PreJoin(props: { roomId: string; notice: MessageKey | null; onJoined(join: CachedJoin): void }) {
  const [name, setName] = createSignal(prefs.displayName());
  const [nameError, setNameError] = createSignal<MessageKey | null>(null);
  const [joinError, setJoinError] = createSignal<Problem | null>(props.notice ? { key: props.notice } : null);
  const [roomMissing, setRoomMissing] = createSignal(false);
  const [others, setOthers] = createSignal<number | null>(null);
  const [joining, setJoining] = createSignal(false);

  onMount(() => {
    void media.start();
    void getRoom(props.roomId).then((result) => {
      if (result.ok) setOthers(result.value.participants);
      else if (result.kind === 'not-found') setRoomMissing(true);
    });
  });

  const join = async (event: SubmitEvent) => {
    event.preventDefault();
    unlockAudio();
    const trimmed = name().trim();
    if (trimmed === '') return setNameError('nameRequired');
    if (trimmed.length > 64) return setNameError('nameTooLong');
    setNameError(null);
    setJoinError(null);
    prefs.setDisplayName(trimmed);
    setJoining(true);
    const result = await obtainJoin(props.roomId, trimmed);
    setJoining(false);
    if (result.ok) return props.onJoined(result.value);
    if (result.kind === 'not-found') setRoomMissing(true);
    else if (result.kind === 'network') setJoinError({ key: 'networkError' });
    else setJoinError({ key: 'joinRejected', params: { message: result.message } });
  };

  return (
    <main class="page prejoin">
      <header class="topbar">
        <a class="brand" href="/">{t('appName')}</a>
        <LangSwitch />
      </header>
      <div class="prejoin-body">
        <section class="preview" aria-label={t('camera')}>
          <Show when={media.hasVideo() && media.cameraOn()} fallback={<div class="preview-off">{t('previewOff')}</div>}>
            <Video stream={media.stream()} muted mirrored label={t('you')} />
          </Show>
          <MediaToggles prefix="prejoin" />
        </section>
        <form class="prejoin-form" onSubmit={(e) => void join(e)} novalidate>
          <h1>{t('prejoinTitle')}</h1>
          <p class="muted">{t('meetingCode', { code: props.roomId })}</p>
          <Show when={others() !== null}>
            <p class="muted">{others() ? t('participantsInRoom', { n: others() ?? 0 }) : t('nobodyInRoom')}</p>
          </Show>
          <label class="field">
            <span>{t('yourName')}</span>
            <input
              data-testid="name-input"
              type="text"
              maxLength={64}
              autocomplete="name"
              placeholder={t('namePlaceholder')}
              value={name()}
              aria-invalid={nameError() !== null}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setNameError(null);
              }}
            />
          </label>
          <Show when={nameError()}>{(key) => <p class="notice error" role="alert">{t(key())}</p>}</Show>
          <DevicePicker />
          <Show when={media.problem()}>{(p) => <p class="notice warn" role="alert">{mediaProblemText(p())}</p>}</Show>
          <Show when={roomMissing()}>
            <p class="notice error" role="alert" data-testid="room-not-found">{t('roomNotFound')}</p>
          </Show>
          <Show when={joinError()}>{(p) => <p class="notice error" role="alert">{t(p().key, p().params)}</p>}</Show>
          <button type="submit" class="btn primary big" data-testid="join-button" disabled={joining()}>
            {joining() ? t('joining') : t('joinNow')}
          </button>
        </form>
      </div>
    </main>
  );
}
