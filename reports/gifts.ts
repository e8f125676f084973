import type { Dataset, Donation, RecurringPlan } from '../sync/dataset.ts';
import type { Period } from '../sync/periods.ts';
import type { GiftFilters } from './segments/segment.ts';
import { isDonationType, isGift } from '../sync/gift-definition.ts';

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

/**
 * Donations of a kind under one key (a contact, a plan) in date order, equal dates in dataset order,
 * with each one's position in the dataset. Positions rise along a list that was already in date
 * order; a list that had to be reordered keeps firstAt[i], the lowest of at[0..i]: where a scan of
 * the dataset would first meet the key if it stopped at that entry's date.
 */
interface Entries {
  list: Donation[];
  at: number[];
  firstAt?: number[];
  /** Each one's date as a number (20240105): searched without reading the donations, which lie all over memory. */
  days: Int32Array;
}

/**
 * Every gift and every failed attempt of a donation type, whatever its date, put in date order once
 * per dataset (which is never mutated). "As of D" is then a cut of each date-ordered list by binary
 * search, and "within a period" a slice of one list, instead of a scan, filter and sort of every
 * donation for each date a report asks about.
 */
interface Ledger {
  gifts: Entries;
  columns: GiftColumns;
  giftsByContact: Map<string, Entries>;
  failedByContact: Map<string, Entries>;
  giftsByPlan: Map<string, Entries>;
}

const ledgers = new WeakMap<Dataset, Ledger>();

/**
 * Entries from donations in dataset order, put in date order (most lists already are: sheets grow by
 * date); `dayAt` by dataset position, `days` (as long as the list) filled with their days.
 */
function inDateOrder(list: Donation[], at: number[], dayAt: Int32Array, days: Int32Array): Entries {
  let sorted = true;
  for (let k = 1; k < at.length && sorted; k++) sorted = dayAt[at[k - 1]] <= dayAt[at[k]];
  if (sorted) return { list, at, days: fillDays(days, at, dayAt) };
  const order = at.map((_, k) => k).sort((a, b) => dayAt[at[a]] - dayAt[at[b]] || a - b);
  const firstAt: number[] = [];
  for (const k of order) firstAt.push(firstAt.length && firstAt[firstAt.length - 1] < at[k] ? firstAt[firstAt.length - 1] : at[k]);
  const inOrder = order.map((k) => at[k]);
  return { list: order.map((k) => list[k]), at: inOrder, firstAt, days: fillDays(days, inOrder, dayAt) };
}

function fillDays(days: Int32Array, at: number[], dayAt: Int32Array): Int32Array {
  for (let k = 0; k < at.length; k++) days[k] = dayAt[at[k]];
  return days;
}

/**
 * Donations grouped under a key, read in dataset order, then each group put in date order. Every
 * group's days are a view of one buffer: a cut's view of them then costs no buffer of its own (a
 * small typed array's first view moves its data out of the heap, once per list per report).
 */
function grouped(donations: readonly Donation[], positions: number[], dayAt: Int32Array, key: (d: Donation) => string | undefined): Map<string, Entries> {
  const groups = new Map<string, { list: Donation[]; at: number[] }>();
  for (const i of positions) {
    const k = key(donations[i]);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) {
      group.list.push(donations[i]);
      group.at.push(i);
    } else groups.set(k, { list: [donations[i]], at: [i] });
  }
  const store = new Int32Array(positions.length);
  let used = 0;
  return new Map([...groups].map(([k, { list, at }]) => [k, inDateOrder(list, at, dayAt, store.subarray(used, (used += at.length)))]));
}

function ledgerOf(dataset: Dataset): Ledger {
  let ledger = ledgers.get(dataset);
  if (ledger) return ledger;
  const { donations } = dataset;
  const gifts: number[] = [];
  const failed: number[] = [];
  const dayAt = new Int32Array(donations.length);
  // Gift positions by day too: the days sorted give every gift in date order without sorting 100,000s of them.
  const giftDays = new Map<number, number[]>();
  const donationType = new Map<string | undefined, boolean>();
  donations.forEach((d, i) => {
    const kind = d.status === 'completed' ? gifts : d.status === 'failed' ? failed : undefined;
    if (!kind) return;
    let counts = donationType.get(d.financial_type);
    if (counts === undefined) donationType.set(d.financial_type, (counts = isDonationType(d, dataset)));
    if (!counts) return;
    kind.push(i);
    dayAt[i] = dayNumber(d.date);
    if (kind !== gifts) return;
    const day = giftDays.get(dayAt[i]);
    if (day) day.push(i);
    else giftDays.set(dayAt[i], [i]);
  });
  const byDate = [...giftDays.keys()].sort((a, b) => a - b).flatMap((day) => giftDays.get(day)!);
  const inOrder = inDateOrder(byDate.map((i) => donations[i]), byDate, dayAt, new Int32Array(byDate.length));
  const giftsByContact = grouped(donations, gifts, dayAt, (d) => d.contact_id);
  ledger = {
    gifts: inOrder,
    columns: giftColumns(inOrder, giftsByContact, donations.length, dataset.settings.currency),
    giftsByContact,
    failedByContact: grouped(donations, failed, dayAt, (d) => d.contact_id),
    giftsByPlan: grouped(donations, gifts, dayAt, (d) => d.recurring_id),
  };
  ledgers.set(dataset, ledger);
  return ledger;
}

