import { describe, expect, it } from 'vitest';
import { NETICRM_THRESHOLDS, computeRfm, quintileScores } from '../../reports/segments/rfm.ts';
import { plusDays } from '../../sync/periods.ts';
import { buildDataset, contacts, donation } from '../support/dataset.ts';

const D = '2024-06-30';

describe('quintile scores', () => {
  it('spread distinct values over 1–5', () => {
    expect(quintileScores([10, 20, 30, 40, 50], true)).toEqual([1, 2, 3, 4, 5]);
    expect(quintileScores([10, 20, 30, 40, 50], false)).toEqual([5, 4, 3, 2, 1]);
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('give equal values equal scores, wherever the quintile edges fall', () => {
    expect(quintileScores([1, 1, 1, 1, 1], true)).toEqual([1, 1, 1, 1, 1]);
    expect(quintileScores([5, 1, 1, 1, 9, 9], true)).toEqual([3, 1, 1, 1, 4, 4]);
    expect(quintileScores([3, 3, 7, 7, 7, 1], false)).toEqual([3, 3, 1, 1, 1, 5]);
  });
});

describe('computeRfm', () => {
  const dataset = buildDataset({
    contacts: contacts('a', 'b', 'c', 'd', 'e', 'usd_only', 'nothing'),
    donations: [
      donation('a', plusDays(D, -73), 7200.01),
      donation('b', plusDays(D, -74), 3600),
      donation('b', plusDays(D, -100), 3600),
      donation('c', plusDays(D, -10), 100),
      donation('c', plusDays(D, -20), 100),
      donation('c', plusDays(D, -30), 100),
      donation('c', plusDays(D, -40), 100, { status: 'refunded' }),
      donation('c', plusDays(D, 1), 100),
      donation('d', plusDays(D, -10), 50_000),
      donation('d', plusDays(D, -300), 50_000, { financial_type: 'membership' }),
      donation('e', plusDays(D, -500), 10, { status: 'failed' }),
      donation('usd_only', plusDays(D, -5), 30, { currency: 'USD' }),
    ],
  });
  const rows = new Map(computeRfm(dataset, D).map((r) => [r.contact_id, r]));

  it('covers every contact with a gift as of D, and only them', () => {
    expect([...rows.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'usd_only']);
  });

  it('measures recency in days to D, frequency in gifts, monetary in the org currency only', () => {
    expect(rows.get('c')).toMatchObject({ last_gift: plusDays(D, -10), recency_days: 10, frequency: 3, monetary: 30_000 });
    expect(rows.get('d')).toMatchObject({ frequency: 1, monetary: 5_000_000 });
    expect(rows.get('usd_only')).toMatchObject({ recency_days: 5, frequency: 1, monetary: 0 });
  });

  it('scores by quintile and writes the three-digit code', () => {
    // recency a 73, b 74, c 10, d 10, usd 5; frequency 1, 2, 3, 1, 1; monetary 720001, 720000, 30000, 5000000, 0.
    expect(['a', 'b', 'c', 'd', 'usd_only'].map((id) => rows.get(id)!.code)).toEqual(['214', '143', '352', '315', '511']);
  });

  it("places each contact in netiCRM's cells at the default thresholds, edges included", () => {
    expect(NETICRM_THRESHOLDS).toEqual({ recency_days: 73, frequency: 2, monetary: 720_000 });
    expect(rows.get('a')!.cell).toBe('RhFlMh');
    expect(rows.get('b')!.cell).toBe('RlFlMl');
    expect(rows.get('c')!.cell).toBe('RhFhMl');
    expect(computeRfm(dataset, D, { recency_days: 9, frequency: 0, monetary: 0 }).find((r) => r.contact_id === 'd')!.cell).toBe('RlFhMh');
  });
});
