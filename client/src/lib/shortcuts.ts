/**
 * Keyboard shortcuts of the room, as data: the key handler and the button titles read the same table.
 * Page Up / Page Down turn the grid's pages (as in other meeting apps' gallery views); having no
 * modifier, they are for the room only when the focus is not in a field or a panel, where they
 * keep scrolling (`PAGE_KEYS` + the room's key handler).
 */
export type ShortcutAction = 'mic' | 'camera' | 'chat' | 'hand' | 'participants' | 'screen' | 'previousPage' | 'nextPage';

type Combo = { key: string; ctrl: boolean; alt: boolean; shift: boolean };

export const SHORTCUTS: Record<ShortcutAction, Combo> = {
  mic: { key: 'd', ctrl: true, alt: false, shift: false },
  camera: { key: 'e', ctrl: true, alt: false, shift: false },
  chat: { key: 'c', ctrl: true, alt: true, shift: false },
  hand: { key: 'h', ctrl: true, alt: true, shift: false },
  participants: { key: 'p', ctrl: true, alt: true, shift: false },
  screen: { key: 's', ctrl: true, alt: true, shift: false },
  previousPage: { key: 'pageup', ctrl: false, alt: false, shift: false },
  nextPage: { key: 'pagedown', ctrl: false, alt: false, shift: false },
};

/** Actions on keys that also scroll: not taken from a focused field or panel. */
export const PAGE_KEYS: ReadonlySet<ShortcutAction> = new Set(['previousPage', 'nextPage']);

const KEY_NAMES: Record<string, string> = { pageup: 'Page Up', pagedown: 'Page Down' };

export type KeyLike = { key: string; code?: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean };

/** Ctrl on Windows/Linux, Cmd on macOS. Matches on `code` too so Alt-modified letters still work. */
export function matchShortcut(event: KeyLike): ShortcutAction | null {
  const primary = event.ctrlKey || event.metaKey;
  const letter = event.code && /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
  for (const [action, combo] of Object.entries(SHORTCUTS) as [ShortcutAction, Combo][]) {
    if (combo.key === letter && combo.ctrl === primary && combo.alt === event.altKey && combo.shift === event.shiftKey) return action;
  }
  return null;
}

export function shortcutLabel(action: ShortcutAction, mac = false): string {
  const combo = SHORTCUTS[action];
  const parts: string[] = [];
  if (combo.ctrl) parts.push(mac ? '⌘' : 'Ctrl');
  if (combo.alt) parts.push(mac ? '⌥' : 'Alt');
  if (combo.shift) parts.push('Shift');
  parts.push(KEY_NAMES[combo.key] ?? combo.key.toUpperCase());
  return parts.join('+');
}
