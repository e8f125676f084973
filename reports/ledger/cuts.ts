import type { Dataset, Donation } from '../../sync/dataset.ts';
import { type GiftFilters, hasFilters, passesFilters } from '../gift-filters.ts';
import type { Period } from '../../sync/periods.ts';
import { type Entries, ledgerOf } from './book.ts';
import { countBefore, countThrough, dayNumber } from './days.ts';

/** The gifts of a date-ordered list that fall in a period. */
export function giftsWithin(sorted: readonly Donation[], period: Period): Donation[] {
  return sorted.slice(countBefore(sorted, period.start), countBefore(sorted, period.end, true));
}

/**
 * Periods asked about, as day numbers: a segment asks every contact about the same few periods, so
 * their dates are read once, not once per contact (a period is never changed once made).
 */
const asked = new WeakMap<Period, { start: number; end: number }>();

function daysOf(period: Period): { start: number; end: number } {
  let days = asked.get(period);
  if (!days) asked.set(period, (days = { start: dayNumber(period.start), end: dayNumber(period.end) }));
  return days;
}

const dayWithin = (day: number, period: Period) => {
  const { start, end } = daysOf(period);
  return day >= start && day <= end;
};

/**
 * A contact's gifts as of D (those that pass the filters), in date order. Questions of dates read
 * the gifts' day numbers, which lie side by side, not the Donations, which lie all over memory: a
 * segment asks them of every contact, and reads the gifts themselves only for its members' reasons.
 */
export class GiftHistory {
  private listed: Donation[] | undefined = undefined;

  /**
   * The first `count` of `list` and `days` are the gifts as of D; both may go on past D (the
   * ledger's own lists, shared: a view of each contact's days for each date a report asks about
   * was a typed array made 40,000 times a date).
   */
  constructor(private readonly list: Donation[], private readonly days: Int32Array, readonly count: number) {}

  /** Every gift, in date order. */
  all(): Donation[] {
    return (this.listed ??= this.list.length === this.count ? this.list : this.list.slice(0, this.count));
  }

  first(): Donation {
    return this.list[0];
  }

  last(): Donation {
    return this.list[this.count - 1];
  }

  /** Whether a gift is dated within the period (the first on or after its start is in it). */
  gaveIn(period: Period): boolean {
    const { start, end } = daysOf(period);
    const i = countThrough(this.days, start - 1);
    return i < this.count && this.days[i] <= end;
  }

  /** Whether the first gift is dated within the period. */
  firstIn(period: Period): boolean {
    return dayWithin(this.days[0], period);
  }

  /** Whether the latest gift is dated within the period. */
  lastIn(period: Period): boolean {
    return dayWithin(this.days[this.count - 1], period);
  }

  /** Whether no gift is dated on or after `date`. */
  noneSince(date: string): boolean {
    return this.days[this.count - 1] < dayNumber(date);
  }

  /** Whether there is a gift in each of the periods. */
  gaveInEach(periods: readonly Period[]): boolean {
    // A first gift by the earliest end and a latest from the latest start come first: most contacts fail them without a search.
    let earliestEnd = Infinity;
    let latestStart = -Infinity;
    for (const p of periods) {
      const { start, end } = daysOf(p);
      if (end < earliestEnd) earliestEnd = end;
      if (start > latestStart) latestStart = start;
    }
    return this.days[0] <= earliestEnd && this.days[this.count - 1] >= latestStart && periods.every((p) => this.gaveIn(p));
  }

  /** The gifts dated within the period. */
  within(period: Period): Donation[] {
    return giftsWithin(this.all(), period);
  }
}

/**
 * Found values put in the order a scan of the dataset would first meet each key (as grouping by a
 * scan did), given where each is first met. They are found in the ledger's key order, which is
 * that order unless a reordered list or a filter moved where a key is first met: only then are
 * they sorted.
 */
function inScanOrder<V>(keys: string[], values: V[], firsts: number[]): Map<string, V> {
  const byKey = new Map<string, V>();
  let inOrder = true;
  for (let i = 1; i < firsts.length && inOrder; i++) inOrder = firsts[i - 1] < firsts[i];
  if (inOrder) {
    for (let i = 0; i < keys.length; i++) byKey.set(keys[i], values[i]);
    return byKey;
  }
  const order = Int32Array.from(firsts.keys()).sort((a, b) => firsts[a] - firsts[b]);
  for (const i of order) byKey.set(keys[i], values[i]);
  return byKey;
}

