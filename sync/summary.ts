import type { TabSummary } from './validate.ts';

/** The per-tab table `sync` prints: rows read, kept, errors, warnings. */
export function formatSummary(summary: TabSummary[]): string {
  const head = ['tab', 'read', 'kept', 'errors', 'warnings'];
  const body = summary
    .filter((s) => s.present)
    .map((s) => [s.tab, s.read, s.kept, s.errors, s.warnings].map(String));
  const widths = head.map((h, i) => body.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const absent = summary.filter((s) => !s.present).map((s) => s.tab);
  return [line(head), ...body.map(line), ...(absent.length ? [`(no tab: ${absent.join(', ')}; read as empty)`] : [])].join('\n');
}
