import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSync } from '../../cli/commands/sync.ts';
import { initSheet } from '../../cli/commands/init-sheet.ts';
import { compactEmailEvents } from '../../emails/compact.ts';
import { SEND_LOG_COLUMNS } from '../../emails/send/send-log.ts';
import { SHEETS_CELL_LIMIT, budgetLevel, projectCells } from '../../sync/cell-budget.ts';
import { MAILING_STATS_COLUMNS } from '../../sync/mailing-stats.ts';
import { tabColumns } from '../../sync/schema/tabs.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { loadDataset } from '../../sync/load.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

/** Cells of the spreadsheet's grid as the fake holds it: rows x columns of every tab. */
const gridOf = (id: string, titles?: string[]) =>
  sheets.fake.spreadsheets.get(id)!.tabs.filter((t) => !titles || titles.includes(t.title)).reduce((sum, t) => sum + t.rowCount * t.columnCount, 0);

// A 20,000-person list: 20,000 contacts, three years of 60,000 gifts, the other tabs small.
const BASE = 20_000 * tabColumns('contacts').length + 60_000 * tabColumns('donations').length + 50_000;
// email_events as laid out: every column of its schema (the ledger's and the tracking ones).
const EVENT_COLUMNS = tabColumns('email_events').length;
const MONTHLY = 20_000 * EVENT_COLUMNS;
const TEN_YEARS = { baseCells: BASE, sendLogColumns: EVENT_COLUMNS, recipientsPerMonth: 20_000, months: 120, statsColumns: MAILING_STATS_COLUMNS.length, suppressionsPerMonth: 40 };

