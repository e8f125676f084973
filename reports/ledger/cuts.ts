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

/** The same for a list of periods, asked of every contact (long-term donors: each of the last N years). */
const askedEach = new WeakMap<readonly Period[], { earliestEnd: number; latestStart: number; each: { start: number; end: number }[] }>();

function daysOfEach(periods: readonly Period[]) {
  let days = askedEach.get(periods);
  if (!days) {
    const each = periods.map(daysOf);
    let earliestEnd = Infinity;
    let latestStart = -Infinity;
    for (const { start, end } of each) {
      if (end < earliestEnd) earliestEnd = end;
      if (start > latestStart) latestStart = start;
    }
    days = { each, earliestEnd, latestStart };
    askedEach.set(periods, days);
  }
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
    return this.gaveBetween(start, end);
  }

  private gaveBetween(start: number, end: number): boolean {
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
    const { each, earliestEnd, latestStart } = daysOfEach(periods);
    // A first gift by the earliest end and a latest from the latest start come first: most contacts fail them without a search.
    if (this.days[0] > earliestEnd || this.days[this.count - 1] < latestStart) return false;
    for (let i = 0; i < each.length; i++) if (!this.gaveBetween(each[i].start, each[i].end)) return false;
    return true;
  }

  /** The gifts dated within the period. */
  within(period: Period): Donation[] {
    return giftsWithin(this.all(), period);
  }
}

/**
 * Found values put in the order a scan of the dataset would first meet each key (as grouping by a
 * scan did), given where each is first met (`firsts`, by position among `found`). They are found in
 * the ledger's key order, which is that order unless a reordered list or a filter moved where a key
 * is first met: only then are they sorted.
 */
function inScanOrder(found: Int32Array, firsts: Int32Array): Int32Array {
  for (let i = 1; i < found.length; i++) {
    if (firsts[i - 1] > firsts[i]) {
      const order = Int32Array.from(found.keys()).sort((a, b) => firsts[a] - firsts[b]);
      return order.map((k) => found[k]);
    }
  }
  return found;
}

/** A ledger's lists as arrays in key order, once per ledger: a cut walks them by position. */
const listed = new WeakMap<Map<string, Entries>, { keys: string[]; lists: Entries[] }>();

function listsOf(byKey: Map<string, Entries>) {
  let got = listed.get(byKey);
  if (!got) listed.set(byKey, (got = { keys: [...byKey.keys()], lists: [...byKey.values()] }));
  return got;
}

/**
 * Each key's entries dated on or before D, made into a value by `make` from the ledger's own list
 * and days (shared, never to be changed) and how many of them are as of D. Nothing is held per key:
 * a value is made when asked for (by get, or as the cut is walked), so a report asking about a dozen
 * dates makes no Map of 40,000 contacts for each, only a count and an order per date.
 */
class AsOf<V> implements ReadonlyMap<string, V> {
  private walk: { at: Int32Array; ends: Int32Array } | undefined;

  constructor(private readonly byKey: Map<string, Entries>, private readonly day: number, private readonly make: (list: Donation[], days: Int32Array, count: number) => V) {}

  get(key: string): V | undefined {
    const entries = this.byKey.get(key);
    const end = entries ? countThrough(entries.days, this.day) : 0;
    return end ? this.make(entries!.list, entries!.days, end) : undefined;
  }

  has(key: string): boolean {
    const entries = this.byKey.get(key);
    return !!entries && entries.days[0] <= this.day;
  }

  get size(): number {
    return this.walked().at.length;
  }

  forEach(visit: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    const { keys, lists } = listsOf(this.byKey);
    const { at, ends } = this.walked();
    for (let i = 0; i < at.length; i++) {
      const k = at[i];
      visit(this.make(lists[k].list, lists[k].days, ends[k]), keys[k], this);
    }
  }

  *entries(): MapIterator<[string, V]> {
    const { keys, lists } = listsOf(this.byKey);
    const { at, ends } = this.walked();
    for (const k of at) yield [keys[k], this.make(lists[k].list, lists[k].days, ends[k])];
  }

  *keys(): MapIterator<string> {
    const { keys } = listsOf(this.byKey);
    for (const k of this.walked().at) yield keys[k];
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  /** Which keys have entries as of D, in scan order, and how many each has (by position in key order). */
  private walked() {
    if (this.walk) return this.walk;
    const { lists } = listsOf(this.byKey);
    const ends = new Int32Array(lists.length);
    const found = new Int32Array(lists.length);
    const firsts = new Int32Array(lists.length);
    let n = 0;
    for (let k = 0; k < lists.length; k++) {
      const { at, firstAt, days } = lists[k];
      const end = (ends[k] = countThrough(days, this.day));
      if (!end) continue;
      found[n] = k;
      firsts[n++] = firstAt ? firstAt[end - 1] : at[0];
    }
    return (this.walk = { at: inScanOrder(found.subarray(0, n), firsts.subarray(0, n)), ends });
  }
}

/**
 * Each key's entries dated on or before D that `keep` accepts, in date order, made into a value by
 * `make` from a list and days holding the first `count` of them first. Without `keep` they are the
 * ledger's own (shared, never to be changed: no copy for each date a report asks about).
 */
function cut<V>(lists: Map<string, Entries>, asOf: string, keep: ((d: Donation) => boolean) | undefined, make: (list: Donation[], days: Int32Array, count: number) => V): ReadonlyMap<string, V> {
  const day = dayNumber(asOf);
  if (!keep) return new AsOf(lists, day, make);
  const keys: string[] = [];
  const values: V[] = [];
  const firsts: number[] = [];
  // forEach, not for…of: no [key, value] array made for each of 40,000 keys.
  lists.forEach(({ list, at, days }, key) => {
    const end = countThrough(days, day);
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
  const byKey = new Map<string, V>();
  for (const i of inScanOrder(Int32Array.from(keys.keys()), Int32Array.from(firsts))) byKey.set(keys[i], values[i]);
  return byKey;
}

const filterOf = (dataset: Dataset, filters: GiftFilters) =>
  hasFilters(filters) ? (d: Donation) => passesFilters(d, filters, dataset.settings.currency) : undefined;

const listOf = (list: Donation[], _: Int32Array, count: number) => (list.length === count ? list : list.slice(0, count));

/** Each contact's gift history as of D (gifts that pass the filters), contacts in the order a scan of the donations meets them. */
export const giftHistories = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): ReadonlyMap<string, GiftHistory> =>
  cut(ledgerOf(dataset).giftsByContact, asOf, filterOf(dataset, filters), (list, days, count) => new GiftHistory(list, days, count));

/** Gifts as of D that pass the filters, grouped by contact, each list in date order. */
export const giftsByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): ReadonlyMap<string, Donation[]> =>
  cut(ledgerOf(dataset).giftsByContact, asOf, filterOf(dataset, filters), listOf);

/** Failed attempts as of D that pass the filters, grouped by contact, each list in date order. */
export const failedByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): ReadonlyMap<string, Donation[]> =>
  cut(ledgerOf(dataset).failedByContact, asOf, filterOf(dataset, filters), listOf);

/** How many gifts (as of D) reference each plan: the installments paid so far. */
export const giftsPerPlan = (dataset: Dataset, asOf: string): ReadonlyMap<string, number> =>
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
