import { z } from 'zod';
import { readId, readText, readWholeNumber } from './cells/text.ts';
import { type Problem, columnLetter, rawText } from './problems.ts';
import { optional, required } from './schema/cell.ts';
import { type RawWorkbook, normalizeName } from './sources/source.ts';

/**
 * The `_mailing_stats` tab: one row per mailing whose email_events rows `tidings compact` moved
 * to the archive, with the counts the newsletter report is made of. For such a mailing the report
 * uses this row and nothing else (reports/newsletter.ts), so every figure stays what it was
 * before compaction. Written by Tidings only; sent_at times are kept as the text sync read.
 */
export const MAILING_STATS_TAB = '_mailing_stats';
export const MAILING_STATS_COLUMNS = [
  'mailing_id', 'recipients', 'delivered', 'opens', 'clicks', 'bounces', 'complaints', 'unsubscribes',
  'first_sent_at', 'last_sent_at', 'compacted_at',
] as const;

const count = (what: string) => required(readWholeNumber, what);
const statsRowSchema = z.object({
  mailing_id: required(readId, 'mailing_id'),
  recipients: count('recipients'), delivered: count('delivered'), opens: count('opens'), clicks: count('clicks'),
  bounces: count('bounces'), complaints: count('complaints'), unsubscribes: count('unsubscribes'),
  first_sent_at: optional(readText), last_sent_at: optional(readText), compacted_at: optional(readText),
});

export type MailingStats = z.output<typeof statsRowSchema> & { row: number };

/** Reads the stats tab (missing = empty); a damaged row is reported and skipped; a mailing's first row wins. */
export function readMailingStats(workbook: RawWorkbook): { rows: MailingStats[]; problems: Problem[] } {
  const tab = workbook.get(MAILING_STATS_TAB);
  if (!tab) return { rows: [], problems: [] };
  const header = new Map(tab.header.map((h, i) => [normalizeName(rawText(h)), i] as const));
  const rows: MailingStats[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  tab.rows.forEach((cells, i) => {
    const input = Object.fromEntries(MAILING_STATS_COLUMNS.map((c) => [c, header.has(c) ? cells[header.get(c)!] : undefined]));
    if (Object.values(input).every((v) => rawText(v).trim() === '')) return;
    const parsed = statsRowSchema.safeParse(input);
    if (parsed.success) {
      if (!seen.has(parsed.data.mailing_id)) rows.push({ ...parsed.data, row: i + 2 });
      seen.add(parsed.data.mailing_id);
      return;
    }
    const column = String(parsed.error.issues[0].path[0]);
    problems.push({
      severity: 'warning', tab: tab.name, row: i + 2, column,
      column_letter: header.has(column) ? columnLetter(header.get(column)!) : undefined, value: rawText(input[column]),
      message: `${parsed.error.issues[0].message}: this tab is written by tidings compact and keeps the statistics of compacted mailings; restore the row from a backup rather than editing it`,
    });
  });
  return { rows, problems };
}