describe('the cell budget', () => {
  it('a 20,000-person list sending monthly for ten years never passes 70% when compact runs every month', () => {
    const months = projectCells({ ...TEN_YEARS, keepMonths: 13 });
    const peak = months.reduce((max, m) => Math.max(max, m.cells), 0);
    expect(peak).toBeLessThan(0.7 * SHEETS_CELL_LIMIT);
    expect(months.every((m) => budgetLevel(m.cells) === undefined)).toBe(true);
    // The same list without compaction passes the limit, and with the old 26-column tab within two years.
    const never = projectCells(TEN_YEARS);
    expect(never.findIndex((m) => m.cells > SHEETS_CELL_LIMIT) + 1).toBe(Math.floor((SHEETS_CELL_LIMIT - BASE - EVENT_COLUMNS) / MONTHLY) + 1);
    expect(projectCells({ ...TEN_YEARS, sendLogColumns: 26 }).findIndex((m) => m.cells > SHEETS_CELL_LIMIT) + 1).toBeLessThanOrEqual(19);
  });

  it('warns at 70% and 90% in the months the grid passes them, and compacting when warned keeps it under the limit', () => {
    const never = projectCells(TEN_YEARS);
    const first = (level: number) => never.findIndex((m) => budgetLevel(m.cells) === level) + 1;
    // 20,000 rows of email_events a month on top of BASE: the month each share is first reached.
    const monthReaching = (share: number) => Math.ceil((share * SHEETS_CELL_LIMIT - BASE - EVENT_COLUMNS) / MONTHLY);
    expect(first(0.7)).toBe(monthReaching(0.7));
    expect(first(0.9)).toBe(monthReaching(0.9));
    expect(never[first(0.7) - 2].cells).toBeLessThan(0.7 * SHEETS_CELL_LIMIT);

    // Staff run compact only when sync warns: the grid then never reaches 90%.
    const whenWarned = projectCells({ ...TEN_YEARS, keepMonths: 13, compactWhen: (cells) => budgetLevel(cells) !== undefined });
    expect(whenWarned.filter((m) => m.compacted).map((m) => m.month)[0]).toBe(first(0.7));
    expect(whenWarned.reduce((max, m) => Math.max(max, m.cells), 0)).toBeLessThan(0.9 * SHEETS_CELL_LIMIT);
  });

  it('matches the real grid month by month: a small list against the fake Sheets API, compacted every month', async () => {
    const id = await initSheet(sheets.client(), { title: 'Donors' });
    // Every tab laid out with its own columns only: no 26-column default, email_events without blank rows.
    for (const tab of sheets.fake.spreadsheets.get(id)!.tabs) {
      expect(tab.columnCount).toBe(tab.title === 'settings' ? 2 : tabColumns(tab.title as never).length);
    }
    expect(sheets.fake.tab(id, 'email_events').rowCount).toBe(2);
    const source = new GoogleSheetsSource(id, sheets.client());
    const plan = { baseCells: 0, sendLogColumns: EVENT_COLUMNS, recipientsPerMonth: 40, months: 30, keepMonths: 13, statsColumns: MAILING_STATS_COLUMNS.length, suppressionsPerMonth: 1 };
    const projected = projectCells(plan);
    const tracked = ['email_events', '_mailing_stats', '_suppressions'];
    for (let month = 1; month <= plan.months; month++) {
      const day = new Date(Date.UTC(2024, month - 1, 15, 3));
      const mailing = `nl-${month}`;
      await source.appendRows('mailings', tabColumns('mailings'), [{ mailing_id: mailing, name: mailing, subject: 'news', status: 'sent', sent_at: day.toISOString() }]);
      await source.appendRows('email_events', SEND_LOG_COLUMNS, Array.from({ length: plan.recipientsPerMonth }, (_, i) => ({
        message_id: `${mailing}-${i}`, mailing_id: mailing, email: `p${i}-${month}@example.org`, sent_at: day.toISOString(),
        last_event: i === 0 ? 'bounced' : 'delivered', updated_at: day.toISOString(),
      })));
      const asOf = new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10);
      const { dataset } = await loadDataset(source, asOf);
      expect(gridOf(id, tracked)).toBe(projected[month - 1].cells);
      await compactEmailEvents(source, dataset, { asOf, archiveDir: await tempDir('archive') });
      expect(gridOf(id, tracked), `month ${month}`).toBe(projected[month - 1].after);
    }
    expect(sheets.fake.values(id, 'email_events')).toHaveLength(1 + 13 * 40);
  });

  it('sync prints the grid against the limit, and a sheet at 9.5 million cells gets a warning saying what to do', async () => {
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    const { id } = await sheets.sampleSheet();
    const out = await tempDir('out');
    const lines: string[] = [];
    const small = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out, backup: false, writeBack: false }, (l) => lines.push(l));
    const cells = gridOf(id);
    expect(lines).toContain(`cells: ${cells.toLocaleString('en-US')} of 10,000,000 (${((100 * cells) / 1e7).toFixed(1)}%)`);
    expect(small.problems.some((p) => p.tab === '(spreadsheet)')).toBe(false);

    // A grown contacts tab (its grid only: the cells are blank) brings the sheet to 9.5 million.
    const big = sheets.fake.tab(id, 'contacts');
    const rest = cells - big.rowCount * big.columnCount;
    big.columnCount = 25;
    big.rowCount = Math.ceil((9_500_000 - rest) / 25);
    lines.length = 0;
    const synced = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out, backup: false, writeBack: false }, (l) => lines.push(l));
    expect(lines.find((l) => l.startsWith('cells: '))).toMatch(/^cells: 9,50\d,\d{3} of 10,000,000 \(95\.\d%\): past 90%, run `tidings compact`/);
    const warning = synced.problems.find((p) => p.tab === '(spreadsheet)');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/Do it now.*npm run tidings -- compact/);
    expect(await readFile(join(out, 'private', 'problems.csv'), 'utf8')).toContain('(spreadsheet)');

    // Between 70% and 90%: a warning, without "now".
    big.rowCount = Math.ceil((7_500_000 - rest) / 25);
    const mid = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out, backup: false, writeBack: false }, () => {});
    expect(mid.problems.find((p) => p.tab === '(spreadsheet)')?.message).toMatch(/Plan to do it soon/);
  });
});
