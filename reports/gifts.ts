import type { Dataset, Donation, RecurringPlan } from '../sync/dataset.ts';
import { groupBy } from './group.ts';
import type { Period } from './periods.ts';
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

/** One contact's donations of a kind, in date order (equal dates in dataset order), with each one's position in the dataset. */
interface Entries {
  list: Donation[];
  at: number[];
}

/**
 * Every gift and every failed attempt of a donation type, whatever its date, put in date order once
 * per dataset (which is never mutated). "As of D" is then a cut of each date-ordered list by binary
 * search and "within a period" a slice of one list, instead of a scan, filter and sort of every
 * donation for each date a report asks about.
 */
interface Ledger {
  gifts: Map<string, Entries>;
  failed: Map<string, Entries>;
  /** The dataset positions of every gift, in date order. */
  giftsByDate: Int32Array;
}

const ledgers = new WeakMap<Dataset, Ledger>();

function ledgerOf(dataset: Dataset): Ledger {
  let ledger = ledgers.get(dataset);
  if (ledger) return ledger;
  // Bucketed by date, then the dates sorted: positions stay in dataset order within a date, as a stable sort keeps them.
  const giftDays = new Map<string, number[]>();
  const failedDays = new Map<string, number[]>();
  const donationType = new Map<string | undefined, boolean>();
  dataset.donations.forEach((d, i) => {
    const days = d.status === 'completed' ? giftDays : d.status === 'failed' ? failedDays : undefined;
    if (!days) return;
    let counts = donationType.get(d.financial_type);
    if (counts === undefined) donationType.set(d.financial_type, (counts = isDonationType(d, dataset)));
    if (!counts) return;
    const day = days.get(d.date);
    if (day) day.push(i);
    else days.set(d.date, [i]);
  });
  const inDateOrder = (days: Map<string, number[]>) => [...days.keys()].sort().flatMap((day) => days.get(day)!);
  const byContact = (positions: number[]) => {
    const lists = new Map<string, Entries>();
    for (const i of positions) {
      const d = dataset.donations[i];
      const entries = lists.get(d.contact_id);
      if (entries) {
        entries.list.push(d);
        entries.at.push(i);
      } else lists.set(d.contact_id, { list: [d], at: [i] });
    }
    return lists;
  };
  const gifts = inDateOrder(giftDays);
  ledger = { gifts: byContact(gifts), failed: byContact(inDateOrder(failedDays)), giftsByDate: Int32Array.from(gifts) };
  ledgers.set(dataset, ledger);
  return ledger;
}

/** How many leading items of a date-ordered list `before` holds for (binary search: it holds for a prefix). */
function countWhile(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Each contact's entries dated on or before D that `keep` accepts. The map is in the order a scan of
 * the dataset meets the contacts (by their first kept donation), as it was when grouped by a scan.
 */
function cut(lists: Map<string, Entries>, asOf: string, keep?: (d: Donation) => boolean): Map<string, Donation[]> {
  const found: { first: number; contact_id: string; list: Donation[] }[] = [];
  for (const [contact_id, { list, at }] of lists) {
    const end = countWhile(list.length, (i) => list[i].date <= asOf);
    const kept: Donation[] = [];
    let first = Infinity;
    for (let i = 0; i < end; i++) {
      if (keep && !keep(list[i])) continue;
      kept.push(list[i]);
      if (at[i] < first) first = at[i];
    }
    if (kept.length) found.push({ first, contact_id, list: kept });
  }
  found.sort((a, b) => a.first - b.first);
  return new Map(found.map((f) => [f.contact_id, f.list]));
}

const filterOf = (dataset: Dataset, filters: GiftFilters) =>
  Object.values(filters).some((v) => v !== undefined) ? (d: Donation) => passesFilters(d, filters, dataset.settings.currency) : undefined;

/** Gifts as of D that pass the filters, grouped by contact, each list in date order. */
export function giftsByContact(dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> {
  return cut(ledgerOf(dataset).gifts, asOf, filterOf(dataset, filters));
}

/** Failed attempts as of D that pass the filters, grouped by contact, each list in date order. */
export function failedByContact(dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> {
  return cut(ledgerOf(dataset).failed, asOf, filterOf(dataset, filters));
}

/** The gifts of a date-ordered list that fall in a period (binary search: lists can be long). */
export function giftsWithin(sorted: Donation[], period: Period): Donation[] {
  const start = countWhile(sorted.length, (i) => sorted[i].date < period.start);
  return sorted.slice(start, countWhile(sorted.length, (i) => sorted[i].date <= period.end));
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

/** Gifts dated within a period (counted as of its last day), in dataset order. */
export function giftsIn(dataset: Dataset, period: Period): Donation[] {
  const { donations } = dataset;
  const byDate = ledgerOf(dataset).giftsByDate;
  const dateAt = (i: number) => donations[byDate[i]].date;
  const start = countWhile(byDate.length, (i) => dateAt(i) < period.start);
  const end = countWhile(byDate.length, (i) => dateAt(i) <= period.end);
  return Array.from(byDate.slice(start, end).sort(), (i) => donations[i]);
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
export function firstGiftDate(dataset: Dataset, asOf: string): string {
  const first = ledgerOf(dataset).giftsByDate[0];
  const date = first === undefined ? undefined : dataset.donations[first].date;
  return date !== undefined && date <= asOf ? date : asOf;
}
