/** The bench's outputs: a plain-text table, a JSON file and an SVG bar chart, under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, string | number | boolean>;

/** The middle value (the upper one of an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
}

export function table(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 0)) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}

/** A horizontal bar chart of one numeric column, one bar per row. */
export function barChart(title: string, bars: Array<{ label: string; value: number }>, unit: string): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 26;
  const left = 330;
  const width = 900;
  const height = 50 + bars.length * rowH;
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
  const rows = bars.map((b, i) => {
    const y = 40 + i * rowH;
    const w = ((width - left - 110) * b.value) / max;
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="#4f7cff"/><text x="${(left + w + 6).toFixed(1)}" y="${y + 16}">${Math.round(b.value).toLocaleString('en')} ${esc(unit)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13"><rect width="100%" height="100%" fill="#fff"/><text x="12" y="24" font-size="16" font-weight="bold">${esc(title)}</text>${rows.join('')}</svg>\n`;
}

export function writeResults(dir: string, name: string, data: unknown, svg: string): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = join(dir, `${name}-${stamp}.json`);
  const chart = join(dir, `${name}-${stamp}.svg`);
  writeFileSync(json, JSON.stringify(data, null, 2) + '\n');
  writeFileSync(chart, svg);
  return { json, svg: chart };
}

export type Series = { label: string; points: Array<[number, number]> };
export type Panel = { title: string; unit: string; series: Series[] };

/** Side-by-side panels of points joined by lines, each with its own y scale from 0 (e.g. loss and relay CPU against participants). */
export function xyChart(title: string, xLabel: string, panels: Panel[]): string {
  const pw = 420;
  const ph = 260;
  const pad = { l: 56, r: 16, t: 56, b: 44 };
  const colors = ['#4f7cff', '#e8684a', '#2ca02c', '#9467bd', '#8c564b'];
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
  const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : Number(v.toPrecision(2)).toString());
  const xs = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)));
  const xMax = Math.max(1, ...xs);
  const body = panels.map((panel, i) => {
    const ox = i * (pw + pad.l + pad.r) + pad.l;
    const yMax = Math.max(1e-9, ...panel.series.flatMap((s) => s.points.map(([, y]) => y))) * 1.1;
    const X = (x: number) => ox + (pw * x) / xMax;
    const Y = (y: number) => pad.t + ph - (ph * y) / yMax;
    const axes = `<text x="${ox}" y="${pad.t - 12}" font-weight="bold">${esc(panel.title)} (${esc(panel.unit)})</text><line x1="${ox}" y1="${pad.t + ph}" x2="${ox + pw}" y2="${pad.t + ph}" stroke="#888"/><line x1="${ox}" y1="${pad.t}" x2="${ox}" y2="${pad.t + ph}" stroke="#888"/>`
      + `<text x="${ox - 6}" y="${pad.t + 4}" text-anchor="end">${fmt(yMax)}</text><text x="${ox - 6}" y="${pad.t + ph}" text-anchor="end">0</text>`
      + `<text x="${ox + pw}" y="${pad.t + ph + 18}" text-anchor="end">${fmt(xMax)}</text><text x="${ox + pw / 2}" y="${pad.t + ph + 36}" text-anchor="middle">${esc(xLabel)}</text>`;
    const lines = panel.series.map((s, j) => {
      const color = colors[j % colors.length]!;
      const pts = [...s.points].sort((a, b) => a[0] - b[0]);
      const path = pts.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
      const dots = pts.map(([x, y]) => `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="4" fill="${color}"/><text x="${(X(x) + 6).toFixed(1)}" y="${(Y(y) - 6).toFixed(1)}" font-size="11">${fmt(y)}</text>`).join('');
      return `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots}<text x="${ox + 8}" y="${pad.t + 16 + 16 * j}" fill="${color}">${esc(s.label)}</text>`;
    });
    return axes + lines.join('');
  });
  const width = panels.length * (pw + pad.l + pad.r);
  const height = pad.t + ph + pad.b + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" font-family="sans-serif" font-size="13"><rect width="100%" height="100%" fill="#fff"/><text x="12" y="22" font-size="16" font-weight="bold">${esc(title)}</text><g transform="translate(0,16)">${body.join('')}</g></svg>\n`;
}
