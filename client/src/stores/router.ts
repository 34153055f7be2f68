/** Routing by pathname without a library: `/` is home, `/<room-id>` a meeting. */
import { createSignal } from 'solid-js';

const [pathname, setPathname] = createSignal(location.pathname);

window.addEventListener('popstate', () => setPathname(location.pathname));

export { pathname };

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  setPathname(location.pathname);
}
