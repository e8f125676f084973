import { describe, expect, it } from 'vitest';
import { goalProgress } from '../../reports/goals.ts';
import { segmentSizes } from '../../reports/segment-sizes.ts';
import { bigGivers, fundraising } from './fundraising-fixture.ts';
import { goalMetrics } from '../../sync/schema/goal-metrics.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { datasetFromCsv, workbookFromCsv } from '../support/workbook.ts';

describe('goals', () => {
  const ds = fundraising({
    goals: [
      { metric: 'donors', target: '10', note: 'grow' },
      { metric: 'Amount', target: 'NT$20,000', fiscal_year: '2023/24' },
      { metric: 'donor-retention', target: '60%' },
      { metric: 'open_rate', target: '70' },
      { metric: 'new_donors', target: '5', fiscal_year: '2025' },
    ],
  });

  it('reads targets in their metric’s unit', () => {
    expect(ds.goals.map((g) => [g.metric, g.target, g.fiscal_year])).toEqual([
      ['donors', 10, undefined], ['amount', 2000000, 2023], ['donor_retention', 0.6, undefined], ['open_rate', 0.7, undefined], ['new_donors', 5, 2025],
    ]);
  });

  it('shows progress against the target and the same point last year', () => {
    const [donors, amount, retention, openRate, future] = goalProgress(ds, '2024-01-31', bigGivers);
    // To 2024-01-31: A, D gave (2 of 10); to 2023-01-31 (same day of FY22/23): A, B, D.
    expect(donors).toMatchObject({ value: 2, progress: 0.2, last_year_value: 3, change: -1 });
    expect(donors.year).toMatchObject({ label: '2023/24', end: '2024-01-31' });
    // 1,500 + 2,000 = 3,500 of 20,000; last year to 01-31: 1,000 + 2,000 + 3,000.
    expect(amount).toMatchObject({ kind: 'money', value: 350000, progress: 0.175, last_year_value: 600000, change: -250000 });
    // A, D of last year's four donors; a year earlier D of C, D.
    expect(retention).toMatchObject({ kind: 'rate', value: 0.5, last_year_value: 0.5, change: 0 });
    expect(retention.progress).toBeCloseTo(0.5 / 0.6, 12);
    // No mailings: no open rate, no progress.
    expect(openRate).toMatchObject({ value: null, progress: null, last_year_value: null, change: null });
    // FY 2025/26 has not begun.
    expect(future).toMatchObject({ value: null, progress: null });
  });

  it('tracks a segment’s size when sync is given the segments', () => {
    const { dataset: ds, problems } = validateWorkbook(
      workbookFromCsv({ contacts: 'contact_id', donations: 'donation_id,contact_id,date,amount', goals: 'metric,target\nBig givers,4' }),
      undefined,
      goalMetrics(bigGivers.definitions),
    );
    expect(problems).toEqual([]);
    const [g] = goalProgress({ ...fundraising(), goals: ds.goals }, '2024-06-30', bigGivers);
    // To 2024-06-30: A 3,000, B 2,000, C 5,000, D 5,500 (F 1,000 TWD); to 2023-06-30: A 1,000, B 2,000, C 1,000, D 3,500.
    expect(g).toMatchObject({ kind: 'count', value: 4, progress: 1, last_year_value: 2, change: 2 });
  });

  it('rejects an unknown metric naming the allowed ones, and a bad target', () => {
    const { problems, dataset } = datasetFromCsv({
      goals: `metric,target,fiscal_year
              happiness,10,
              donors,lots,
              open_rate,50%,next year`,
    });
    expect(dataset.goals).toEqual([]);
    const [metric, target, year] = problems;
    expect(metric).toMatchObject({ severity: 'error', tab: 'goals', row: 2, column: 'metric', value: 'happiness' });
    expect(metric.message).toContain('donor_retention');
    expect(metric.message).toContain('recurring_new');
    expect(target).toMatchObject({ severity: 'error', row: 3, column: 'target', value: 'lots' });
    expect(year).toMatchObject({ severity: 'error', row: 4, column: 'fiscal_year', value: 'next year' });
  });
});

describe('segment sizes at month ends', () => {
  it('evaluates each segment at the end of each of the last 12 months', () => {
    const ds = fundraising();
    const sizes = segmentSizes(ds, '2024-06-15', bigGivers);
    expect(sizes.dates).toEqual(['2023-06-30', '2023-07-31', '2023-08-31', '2023-09-30', '2023-10-31', '2023-11-30', '2023-12-31', '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    // B 2,000 and D 3,500 from the start; A reaches 2,500 on 2023-07-01; D gives more in Dec (already in);
    // C reaches 5,000 on 2024-03-01. F only 1,000 TWD.
    expect(sizes.segments).toEqual([{ id: 'big_givers', title: bigGivers.definitions[0].title, sizes: [2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4] }]);
  });
});

