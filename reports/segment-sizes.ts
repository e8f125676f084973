import type { Dataset } from '../sync/dataset.ts';
import { monthEnds } from './periods.ts';
import type { SegmentDefinition, SegmentMember } from './segments/segment.ts';

/** The segments a report may count, and how one is evaluated at a date (injected, so reports need not know the registry). */
export interface SegmentCatalog {
  definitions: readonly Pick<SegmentDefinition, 'id' | 'title'>[];
  evaluate(dataset: Dataset, asOf: string, id: string): SegmentMember[];
}

export interface SegmentSizes {
  /** Month ends, oldest first. */
  dates: string[];
  segments: { id: string; title: SegmentDefinition['title']; sizes: number[] }[];
}

/** Each segment's size at the end of each of the last `months` months: the segment evaluated with D moved back. */
export function segmentSizes(dataset: Dataset, asOf: string, catalog: SegmentCatalog, months = 12): SegmentSizes {
  const dates = monthEnds(asOf, months);
  return {
    dates,
    segments: catalog.definitions.map((s) => ({
      id: s.id,
      title: s.title,
      sizes: dates.map((d) => catalog.evaluate(dataset, d, s.id).length),
    })),
  };
}
