import type { Donation, RecurringPlan } from '../sync/dataset.ts';

/**
 * Filters every segment accepts, as netiCRM's searches do: they restrict which gifts or plans
 * count (amounts are per gift, or per installment for recurring segments; minor units).
 */
export interface GiftFilters {
  min_amount?: number;
  max_amount?: number;
  campaign?: string;
  financial_type?: string;
}

/** Whether any filter is set. */
export const hasFilters = (f: GiftFilters): boolean =>
  f.min_amount !== undefined || f.max_amount !== undefined || f.campaign !== undefined || f.financial_type !== undefined;

const sameText = (a: string | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Whether a donation (per gift) or a plan (per installment) passes the common filters. An amount
 * range compares amounts in the org currency only: a gift in another currency cannot be compared
 * with it, so it does not pass while a range is set.
 */
export function passesFilters(
  row: Pick<Donation | RecurringPlan, 'amount' | 'currency' | 'campaign' | 'financial_type'>,
  filters: GiftFilters,
  orgCurrency: string,
): boolean {
  if (filters.min_amount !== undefined || filters.max_amount !== undefined) {
    if ((row.currency ?? orgCurrency) !== orgCurrency) return false;
    if (filters.min_amount !== undefined && row.amount < filters.min_amount) return false;
    if (filters.max_amount !== undefined && row.amount > filters.max_amount) return false;
  }
  if (filters.campaign !== undefined && !sameText(row.campaign, filters.campaign)) return false;
  if (filters.financial_type !== undefined && !sameText(row.financial_type, filters.financial_type)) return false;
  return true;
}
