import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentCatalog } from '../../reports/segments/catalog.ts';
import { segmentSizes } from '../../reports/segment-sizes.ts';
import { SEGMENTS, countSegments, evaluateSegment } from '../../reports/segments/index.ts';
import { monthEnds } from '../../sync/periods.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { ROOT } from '../support/cli.ts';

const ANCHOR = '2026-11-22';
const load = async () => (await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), ANCHOR)).dataset;

// Specs with filters and parameters of their own, beside every segment with its defaults.
const SPECS = [
  ...SEGMENTS.map((s) => s.id),
  'lybunt?min_amount=1000', 'recent_donors?months=3&max_amount=NT$2,000', 'repeat_single_donors?min_gifts=2&financial_type=一般捐款',
  'recurring_any?min_amount=500', 'recurring_never?min_amount=NT$3,000', 'birthdays?min_amount=100', 'attendees_not_donors?max_amount=500',
  'long_term_donors?years=2&min_installments=3', 'failed_no_retry?retry_days=3&lookback_days=365', 'first_time_donors?days=400',
];

let dataset: Dataset;
beforeAll(async () => {
  dataset = await load();
});

describe('counting segment members without writing reasons', () => {
  it('gives the length of the full evaluation for every spec, at D and at month ends going back two years', () => {
    const dates = [ANCHOR, ...monthEnds(ANCHOR, 24)];
    let members = 0;
    for (const asOf of dates) {
      const counts = countSegments(dataset, asOf, SPECS);
      SPECS.forEach((spec, i) => expect(counts[i], `${spec} at ${asOf}`).toBe(evaluateSegment(dataset, asOf, spec).length));
      members += counts.reduce((a, b) => a + b, 0);
    }
    expect(members).toBeGreaterThan(0);
  });

  it('makes the segment-size report what evaluating each segment would make', () => {
    const evaluateOnly = { definitions: segmentCatalog.definitions, evaluate: segmentCatalog.evaluate };
    expect(segmentSizes(dataset, ANCHOR, segmentCatalog)).toEqual(segmentSizes(dataset, ANCHOR, evaluateOnly));
  });
});

describe('indexes derived for many dates', () => {
  it('leave the members of any date as a freshly loaded dataset gives them, in the same order with the same reasons', async () => {
    // Walk through dates (and filters) first, as the reports do, so the latest-few cache turns over.
    for (const asOf of monthEnds(ANCHOR, 12)) countSegments(dataset, asOf, SPECS);
    const fresh = await load();
    for (const asOf of [ANCHOR, '2026-03-31', '2025-12-31']) {
      for (const spec of SPECS) expect(evaluateSegment(dataset, asOf, spec), `${spec} at ${asOf}`).toEqual(evaluateSegment(fresh, asOf, spec));
    }
  });
});
