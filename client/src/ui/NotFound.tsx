import { t } from '../stores/i18n.ts';
import { navigate } from '../stores/router.ts';
import { LangSwitch } from './LangSwitch.tsx';

export function NotFound() {
  return (
    <main class="page centered">
      <header class="topbar">
        <span class="brand">{t('appName')}</span>
        <LangSwitch />
      </header>
      <p class="notice error" role="alert">{t('roomNotFound')}</p>
      <button type="button" class="btn" onClick={() => navigate('/')}>{t('backHome')}</button>
    </main>
  );
}
