import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tidings } from '../support/cli.ts';
import { FORMULAS } from '../fixtures/hostile/cells.ts';

const AS_OF = '2026-11-22';
const SECRET = 'hostile-secret';

type Rows = Record<string, string>[];
const readTab = async (dir: string, tab: string) => parse(await readFile(join(dir, `${tab}.csv`)), { bom: true, columns: true }) as Rows;
const writeTab = (dir: string, tab: string, rows: Rows, columns: string[]) => writeFile(join(dir, `${tab}.csv`), stringify(rows, { header: true, columns, bom: true }));
const cellsOf = async (path: string) => (parse(await readFile(path), { bom: true, relax_column_count: true }) as string[][]).flat();

// A cell Excel or Google Sheets would run; a plain signed number (+886912345678, -3.5) is let be.
const live = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]\d+(?:\.\d+)?$/.test(cell);

let src: string;
let out: string;
const cli = async (...args: string[]) => {
  const result = await tidings(...args, '--source', `csv:${src}`, '--out', out, '--as-of', AS_OF);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

beforeAll(async () => {
  src = await mkdtemp(join(tmpdir(), 'tidings-hostile-src-'));
  out = await mkdtemp(join(tmpdir(), 'tidings-hostile-out-'));
  await cp('data/sample', src, { recursive: true });
  // Every donor's name starts a formula; one email is a formula (a problem); every UTM source is one.
  const contacts = await readTab(src, 'contacts');
  for (const c of contacts) if (c.first_name || c.last_name) Object.assign(c, { first_name: FORMULAS.hyperlink, last_name: FORMULAS.dde });
  contacts[1].email = FORMULAS.plus;
  await writeTab(src, 'contacts', contacts, Object.keys(contacts[0]));
  const donations = await readTab(src, 'donations');
  for (const d of donations) if (d.utm_source) d.utm_source = FORMULAS.at;
  await writeTab(src, 'donations', donations, Object.keys(donations[0]));
  // A public form's token: anyone on the internet can post one.
  await writeTab(src, 'unsubscribes', [{ timestamp: '2026-11-01 10:00:00', token: FORMULAS.dde, email: '', reason: '' }], ['timestamp', 'token', 'email', 'reason']);

  // Every command that reads the sheet checks the tokens (and rewrites problems.csv).
  process.env.TIDINGS_UNSUBSCRIBE_SECRET = SECRET;
  await cli('sync', '--assign-receipts', '--no-backup');
  await cli('report', '--no-backup');
  for (const channel of ['email', 'sms', 'post', 'ads']) await cli('export', 'recent_donors', '--channel', channel);
  await cli('receipts', '--year', '2025', '--no-backup');
}, 600_000);

afterAll(async () => {
  delete process.env.TIDINGS_UNSUBSCRIBE_SECRET;
  await Promise.all([src, out].map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('formula injection: every CSV staff open in a spreadsheet', () => {
  it('has no cell a spreadsheet would run, in any CSV written under private/', async () => {
    const files = (await readdir(join(out, 'private'), { recursive: true })).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const liveCells = (await cellsOf(join(out, 'private', file))).filter(live);
      expect(liveCells, file).toEqual([]);
    }
  });

  it.each([
    ['problems.csv', `'${FORMULAS.plus}`],
    ['problems.csv', `'${FORMULAS.dde}`],
    ['segments/recent_donors.csv', `'${FORMULAS.hyperlink}`],
    ['segments/rfm.csv', `'${FORMULAS.hyperlink}`],
    ['reports/attribution_utm_source.csv', `'${FORMULAS.at}`],
    ['exports/recent_donors-email.csv', `'${FORMULAS.hyperlink}`],
    ['exports/recent_donors-sms.csv', `'${FORMULAS.hyperlink}`],
    ['exports/recent_donors-post.csv', `'${FORMULAS.hyperlink}`],
    ['receipts/print/print-list.csv', `'${FORMULAS.hyperlink}`],
    ['receipts/2025-summary.csv', `'${FORMULAS.hyperlink}`],
    ['receipts/2025-gifts.csv', `'${FORMULAS.hyperlink}`],
  ])('%s holds the hostile value as text: %s', async (file, neutralised) => {
    const cells = await cellsOf(join(out, 'private', file));
    expect(cells.some((c) => c.startsWith(neutralised))).toBe(true);
  });

  it('keeps an SMS export phone in E.164 (+886…) as it is: a plain number runs nothing', async () => {
    const cells = await cellsOf(join(out, 'private', 'exports/recent_donors-sms.csv'));
    expect(cells.filter((c) => /^\+886\d{9}$/.test(c)).length).toBeGreaterThan(0);
  });
});
