/**
 * The grid's pages (decisions in lib/paging.ts): which tiles the current page shows, and the page
 * controls' state. Only these tiles are mounted (so only they have a <video>) and only they go into
 * the relay's `view` (stores/tiles.ts `reportView`), so the relay forwards no video of other pages.
 *
 * The active speaker is the relay's dominant speaker (session.dominant()). A mesh holds at most
 * MESH_MAX (4) people, who fit on one page, so it promotes nobody. When each speaker last held the
 * floor is read from the clock here, the adapter, and passed to the pure paging.
 */
import { createEffect, createMemo, createSignal, on, type Accessor } from 'solid-js';
import { clampPage, paginate, type PagingResult } from '../lib/paging.ts';
import type { TileModel } from './tiles.ts';

export function createPages(tiles: Accessor<TileModel[]>, speaker: Accessor<string | null>, pageSize: number) {
  const [wanted, setWanted] = createSignal(0);
  const [lastSpoke, setLastSpoke] = createSignal<ReadonlyMap<string, number>>(new Map());

  // A speaker's time is when they took the floor, and again when they left it.
  createEffect(
    on(speaker, (now, before) => {
      const at = Date.now();
      setLastSpoke((m) => {
        const next = new Map(m);
        for (const id of [now, before]) if (id) next.set(id, at);
        return next;
      });
    }),
  );

  const result = createMemo<PagingResult<TileModel>>((previous) =>
    paginate({ tiles: tiles(), previousOrder: previous?.order ?? [], page: wanted(), pageSize, speaker: speaker(), lastSpoke: lastSpoke() }),
  );

  // People left and our page is gone: stay on the last page there is, even when they come back.
  createEffect(() => {
    const shown = result().page;
    if (shown !== wanted()) setWanted(shown);
  });

  const go = (page: number) => setWanted(clampPage(page, result().pages));

  return {
    visible: () => result().visible,
    /** 0-based. */
    page: () => result().page,
    pages: () => result().pages,
    next: () => go(result().page + 1),
    previous: () => go(result().page - 1),
  };
}

export type Pages = ReturnType<typeof createPages>;
