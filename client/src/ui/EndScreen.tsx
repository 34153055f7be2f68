import { Show } from 'solid-js';
import { parseRoomFull } from '../lib/roomFull.ts';
import { t } from '../stores/i18n.ts';
import { navigate } from '../stores/router.ts';
import { LangSwitch } from './LangSwitch.tsx';

export type EndReason = 'left' | 'replaced' | 'room-full' | 'room-gone';

export function EndScreen(props: { reason: EndReason; meshMax: number; detail?: string; onRejoin(): void }) {
  const full = () => {
    const f = parseRoomFull(props.detail, props.meshMax);
    if (f.limit === null) return t('roomFullUnknown');
    return f.peerToPeer ? t('roomFull', { n: f.limit }) : t('roomFullRelay', { n: f.limit });
  };
  const title = () => {
    switch (props.reason) {
      case 'left':
        return t('leftTitle');
      case 'replaced':
        return t('replacedTitle');
      case 'room-full':
        return t('roomFullTitle');
      case 'room-gone':
        return t('roomGone');
    }
  };
  return (
    <main class="page centered end-screen" data-testid={props.reason === 'room-full' ? 'room-full' : `ended-${props.reason}`}>
      <header class="topbar">
        <a class="brand" href="/">{t('appName')}</a>
        <LangSwitch />
      </header>
      <h1>{title()}</h1>
      <Show when={props.reason === 'room-full'}>
        <p role="alert">{full()}</p>
      </Show>
      <Show when={props.reason === 'replaced'}>
        <p role="alert">{t('replaced')}</p>
      </Show>
      <div class="end-actions">
        <Show when={props.reason !== 'room-gone'}>
          <button type="button" class="btn primary" onClick={() => props.onRejoin()}>{t('rejoin')}</button>
        </Show>
        <button type="button" class="btn" onClick={() => navigate('/')}>{t('backHome')}</button>
      </div>
    </main>
  );
}