/**
 * The date-ordered gifts as flat columns, so that a period's totals read a few numbers instead of
 * every one of its gifts (Donation objects lie all over memory): running sums of the org currency's
 * amounts and counts, and each gift's donor as a number, so distinct donors are counted by marking
 * numbers instead of building Sets of ids.
 */
export interface GiftColumns {
  /** Each gift's day number (YYYYMMDD), in date order. */
  days: Int32Array;
  /** orgAmountBefore[i]: the sum of the first i gifts in the org currency (exact: integer minor units); orgGiftsBefore[i] their count. */
  orgAmountBefore: Float64Array;
  orgGiftsBefore: Int32Array;
  /** Each gift's donor, numbered from 0. */
  donor: Int32Array;
  /** Each donor's first gift day ever. */
  firstDay: Int32Array;
  orgCurrency: string;
  /** The gifts in other currencies (few), in date order, and their positions among all gifts. */
  others: Donation[];
  otherAt: Int32Array;
}

/** The columns of the date-ordered gifts of a dataset of `size` donations, whose donors are numbered in the order of `byContact` (the same gifts by contact). */
function giftColumns({ list, at, days }: Entries, byContact: Map<string, Entries>, size: number, orgCurrency: string): GiftColumns {
  const orgAmountBefore = new Float64Array(list.length + 1);
  const orgGiftsBefore = new Int32Array(list.length + 1);
  // Donors are numbered through the lists by contact, not by looking up each gift's contact id (100,000s of string hashes).
  const dateRank = new Int32Array(size);
  at.forEach((position, i) => (dateRank[position] = i));
  const donor = new Int32Array(list.length);
  const firstDay = new Int32Array(byContact.size);
  let n = 0;
  for (const entries of byContact.values()) {
    for (const position of entries.at) donor[dateRank[position]] = n;
    firstDay[n++] = entries.days[0];
  }
  const others: Donation[] = [];
  const otherAt: number[] = [];
  list.forEach((g, i) => {
    const org = (g.currency ?? orgCurrency) === orgCurrency;
    if (!org) {
      others.push(g);
      otherAt.push(i);
    }
    orgAmountBefore[i + 1] = orgAmountBefore[i] + (org ? g.amount : 0);
    orgGiftsBefore[i + 1] = orgGiftsBefore[i] + (org ? 1 : 0);
  });
  return { days, orgAmountBefore, orgGiftsBefore, donor, firstDay, orgCurrency, others, otherAt: Int32Array.from(otherAt) };
}

/** The date-ordered gifts' columns, once per dataset. */
export const giftColumnsOf = (dataset: Dataset): GiftColumns => ledgerOf(dataset).columns;

/** Positions [start, end) in the date-ordered gifts. */
export interface GiftRange {
  start: number;
  end: number;
}

/** The gifts of a period as positions in the date-ordered columns. */
export function giftRange({ days }: GiftColumns, period: Period): GiftRange {
  const start = countThrough(days, dayNumber(period.start) - 1);
  return { start, end: Math.max(start, countThrough(days, dayNumber(period.end))) };
}

/** sumMoney of the gifts in a range: the org currency's from the running sums, other currencies from their few gifts. */
export function moneyIn(c: GiftColumns, { start, end }: GiftRange): MoneySum {
  const others = c.others.slice(countWhile(c.otherAt.length, (i) => c.otherAt[i] < start), countWhile(c.otherAt.length, (i) => c.otherAt[i] < end));
  return {
    amount_minor: c.orgAmountBefore[end] - c.orgAmountBefore[start],
    gifts: c.orgGiftsBefore[end] - c.orgGiftsBefore[start],
    other: sumMoney(others, c.orgCurrency).other,
  };
}

