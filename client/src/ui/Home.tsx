import { Show, createSignal } from 'solid-js';
import { createRoom } from '../api/rooms.ts';
import { hostTokenKey } from '../lib/joinCache.ts';
import { parseRoomInput } from '../lib/roomCode.ts';
import { writeStorage } from '../lib/storage.ts';
import { t } from '../stores/i18n.ts';
import { navigate } from '../stores/router.ts';
import { LangSwitch } from './LangSwitch.tsx';
import { Icon } from './Icon.tsx';

export function Home() {
  const [code, setCode] = createSignal('');
  const [codeError, setCodeError] = createSignal(false);
  const [creating, setCreating] = createSignal(false);
  const [createError, setCreateError] = createSignal(false);

  const newMeeting = async () => {
    setCreating(true);
    setCreateError(false);
    const result = await createRoom();
    setCreating(false);
    if (!result.ok) {
      setCreateError(true);
      return;
    }
    writeStorage('local', hostTokenKey(result.value.roomId), result.value.hostToken);
    navigate(`/${result.value.roomId}`);
  };

  const join = (event: SubmitEvent) => {
    event.preventDefault();
    const roomId = parseRoomInput(code());
    setCodeError(roomId === null);
    if (roomId) navigate(`/${roomId}`);
  };

  return (
    <main class="page home">
      <header class="topbar">
        <span class="brand">{t('appName')}</span>
        <LangSwitch />
      </header>
      <section class="home-hero">
        <h1>{t('appName')}</h1>
        <p class="tagline">{t('tagline')}</p>
        <div class="home-actions">
          <button type="button" class="btn primary big" data-testid="new-meeting" disabled={creating()} onClick={() => void newMeeting()}>
            <Icon name="plus" />
            {creating() ? t('creatingMeeting') : t('newMeeting')}
          </button>
          <form class="join-form" onSubmit={join} novalidate>
            <label class="visually-hidden" for="join-code">{t('joinCodeLabel')}</label>
            <input
              id="join-code"
              data-testid="join-code"
              type="text"
              autocomplete="off"
              spellcheck={false}
              placeholder={t('joinCodePlaceholder')}
              aria-invalid={codeError()}
              aria-describedby={codeError() ? 'join-code-error' : undefined}
              value={code()}
              onInput={(e) => {
                setCode(e.currentTarget.value);
                setCodeError(false);
              }}
            />
            <button type="submit" class="btn" data-testid="join-code-submit">
              {t('joinCodeSubmit')}
            </button>
          </form>
        </div>
        <Show when={codeError()}>
          <p id="join-code-error" class="notice error" role="alert">{t('joinCodeInvalid')}</p>
        </Show>
        <Show when={createError()}>
          <p class="notice error" role="alert">{t('createFailed')}</p>
        </Show>
      </section>
    </main>
  );
}
