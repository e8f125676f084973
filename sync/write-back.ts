import type { RawCell } from './cells/result.ts';
import type { Problem } from './problems.ts';
import { type Source, type WritableSource, isWritable } from './sources/source.ts';
import { PROBLEM_COLUMNS } from './problems-csv.ts';

/** The tool's own tabs in the spreadsheet, rebuilt on every sync (staff read them, never edit them). */
export const PROBLEMS_TAB = '_problems';
export const SEGMENTS_TAB = '_segments';

export const SEGMENT_ROW_COLUMNS = ['segment', 'contact_id', 'name', 'email', 'reason'] as const;
/** One member of one segment, as the _segments tab lists it. */
export type SegmentRow = Record<(typeof SEGMENT_ROW_COLUMNS)[number], string>;

/**
 * Whether sync writes its tabs back: as asked (--write-back / --no-write-back), else on for
 * Google Sheets (staff see the lists in their spreadsheet) and off for a CSV folder, so a
 * committed folder such as the sample is never changed by `npm start`.
 */
export function wantsWriteBack(source: Source, asked: boolean | undefined): source is WritableSource {
  return isWritable(source) && (asked ?? source.writesBackByDefault);
}

/**
 * Replaces `_problems` (every problem, with its link) and, when the segment members are given,
 * `_segments`. Returns one line per tab written.
 */
export async function writeBackTabs(source: WritableSource, problems: Problem[], segments?: SegmentRow[]): Promise<string[]> {
  const lines: string[] = [];
  const problemRows = problems.map((p) => PROBLEM_COLUMNS.map((c) => (p[c] ?? '') as RawCell));
  await source.replaceTab(PROBLEMS_TAB, [...PROBLEM_COLUMNS], problemRows);
  lines.push(`${PROBLEMS_TAB}: ${problems.length} rows`);
  if (segments) {
    await source.replaceTab(SEGMENTS_TAB, [...SEGMENT_ROW_COLUMNS], segments.map((s) => SEGMENT_ROW_COLUMNS.map((c) => s[c])));
    lines.push(`${SEGMENTS_TAB}: ${segments.length} rows`);
  }
  return lines;
}
