import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENTS, evaluateSegment } from '../../reports/segments/index.ts';
import { loadDataset } from '../../sync/load.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { ROOT } from '../support/cli.ts';

// The committed sample is anchored at 2026-11-22 (see README, Sample data).
const ANCHOR = '2026-11-22';

describe('the committed sample data', () => {
  it('has members in every donation-accelerator segment at its anchor date', async () => {
    const { dataset } = await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), ANCHOR);
    const sizes = Object.fromEntries(SEGMENTS.map((s) => [s.id, evaluateSegment(dataset, ANCHOR, s.id).length]));
    expect(Object.keys(sizes)).toHaveLength(16);
    for (const [id, size] of Object.entries(sizes)) expect(size, id).toBeGreaterThan(0);
  });
});
