/** The UI language: chosen from navigator.languages, switchable, persisted. `t()` is reactive. */
import { createSignal } from 'solid-js';
import { en, type MessageKey, type Messages } from '../i18n/en.ts';
import { fr } from '../i18n/fr.ts';
import { format, pickLang, type Lang } from '../i18n/format.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

const LANG_KEY = 'palabre:lang';
const CATALOGS: Record<Lang, Messages> = { en, fr };

const [lang, setLangSignal] = createSignal<Lang>(
  pickLang(readStorage('local', LANG_KEY), typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])),
);

if (typeof document !== 'undefined') document.documentElement.lang = lang();

export { lang };

export function setLang(next: Lang): void {
  setLangSignal(next);
  writeStorage('local', LANG_KEY, next);
  document.documentElement.lang = next;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(CATALOGS[lang()][key], params);
}

/** Locale time of day for chat timestamps. */
export function formatTime(ts: number): string {
  return new Date(ts).toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit' });
}
