/** The bench's outputs: a plain-text table, a JSON file and an SVG bar chart, under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, string | number | boolean>;

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
