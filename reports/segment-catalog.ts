import type { SegmentCatalog } from './segment-sizes.ts';

/**
 * The one place reports meet the segment registry. Until reports/segments/index.ts lands it is
 * empty; then: `{ definitions: SEGMENTS, evaluate: (dataset, asOf, id) => evaluateSegment(dataset, asOf, id) }`
 * (adapting `id` to evaluateSegment's spec).
 */
export const segmentCatalog: SegmentCatalog = {
  definitions: [],
  evaluate: (_dataset, _asOf, id) => {
    throw new Error(`segment ${id} is not in the registry`);
  },
};