/** How many distinct donors gave in a range. */
export function donorsIn(c: GiftColumns, { start, end }: GiftRange): number {
  const seen = new Uint8Array(c.firstDay.length);
  let donors = 0;
  for (let i = start; i < end; i++) {
    if (seen[c.donor[i]]) continue;
    seen[c.donor[i]] = 1;
    donors++;
  }
  return donors;
}

/** YYYY-MM-DD as the number YYYYMMDD, which orders as the text does (read digit by digit: no substrings for each of 100,000s of dates). */
export function dayNumber(date: string): number {
  let n = 0;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) n = n * 10 + date.charCodeAt(i) - 48;
  return n;
}

/** How many leading items of a sorted list `before` holds for (binary search: it holds for a prefix). */
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

/** How many items of a date-ordered list are dated before `date`, or on it too with `through`. */
const countBefore = (sorted: readonly Donation[], date: string, through = false): number =>
  countWhile(sorted.length, (i) => sorted[i].date < date || (through && sorted[i].date === date));

/** How many of a sorted list of day numbers are on or before `day`. */
const countThrough = (days: Int32Array, day: number): number => countWhile(days.length, (i) => days[i] <= day);

/**
 * Found entries put in the order a scan of the dataset would first meet each key (as grouping by a
 * scan did). They are found in the ledger's key order, which is that order, unless `moved`: a
 * reordered list or a filter can move where a key is first met.
 */
function inScanOrder<F extends { first: number }>(found: F[], moved: boolean): F[] {
  return moved ? found.sort((a, b) => a.first - b.first) : found;
}

/** Each key's entries as of D in date order, and their day numbers (YYYYMMDD) in the same order. */
export interface Cut {
  days: Map<string, Int32Array>;
  /** The entries themselves, listed on the first call: a test of dates needs only the days. */
  lists(): Map<string, Donation[]>;
}

/**
 * Each key's entries dated on or before D that `keep` accepts, in date order. A list wholly on or
 * before D is the ledger's own (shared, never to be changed: no copy for each date a report asks about).
 */
