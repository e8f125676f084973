import type { Dataset } from '../../sync/dataset.ts';
import { daysBetween } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import type { Bilingual } from './reason.ts';

/**
 * High/low thresholds for netiCRM's eight RFM cells. A contact is high on R when the last gift is
 * at most `recency_days` before D, high on F with more than `frequency` gifts, and high on M with
 * more than `monetary` (minor units, org currency).
 */
export interface RfmThresholds {
  recency_days: number;
  frequency: number;
  monetary: number;
}

/**
 * netiCRM's defaults (CRM_Contact_BAO_RFM::defaultThresholds for all gifts over its default range,
 * the last year): R = ceil(365 days / 5) = 73 days, F = max(1 per year, 2) = 2 gifts,
 * M = 600 per month × 12 = 7,200 in the org currency (NT$7,200).
 */
export const NETICRM_THRESHOLDS: RfmThresholds = { recency_days: 73, frequency: 2, monetary: 720_000 };

export type RfmCell = `R${'h' | 'l'}F${'h' | 'l'}M${'h' | 'l'}`;

/** netiCRM's names for the cells. */
export const RFM_CELLS: Record<RfmCell, Bilingual> = {
  RlFlMl: { 'zh-TW': '沉睡小額', en: 'Hibernating, small' },
  RlFlMh: { 'zh-TW': '沉睡大額', en: 'Hibernating, big' },
  RlFhMl: { 'zh-TW': '流失危機小額', en: 'At risk, small' },
  RlFhMh: { 'zh-TW': '流失危機大額', en: 'At risk, big' },
  RhFlMl: { 'zh-TW': '新朋友小額', en: 'New, small' },
  RhFlMh: { 'zh-TW': '新朋友大額', en: 'New, big' },
  RhFhMl: { 'zh-TW': '忠實小額', en: 'Loyal, small' },
  RhFhMh: { 'zh-TW': '冠軍', en: 'Champions' },
};

export interface RfmRow {
  contact_id: string;
  last_gift: string;
  recency_days: number;
  frequency: number;
  /** Sum of gifts in the org currency, minor units. */
  monetary: number;
  r_score: number;
  f_score: number;
  m_score: number;
  /** The three scores as one code, e.g. "515". */
  code: string;
  cell: RfmCell;
}

/**
 * Quintile scores 1–5 (5 = best) where equal values always get equal scores: a value scores
 * 1 + floor(5 × the share of contacts strictly worse than it).
 */
export function quintileScores(values: number[], higherIsBetter: boolean): number[] {
  const sorted = [...values].sort((a, b) => (higherIsBetter ? a - b : b - a));
  const worse = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!worse.has(v)) worse.set(v, i);
  });
  return values.map((v) => Math.min(5, 1 + Math.floor((5 * worse.get(v)!) / values.length)));
}

/**
 * RFM for every contact with a gift as of D: recency (days from the last gift to D), frequency
 * (number of gifts) and monetary (sum of gifts). Gifts in other currencies count for recency and
 * frequency, but monetary adds only the org currency: amounts are never converted or added across
 * currencies, so a contact who gave only in another currency has monetary 0.
 */
export function computeRfm(dataset: Dataset, asOf: string, thresholds: RfmThresholds = NETICRM_THRESHOLDS): RfmRow[] {
  const { currency } = dataset.settings;
  const rows: Omit<RfmRow, 'r_score' | 'f_score' | 'm_score' | 'code' | 'cell'>[] = [];
  donorIndex(dataset, asOf).gifts.forEach((history, contact_id) => {
    const gifts = history.all();
    const last = gifts[gifts.length - 1].date;
    const monetary = gifts.reduce((sum, g) => ((g.currency ?? currency) === currency ? sum + g.amount : sum), 0);
    rows.push({ contact_id, last_gift: last, recency_days: daysBetween(last, asOf), frequency: gifts.length, monetary });
  });
  const r = quintileScores(rows.map((x) => x.recency_days), false);
  const f = quintileScores(rows.map((x) => x.frequency), true);
  const m = quintileScores(rows.map((x) => x.monetary), true);
  return rows.map((row, i) => {
    const high = (yes: boolean) => (yes ? 'h' : 'l');
    const cell = `R${high(row.recency_days <= thresholds.recency_days)}F${high(row.frequency > thresholds.frequency)}M${high(row.monetary > thresholds.monetary)}` as RfmCell;
    return { ...row, r_score: r[i], f_score: f[i], m_score: m[i], code: `${r[i]}${f[i]}${m[i]}`, cell };
  });
}
