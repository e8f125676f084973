import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePrivateFile } from '../../sync/private-files.ts';
import { privateDir, privateFolder, writeCsv } from '../../sync/output.ts';
import { renderDashboard } from './html.ts';
import { type Dashboard, csvValue } from './table.ts';

/** chart.js's browser bundle, to inline (the dashboard must open from disk with no network). */
async function chartJsBundle(): Promise<string> {
  const dist = dirname(fileURLToPath(import.meta.resolve('chart.js')));
  for (const file of ['chart.umd.min.js', 'chart.umd.js']) {
    try {
      return await readFile(join(dist, file), 'utf8');
    } catch {
      /* try the next name */
    }
  }
  throw new Error(`chart.js's browser bundle (chart.umd.min.js) is not in ${dist}: run npm install`);
}

export const reportsDir = (out: string) => join(privateDir(out), 'reports');

/** Writes <out>/private/reports/index.html and every table as <table>.csv beside it; returns the dashboard's path. */
export async function writeDashboard(out: string, dashboard: Dashboard): Promise<{ html: string; csvs: string[] }> {
  const dir = await privateFolder(out, 'reports');
  const html = join(dir, 'index.html');
  await writePrivateFile(html, renderDashboard(dashboard, await chartJsBundle()));
  const tables = dashboard.sections.flatMap((s) => s.tables);
  const csvs = await Promise.all(
    tables.map(async (t) => {
      const path = join(dir, `${t.id}.csv`);
      const rows = t.rows.map((row) => Object.fromEntries(t.columns.map((c) => [c.label, csvValue(row[c.key], c, row, dashboard)])));
      await writeCsv(path, t.columns.map((c) => c.label), rows);
      return path;
    }),
  );
  return { html, csvs };
}
