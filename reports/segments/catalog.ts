import type { SegmentCatalog } from '../segment-sizes.ts';
import { SEGMENTS, countSegments, evaluateSegment } from './index.ts';

/** The one place reports meet the segment registry: every saved segment, with its default parameters. */
export const segmentCatalog: SegmentCatalog = {
  definitions: SEGMENTS,
  evaluate: (dataset, asOf, id) => evaluateSegment(dataset, asOf, id),
  count: (dataset, asOf, ids) => countSegments(dataset, asOf, ids),
};
