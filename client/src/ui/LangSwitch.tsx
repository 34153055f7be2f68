import { lang, setLang, t } from '../stores/i18n.ts';

/** One button that flips between French and English; its label is in the other language. */
export function LangSwitch() {
  return (
    <button
      type="button"
      class="btn ghost lang-switch"
      data-testid="lang-switch"
      lang={lang() === 'en' ? 'fr' : 'en'}
      aria-label={t('switchLanguage')}
      title={t('switchLanguage')}
      onClick={() => setLang(lang() === 'en' ? 'fr' : 'en')}
    >
      {lang() === 'en' ? 'FR' : 'EN'}
    </button>
  );
}
