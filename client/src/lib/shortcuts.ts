/** Keyboard shortcuts of the room, as data: the key handler and the button titles read the same table. */
export type ShortcutAction = 'mic' | 'camera' | 'chat' | 'hand' | 'participants' | 'screen';

type Combo = { key: string; ctrl: boolean; alt: boolean; shift: boolean };

export const SHORTCUTS: Record<ShortcutAction, Combo> = {
  mic: { key: 'd', ctrl: true, alt: false, shift: false },
  camera: { key: 'e', ctrl: true, alt: false, shift: false },
  chat: { key: 'c', ctrl: true, alt: true, shift: false },
  hand: { key: 'h', ctrl: true, alt: true, shift: false },
  participants: { key: 'p', ctrl: true, alt: true, shift: false },
  screen: { key: 's', ctrl: true, alt: true, shift: false },
};

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
  parts.push(combo.key.toUpperCase());
  return parts.join('+');
}
