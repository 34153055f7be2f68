import { For, createMemo, createSignal, onCleanup, onMount } from 'solid-js';
import type { RaisedHand } from '../../../crdt/index.ts';
import { bestGrid } from '../lib/gridLayout.ts';
import type { Bubble } from '../stores/roomDoc.ts';
import type { TileModel } from '../stores/tiles.ts';
import { Tile } from './Tile.tsx';

/**
 * The video area. Normally a grid sized so tiles are as large as possible; while someone shares a
 * screen, that tile is promoted to the large view and the others form a strip. One <For> for both
 * layouts (CSS decides placement), so no <video> is torn down when the layout changes.
 */
export function Stage(props: { tiles: TileModel[]; bubbles: Bubble[]; hands: RaisedHand[] }) {
  let element!: HTMLDivElement;
  const [size, setSize] = createSignal({ width: 0, height: 0 });
  onMount(() => {
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    onCleanup(() => observer.disconnect());
  });

  const featured = createMemo(() => props.tiles.find((t) => t.kind === 'screen' && !t.self) ?? props.tiles.find((t) => t.kind === 'screen') ?? null);
  const layout = createMemo(() => bestGrid(props.tiles.length, size().width, size().height));
  const style = () => {
    const l = layout();
    if (featured()) return { '--strip-count': String(Math.max(1, props.tiles.length - 1)) };
    return { '--cols': String(l.columns), '--tile-w': `${Math.floor(l.tileWidth)}px`, '--tile-h': `${Math.floor(l.tileHeight)}px` };
  };

  return (
    <div ref={element} class="stage" classList={{ presenting: featured() !== null, grid: featured() === null }} style={style()}>
      <For each={props.tiles}>
        {(tile) => (
          <Tile
            tile={tile}
            featured={featured() === tile}
            bubbles={props.bubbles.filter((b) => tile.kind === 'camera' && b.participantId === tile.participantId())}
            handRaised={tile.kind === 'camera' && props.hands.some((h) => h.participantId === tile.participantId())}
          />
        )}
      </For>
    </div>
  );
}
