import type { Dataset } from '../sync/dataset.ts';
import { monthEnds } from '../sync/periods.ts';

/** A segment's title, as reports show it. */
type SegmentTitle = { 'zh-TW': string; en: string };

/**
 * The segments a report may count, and how one is evaluated at a date (injected, so reports need
 * not know the registry: reports/segments/catalog.ts is the one that does).
 */
export interface SegmentCatalog {
  definitions: readonly { id: string; title: SegmentTitle }[];
  evaluate(dataset: Dataset, asOf: string, id: string): readonly { contact_id: string }[];
  /** How many members evaluate would return for each id, without writing their reasons (when the catalog can count faster). */
  count?(dataset: Dataset, asOf: string, ids: string[]): number[];
}

/** The sizes of segments on a date. */
export const segmentSizesOn = (catalog: SegmentCatalog, dataset: Dataset, asOf: string, ids: string[]): number[] =>
  catalog.count ? catalog.count(dataset, asOf, ids) : ids.map((id) => catalog.evaluate(dataset, asOf, id).length);

export interface SegmentSizes {
  /** Month ends, oldest first. */
  dates: string[];
  segments: { id: string; title: SegmentTitle; sizes: number[] }[];
}

/** Each segment's size at the end of each of the last `months` months: the segment evaluated with D moved back. */
export function segmentSizes(dataset: Dataset, asOf: string, catalog: SegmentCatalog, months = 12): SegmentSizes {
  const dates = monthEnds(asOf, months);
  // Date by date, so each date's index serves every segment before the next is built.
  const ids = catalog.definitions.map((s) => s.id);
  const byDate = dates.map((d) => segmentSizesOn(catalog, dataset, d, ids));
  return {
    dates,
    segments: catalog.definitions.map((s, i) => ({ id: s.id, title: s.title, sizes: byDate.map((sizes) => sizes[i]) })),
  };
}
