import { For, createEffect, onCleanup } from 'solid-js';
import type { TileModel } from '../stores/tiles.ts';
import { playStream } from './playStream.ts';

/**
 * The voices of people whose tile is on another page. In a mesh a remote's voice plays from its
 * tile's <video> (the link's one stream carries both); a tile off the page has no <video>, so its
 * stream plays here, audio only, for as long as it stays off the page. On the relay, voices come
 * from the audio slots (RelayAudio) and an off-page tile has no stream, so this plays nothing.
 */
export function OffPageAudio(props: { tiles: TileModel[]; shown: TileModel[] }) {
  const hidden = () => {
    const shown = new Set(props.shown);
    return props.tiles.filter((t) => !t.self && t.kind === 'camera' && !shown.has(t));
  };
  return (
    <div hidden>
      <For each={hidden()}>
        {(tile) => {
          let element!: HTMLAudioElement;
          createEffect(() => playStream(element, tile.stream()));
          onCleanup(() => {
            element.srcObject = null;
          });
          return <audio ref={element} autoplay data-testid="off-page-audio" data-session-id={tile.sessionId} />;
        }}
      </For>
    </div>
  );
}
