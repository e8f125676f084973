import { dateInZone, readDate } from './cells/dates.ts';
import type { GoalMetrics } from './schema/goal-metrics.ts';
import type { Dataset } from './dataset.ts';
import type { RawCell } from './cells/result.ts';
import { MAILING_STATS_TAB, readMailingStats } from './mailing-stats.ts';
import { UsageError } from './errors.ts';
import { type Problem, columnLetter, rawText } from './problems.ts';
import { REGISTER_TAB } from './receipts/register.ts';
import { type PartVisitor, type RawWorkbook, type Source, type TabPart, addPart, normalizeName, readParts } from './sources/source.ts';
import { ReadAhead, type ReadAheadOptions } from './read-ahead.ts';
import { CsvFolderSource } from './sources/csv.ts';
import { type Validated, WorkbookValidation } from './validate.ts';

export interface Synced extends Validated {
  source: Source;
  asOf: string;
  /** The tabs later steps read as read (KEPT_TOOL_TABS: the receipts register, mailing stats, signups). */
  toolTabs: RawWorkbook;
  /** Every tab's header row as read, by tab key: where a problem found after validation is (locate). */
  headers: Map<string, RawCell[]>;
}

/**
 * The tabs a step after reading needs as read: the tool's own (the others, _problems and _segments,
 * sync rewrites) and signups, whose rows are found by their answers' cells as the source holds them.
 */
const KEPT_TOOL_TABS: readonly string[] = [REGISTER_TAB, MAILING_STATS_TAB, 'signups'];

/**
 * Reads every tab from the source and validates it into one dataset (goals may name
 * `goalMetrics`; default the KPIs). A source that reads in parts is validated part by part, so
 * the raw cells of a large tab are never all held at once; `onPart` sees every part as read
 * (a backup is written from them).
 */
export async function loadDataset(
  source: Source, asOf?: string, goalMetrics?: GoalMetrics, onPart?: PartVisitor, readAhead?: Partial<ReadAheadOptions>,
): Promise<Synced> {
  const validation = new WorkbookValidation(source, goalMetrics);
  const toolTabs: RawWorkbook = new Map();
  const headers = new Map<string, RawCell[]>();
  const visit = (part: TabPart) => {
    onPart?.(part);
    headers.set(part.key, part.header);
    // Validation takes the data tabs and the suppression list, and lets the other tool tabs go.
    validation.add(part);
    if (KEPT_TOOL_TABS.includes(part.key)) addPart(toolTabs, part);
  };
  if (source instanceof CsvFolderSource) await readCsvFolder(source, validation, visit, { csv: !!onPart, ...readAhead });
  else await readParts(source, WorkbookValidation.ORDER, visit);
  const validated = validation.finish();
  if (toolTabs.has(MAILING_STATS_TAB)) {
    const stats = readMailingStats(toolTabs);
    validated.dataset = { ...validated.dataset, mailing_stats: stats.rows };
    for (const problem of stats.problems) validated.problems.push(problem);
  }
  for (const p of source.readProblems?.() ?? []) validated.problems.push(p);
  return { ...validated, source, toolTabs, headers, asOf: resolveAsOf(asOf, validated.dataset) };
}

/**
 * A CSV folder's tabs, on two threads (sync/read-ahead.ts) when its data tabs hold READ_AHEAD_BYTES
 * or more (environment TIDINGS_READ_AHEAD_BYTES: 0 always, a huge number never).
 */
async function readCsvFolder(source: CsvFolderSource, validation: WorkbookValidation, visit: PartVisitor, readAhead: Partial<ReadAheadOptions>): Promise<void> {
  const order = WorkbookValidation.ORDER;
  const options: ReadAheadOptions = { minBytes: readAheadBytes(), keepRaw: KEPT_TOOL_TABS, csv: false, ...readAhead };
  const plan = ReadAhead.plan(await source.tabs(order), options);
  if (!plan) return source.readInParts(order, visit);
  const ahead = new ReadAhead(() => validation.readContext(), options);
  try {
    await source.readInParts(order, visit, ahead.reader(plan));
  } finally {
    await ahead.close();
  }
}

/** Data tabs holding this many bytes or more are read on two threads: below it, starting a thread costs more than it saves. */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

function readAheadBytes(): number {
  const set = process.env.TIDINGS_READ_AHEAD_BYTES;
  if (set === undefined || set === '') return READ_AHEAD_BYTES;
  const bytes = Number(set);
  if (!Number.isFinite(bytes) || bytes < 0) throw new UsageError(`TIDINGS_READ_AHEAD_BYTES=${set}: give a number of bytes (0: always read on two threads), or leave it unset`);
  return bytes;
}

/**
 * A problem found after validation (an unsubscribe token, a receipt number) placed as the
 * validator places its own: the column's letter in the tab as read, and a link to the cell.
 */
export function locate(synced: Pick<Synced, 'headers' | 'source'>, p: Problem): Problem {
  const header = synced.headers.get(normalizeName(p.tab));
  const index = p.column_letter || !p.column || !header ? -1 : header.findIndex((h) => normalizeName(rawText(h)) === p.column);
  const column_letter = index >= 0 ? columnLetter(index) : p.column_letter;
  const link = p.link ?? (p.row && column_letter ? synced.source.cellLink?.(p.tab, p.row, column_letter) : undefined);
  return { ...p, ...(column_letter && { column_letter }), ...(link && { link }) };
}

/** --as-of: a date as staff would type it; default today in the org's time zone. */
export function resolveAsOf(asOf: string | undefined, dataset: Pick<Dataset, 'settings'>): string {
  if (!asOf) return dateInZone(new Date(), dataset.settings.timezone);
  const parsed = readDate(asOf, dataset.settings.timezone);
  if (!parsed.ok || !parsed.value) throw new UsageError(`--as-of ${asOf}: write the date as YYYY-MM-DD, e.g. 2024-06-30`);
  return parsed.value;
}
