/**
 * Grid geometry: how many columns make `count` tiles of a fixed aspect ratio as large as possible in
 * a `width` × `height` box (the Meet/Jitsi approach: try every column count, keep the biggest tile).
 */
export type GridLayout = { columns: number; rows: number; tileWidth: number; tileHeight: number };

export function bestGrid(count: number, width: number, height: number, aspect = 16 / 9, gap = 8): GridLayout {
  if (count <= 0 || width <= 0 || height <= 0) return { columns: 1, rows: 1, tileWidth: Math.max(0, width), tileHeight: Math.max(0, height) };
  let best: GridLayout = { columns: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const tileHeight = tileWidth / aspect;
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth, tileHeight };
  }
  return best;
}
