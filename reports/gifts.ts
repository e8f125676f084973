import type { Dataset, Donation, RecurringPlan } from '../sync/dataset.ts';
import { groupBy } from './group.ts';
import { type Period, within } from './periods.ts';
import type { GiftFilters } from './segments/segment.ts';

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

const byDate = (a: Donation, b: Donation) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function groupByContact(donations: Donation[], keep: (d: Donation) => boolean): Map<string, Donation[]> {
  const byContact = new Map<string, Donation[]>();
  for (const d of donations) {
    if (!keep(d)) continue;
    const list = byContact.get(d.contact_id);
    if (list) list.push(d);
    else byContact.set(d.contact_id, [d]);
  }
  for (const list of byContact.values()) list.sort(byDate);
  return byContact;
}

/** Gifts as of D that pass the filters, grouped by contact, each list in date order. */
export function giftsByContact(dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> {
  const currency = dataset.settings.currency;
  return groupByContact(dataset.donations, (d) => isGift(d, dataset, asOf) && passesFilters(d, filters, currency));
}

/** Failed attempts as of D that pass the filters, grouped by contact, each list in date order. */
export function failedByContact(dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> {
  const currency = dataset.settings.currency;
  return groupByContact(dataset.donations, (d) => isFailedAttempt(d, dataset, asOf) && passesFilters(d, filters, currency));
}

/** The gifts of a date-ordered list that fall in a period (binary search: lists can be long). */
export function giftsWithin(sorted: Donation[], period: Period): Donation[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].date < period.start) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end].date <= period.end) end++;
  return sorted.slice(lo, end);
}

/** Amounts added per currency (never across currencies), in the order currencies first appear. */
export function totalsByCurrency(gifts: Donation[], orgCurrency: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const g of gifts) {
    const c = g.currency ?? orgCurrency;
    totals.set(c, (totals.get(c) ?? 0) + g.amount);
  }
  return totals;
}

/** Gifts dated within a period (counted as of its last day). */
export function giftsIn(dataset: Dataset, period: Period): Donation[] {
  return dataset.donations.filter((d) => isGift(d, dataset, period.end) && within(d.date, period));
}

/** An amount in a currency other than the org's: listed beside the totals, never added to them. */
export interface OtherCurrency {
  currency: string;
  gifts: number;
  amount_minor: number;
}

/** The sum and count of the gifts in `currency`, and per other currency what was given in it. */
export function sumMoney(gifts: Donation[], currency: string): { amount_minor: number; gifts: number; other: OtherCurrency[] } {
  const count = groupBy(gifts, (g) => g.currency ?? currency);
  const totals = totalsByCurrency(gifts, currency);
  const other = [...totals]
    .filter(([c]) => c !== currency)
    .map(([c, amount]) => ({ currency: c, gifts: count.get(c)!.length, amount_minor: amount }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return { amount_minor: totals.get(currency) ?? 0, gifts: count.get(currency)?.length ?? 0, other };
}

/** Each donor's first gift date ever, as of D. */
export function firstGiftDates(dataset: Dataset, asOf: string): Map<string, string> {
  return new Map([...giftsByContact(dataset, asOf)].map(([id, list]) => [id, list[0].date]));
}

/** The date of the earliest gift ever, as of D (D itself when there is none). */
export const firstGiftDate = (dataset: Dataset, asOf: string): string => [...firstGiftDates(dataset, asOf).values()].sort()[0] ?? asOf;