/**
 * Each key's entries dated on or before D that `keep` accepts, in date order, made into a value by
 * `make` from a list and days holding the first `count` of them first. Without `keep` they are the
 * ledger's own (shared, never to be changed: no copy for each date a report asks about).
 */
function cut<V>(lists: Map<string, Entries>, asOf: string, keep: ((d: Donation) => boolean) | undefined, make: (list: Donation[], days: Int32Array, count: number) => V): Map<string, V> {
  const keys: string[] = [];
  const values: V[] = [];
  const firsts: number[] = [];
  const day = dayNumber(asOf);
  // forEach, not for…of: no [key, value] array made for each of 40,000 keys at each date asked about.
  lists.forEach(({ list, at, firstAt, days }, key) => {
    const end = countThrough(days, day);
    if (!keep) {
      if (!end) return;
      keys.push(key);
      values.push(make(list, days, end));
      firsts.push(firstAt ? firstAt[end - 1] : at[0]);
      return;
    }
    const kept: Donation[] = [];
    const keptDays: number[] = [];
    let first = Infinity;
    for (let i = 0; i < end; i++) {
      if (!keep(list[i])) continue;
      kept.push(list[i]);
      keptDays.push(days[i]);
      if (at[i] < first) first = at[i];
    }
    if (!kept.length) return;
    keys.push(key);
    values.push(make(kept, Int32Array.from(keptDays), kept.length));
    firsts.push(first);
  });
  return inScanOrder(keys, values, firsts);
}

const filterOf = (dataset: Dataset, filters: GiftFilters) =>
  hasFilters(filters) ? (d: Donation) => passesFilters(d, filters, dataset.settings.currency) : undefined;

const listOf = (list: Donation[], _: Int32Array, count: number) => (list.length === count ? list : list.slice(0, count));

/** Each contact's gift history as of D (gifts that pass the filters), contacts in the order a scan of the donations meets them. */
export const giftHistories = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, GiftHistory> =>
  cut(ledgerOf(dataset).giftsByContact, asOf, filterOf(dataset, filters), (list, days, count) => new GiftHistory(list, days, count));

/** Gifts as of D that pass the filters, grouped by contact, each list in date order. */
export const giftsByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> =>
  cut(ledgerOf(dataset).giftsByContact, asOf, filterOf(dataset, filters), listOf);

/** Failed attempts as of D that pass the filters, grouped by contact, each list in date order. */
export const failedByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> =>
  cut(ledgerOf(dataset).failedByContact, asOf, filterOf(dataset, filters), listOf);

/** How many gifts (as of D) reference each plan: the installments paid so far. */
export const giftsPerPlan = (dataset: Dataset, asOf: string): Map<string, number> =>
  cut(ledgerOf(dataset).giftsByPlan, asOf, undefined, (_, __, count) => count);

const firstRecurringDays = new WeakMap<Dataset, Map<string, number>>();

/** Each contact's first recurring gift day (a gift with a recurring_id), whatever its date, once per dataset. */
function firstRecurringGiftDays(dataset: Dataset): Map<string, number> {
  let firsts = firstRecurringDays.get(dataset);
  if (firsts) return firsts;
  firsts = new Map();
  ledgerOf(dataset).giftsByContact.forEach(({ list, days }, contact_id) => {
    const i = list.findIndex((g) => g.recurring_id);
    if (i >= 0) firsts.set(contact_id, days[i]);
  });
  firstRecurringDays.set(dataset, firsts);
  return firsts;
}

/** Who has given a recurring gift (a gift with a recurring_id, whatever the filters) by D. */
export function recurringGivers(dataset: Dataset, asOf: string): { has(contact_id: string): boolean } {
  const firsts = firstRecurringGiftDays(dataset);
  const day = dayNumber(asOf);
  return { has: (contact_id) => (firsts.get(contact_id) ?? Infinity) <= day };
}
