/**
 * The `view` message of the relay link: the tiles we show, in priority order, which the relay turns
 * into slots and layers. Sent debounced (250 ms: a scroll or resize sends one), only when it changed
 * since the last one sent, and only once `ready()` (a connection whose offer went out). `forget()`
 * makes the next flush send it whatever was sent before: a new relay peer, or a new signalling socket
 * (the last one may have gone down with the old socket), knows no view.
 */
import type { RelayClientMessage } from '../../../relay/sfu/transport/protocol.ts';
import { sameView, type ViewTile } from '../lib/relaySlots.ts';

const VIEW_DEBOUNCE_MS = 250;

export function createRelayView(options: { send(message: RelayClientMessage): boolean; ready(): boolean }) {
  let view: ViewTile[] = [];
  let sent: ViewTile[] | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    if (!options.ready() || (sent && sameView(sent, view))) return;
    if (options.send({ type: 'view', videos: view })) sent = view;
  };

  return {
    flush,
    set(videos: ViewTile[]) {
      view = videos;
      clearTimeout(timer);
      timer = setTimeout(flush, VIEW_DEBOUNCE_MS);
    },
    forget() {
      sent = null;
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
