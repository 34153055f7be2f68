/** The ui scenario's tables: figures per action and room size, and the ratios of the largest room to the smallest. */
import type { Row } from '../report.ts';
import type { UiReport } from './run.ts';

const ms = (v: number) => Math.round(v * 100) / 100;

export function uiTable(report: UiReport): Row[] {
  return report.rows.map((r) => ({
    action: r.action,
    participants: r.participants,
    samples: r.samples,
    'script p50': ms(r.scriptP50),
    'script p95': ms(r.scriptP95),
    'work p50': ms(r.workP50),
    'work p95': ms(r.workP95),
    'work max': ms(r.workMax),
    'paint p50': ms(r.paintP50),
    'paint p95': ms(r.paintP95),
    'paint max': ms(r.paintMax),
    'long tasks': r.longTasks,
    'longest task': ms(r.longTaskMaxMs),
    'long frames': r.longFrames,
  }));
}

export function uiRatios(report: UiReport): Row[] {
  const small = Math.min(...report.sizes);
  const large = Math.max(...report.sizes);
  if (small === large) return [];
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '–');
  const out: Row[] = [];
  for (const l of report.rows.filter((r) => r.participants === large)) {
    const s = report.rows.find((r) => r.action === l.action && r.participants === small);
    if (!s) continue;
    out.push({
      action: l.action,
      'work p50': ratio(l.workP50, s.workP50),
      'work p95': ratio(l.workP95, s.workP95),
      'paint p50': ratio(l.paintP50, s.paintP50),
      'paint p95': ratio(l.paintP95, s.paintP95),
      [`long tasks ${large}/${small}`]: `${l.longTasks}/${s.longTasks}`,
    });
  }
  return out;
}
