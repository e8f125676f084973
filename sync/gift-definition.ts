import type { Dataset, Donation } from './dataset.ts';

const isDonationType = (d: Donation, dataset: Pick<Dataset, 'settings'>) =>
  !dataset.settings.non_donation_types.includes((d.financial_type ?? '').trim().toLowerCase());

/**
 * A gift: a completed donation whose financial type is not a non-donation type (membership and
 * event fees by default), dated on or before D.
 */
export function isGift(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return d.status === 'completed' && d.date <= asOf && isDonationType(d, dataset);
}

/** A failed donation attempt of a donation type, dated on or before D. */
export function isFailedAttempt(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return d.status === 'failed' && d.date <= asOf && isDonationType(d, dataset);
}
