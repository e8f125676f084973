/**
 * The golden outputs: the real pipeline (sync, report, segment specs) run on the sample and on a
 * generated 3,000-contact workbook at several dates, each output file recorded by its SHA-256. A
 * refactor of the ledger, segments or KPIs must leave every hash as it is.
 *
 * When behaviour changes on purpose, regenerate the baseline with
 *   sh scripts/with-node.sh tsx test/support/golden.ts --write
 * and commit test/fixtures/golden.json with the change that explains it. GOLDEN_FILE=<path> writes
 * (or reads) another file: record before a change, record after, compare the two.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { largeWorkload } from '../../bench/workload.ts';
import { runReport } from '../../cli/commands/report.ts';
import { runSync } from '../../cli/commands/sync.ts';
import { SEGMENTS, evaluateSegment } from '../../reports/segments/index.ts';

export const GOLDEN_FILE = process.env.GOLDEN_FILE ?? join(import.meta.dirname, '../fixtures/golden.json');

/**
 * The workbooks and their dates. The generated one is switched to a July fiscal year and English
 * reasons, so both fiscal-year kinds and both locales are covered; each has dates on both sides
 * of a fiscal-year boundary.
 */
const WORKBOOKS = [
  { name: 'sample', dates: ['2024-03-15', '2025-12-31', '2026-01-01', '2026-11-22'] },
  { name: 'generated-3000', dates: ['2025-02-14', '2025-06-30', '2025-07-01', '2026-11-22'] },
] as const;

/** Segment specs beyond the defaults `sync` writes: parameters and every filter (which cut the gifts another way). */
const SPECS = [
  ...SEGMENTS.map((s) => `${s.id}?min_amount=1000`),
  ...SEGMENTS.map((s) => `${s.id}?max_amount=999&financial_type=一般捐款`),
  ...SEGMENTS.map((s) => `${s.id}?campaign=year-end-2025`),
  'recent_donors?months=1', 'first_time_donors?days=400', 'lapsed_3m?months=12', 'long_term_donors?years=1&min_installments=3',
  'failed_no_retry?retry_days=30&lookback_days=365', 'repeat_single_donors?min_gifts=2', 'recurring_ending?within_days=365',
];

/** Every output that gifts, segments or KPIs decide: the segment files, the dashboard and its tables, the public JSON. */
const OUTPUT_DIRS = ['private/segments', 'private/reports', 'public'];

/** A fixed clock for the public aggregates' generated time. */
const NOW = new Date('2026-11-22T04:00:00Z');

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  let found: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) found = e.isDirectory() ? found.concat(filesUnder(join(dir, e.name))) : found.concat([join(dir, e.name)]);
  return found;
}

/** The generated workbook (cached by bench/workload.ts) copied to `dir`, with its July fiscal year and English locale. */
function generatedWorkbook(source: string, dir: string): string {
  cpSync(source, dir, { recursive: true });
  const settings = join(dir, 'settings.csv');
  const text = readFileSync(settings, 'utf8')
    .replace(/^fiscal_year_start,.*$/m, 'fiscal_year_start,07-01')
    .replace(/^default_locale,.*$/m, 'default_locale,en');
  writeFileSync(settings, text);
  return dir;
}

/** SHA-256 of every output file, keyed "workbook/date/path". */
export async function goldenHashes(): Promise<Record<string, string>> {
  const work = mkdtempSync(join(tmpdir(), 'tidings-golden-'));
  const hashes: Record<string, string> = {};
  try {
    const folders = {
      sample: join(import.meta.dirname, '../../data/sample'),
      'generated-3000': generatedWorkbook(await largeWorkload(3000, 7, () => {}), join(work, 'generated-3000')),
    };
    for (const { name, dates } of WORKBOOKS) {
      for (const asOf of dates) {
        const out = join(work, 'out', name, asOf);
        const options = { source: `csv:${folders[name]}`, asOf, out, writeBack: false, backup: false, assignReceipts: false };
        const synced = await runSync(options, () => {});
        await runReport(options, synced, () => {}, NOW);
        const specs = SPECS.map((spec) => `${spec}\n${evaluateSegment(synced.dataset, asOf, spec).map((m) => `${m.contact_id}\t${m.reason}`).join('\n')}`);
        hashes[`${name}/${asOf}/segment-specs`] = sha256(specs.join('\n\n'));
        for (const dir of OUTPUT_DIRS) {
          for (const file of filesUnder(join(out, dir)).sort()) hashes[`${name}/${asOf}/${relative(out, file)}`] = sha256(readFileSync(file));
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return hashes;
}

if (process.argv.includes('--write')) {
  const hashes = await goldenHashes();
  writeFileSync(GOLDEN_FILE, `${JSON.stringify(hashes, null, 2)}\n`);
  console.log(`golden: ${Object.keys(hashes).length} files → ${GOLDEN_FILE}`);
}