function cut(lists: Map<string, Entries>, asOf: string, keep?: (d: Donation) => boolean): Cut {
  // `list` holds the key's entries as of D first (all of them with a filter), as many as `days`.
  const found: { first: number; key: string; list: Donation[]; days: Int32Array }[] = [];
  const day = dayNumber(asOf);
  let moved = !!keep;
  for (const [key, { list, at, firstAt, days }] of lists) {
    const end = countThrough(days, day);
    if (!keep) {
      if (!end) continue;
      if (firstAt) moved = true;
      found.push({ first: firstAt ? firstAt[end - 1] : at[0], key, list, days: end === list.length ? days : days.subarray(0, end) });
      continue;
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
    if (kept.length) found.push({ first, key, list: kept, days: Int32Array.from(keptDays) });
  }
  const inOrder = inScanOrder(found, moved);
  let listed: Map<string, Donation[]> | undefined;
  return {
    days: new Map(inOrder.map((f) => [f.key, f.days])),
    lists: () => (listed ??= new Map(inOrder.map((f) => [f.key, f.list.length === f.days.length ? f.list : f.list.slice(0, f.days.length)]))),
  };
}

const filterOf = (dataset: Dataset, filters: GiftFilters) =>
  Object.values(filters).some((v) => v !== undefined) ? (d: Donation) => passesFilters(d, filters, dataset.settings.currency) : undefined;

/** Gifts as of D that pass the filters, grouped by contact, each list's day numbers in date order, and the lists on demand. */
export const giftsAndDaysByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Cut =>
  cut(ledgerOf(dataset).giftsByContact, asOf, filterOf(dataset, filters));

/** Gifts as of D that pass the filters, grouped by contact, each list in date order. */
export const giftsByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> =>
  giftsAndDaysByContact(dataset, asOf, filters).lists();

/** Failed attempts as of D that pass the filters, grouped by contact, each list in date order. */
export const failedByContact = (dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, Donation[]> =>
  cut(ledgerOf(dataset).failedByContact, asOf, filterOf(dataset, filters)).lists();

/** How many gifts (as of D) reference each plan: the installments paid so far. */
export function giftsPerPlan(dataset: Dataset, asOf: string): Map<string, number> {
  const found: { first: number; key: string; value: number }[] = [];
  const day = dayNumber(asOf);
  let moved = false;
  for (const [key, { at, firstAt, days }] of ledgerOf(dataset).giftsByPlan) {
    const end = countThrough(days, day);
    if (!end) continue;
    if (firstAt) moved = true;
    found.push({ first: firstAt ? firstAt[end - 1] : at[0], key, value: end });
  }
  return new Map(inScanOrder(found, moved).map((f) => [f.key, f.value]));
}

/** The gifts of a date-ordered list that fall in a period. */
export function giftsWithin(sorted: Donation[], period: Period): Donation[] {
  return sorted.slice(countBefore(sorted, period.start), countBefore(sorted, period.end, true));
}

/** A period as day numbers, to compare with many lists of days. */
export interface DayPeriod {
  start: number;
  end: number;
}

export const dayPeriod = (period: Period): DayPeriod => ({ start: dayNumber(period.start), end: dayNumber(period.end) });

export const dayWithin = (day: number, period: DayPeriod): boolean => day >= period.start && day <= period.end;

/** Whether a sorted list of day numbers has one in a period (the first from its start is in it). */
export function hasDayWithin(days: Int32Array, period: DayPeriod): boolean {
  const i = countThrough(days, period.start - 1);
  return i < days.length && days[i] <= period.end;
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
  const { list, at } = ledgerOf(dataset).gifts;
  const positions = Int32Array.from(at.slice(countBefore(list, period.start), countBefore(list, period.end, true)));
  return Array.from(positions.sort(), (i) => dataset.donations[i]);
}

/** An amount in a currency other than the org's: listed beside the totals, never added to them. */
export interface OtherCurrency {
  currency: string;
  gifts: number;
  amount_minor: number;
}

/** What gifts add up to in `currency` (amount and count), and per other currency what was given in it. */
export interface MoneySum {
  amount_minor: number;
  gifts: number;
  other: OtherCurrency[];
}

/** sumMoney added gift by gift, for a caller that reads each gift once for several sums. */
export function moneySums(currency: string): { add(g: Donation): void; sum(): MoneySum } {
  const sums = new Map<string, { gifts: number; amount_minor: number }>();
  return {
    add(g) {
      const c = g.currency ?? currency;
      const sum = sums.get(c);
      if (sum) {
        sum.gifts++;
        sum.amount_minor += g.amount;
      } else sums.set(c, { gifts: 1, amount_minor: g.amount });
    },
    sum() {
      const other = [...sums]
        .filter(([c]) => c !== currency)
        .map(([c, sum]) => ({ currency: c, ...sum }))
        .sort((a, b) => a.currency.localeCompare(b.currency));
      return { amount_minor: sums.get(currency)?.amount_minor ?? 0, gifts: sums.get(currency)?.gifts ?? 0, other };
    },
  };
}

/** The sum and count of the gifts in `currency`, and per other currency what was given in it. */
export function sumMoney(gifts: Donation[], currency: string): MoneySum {
  const sums = moneySums(currency);
  for (const g of gifts) sums.add(g);
  return sums.sum();
}

/** The gifts of a period that are their donor's first gift ever (of the gifts on their first day, the first in sheet order). */
export function firstGiftsIn(dataset: Dataset, period: Period): Set<Donation> {
  const { gifts: { list }, columns } = ledgerOf(dataset);
  const { start, end } = giftRange(columns, period);
  const firsts = new Set<Donation>();
  const found = new Uint8Array(columns.firstDay.length);
  // Gifts of a day are in sheet order, so a donor's first gift is the first of theirs met on their first day.
  for (let i = start; i < end; i++) {
    const donor = columns.donor[i];
    if (found[donor] || columns.days[i] !== columns.firstDay[donor]) continue;
    found[donor] = 1;
    firsts.add(list[i]);
  }
  return firsts;
}

const firstRecurringDays = new WeakMap<Dataset, Map<string, number>>();

/** Each contact's first recurring gift day (a gift with a recurring_id), whatever its date, once per dataset: they have one as of D when it is on or before D. */
export function firstRecurringGiftDays(dataset: Dataset): Map<string, number> {
  let firsts = firstRecurringDays.get(dataset);
  if (firsts) return firsts;
  firsts = new Map();
  for (const [contact_id, { list, days }] of ledgerOf(dataset).giftsByContact) {
    const i = list.findIndex((g) => g.recurring_id);
    if (i >= 0) firsts.set(contact_id, days[i]);
  }
  firstRecurringDays.set(dataset, firsts);
  return firsts;
}

/** The date of the earliest gift ever, as of D (D itself when there is none). */
export function firstGiftDate(dataset: Dataset, asOf: string): string {
  const date = ledgerOf(dataset).gifts.list[0]?.date;
  return date !== undefined && date <= asOf ? date : asOf;
}
