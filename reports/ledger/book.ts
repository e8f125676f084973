import type { Dataset, Donation } from '../../sync/dataset.ts';
import { isFailedAttempt, isGift } from '../../sync/gift-definition.ts';
import { dayNumber } from './days.ts';

/**
 * Donations of a kind under one key (a contact, a plan) in date order, equal dates in dataset order,
 * with each one's position in the dataset. Positions rise along a list that was already in date
 * order; a list that had to be reordered keeps firstAt[i], the lowest of at[0..i]: where a scan of
 * the dataset would first meet the key if it stopped at that entry's date.
 */
export interface Entries {
  list: Donation[];
  at: number[];
  firstAt?: number[];
  /** Each one's date as a number (20240105): searched without reading the donations, which lie all over memory. */
  days: Int32Array;
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

/**
 * Every gift and every failed attempt of a donation type, whatever its date, put in date order once
 * per dataset (which is never mutated). "As of D" is then a cut of each date-ordered list by binary
 * search, and "within a period" a slice of one list, instead of a scan, filter and sort of every
 * donation for each date a report asks about.
 */
export interface Ledger {
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
 * group's days are a view of one buffer: one allocation, not one small typed array per contact.
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

/** The ledger of a dataset, built on first use. */
export function ledgerOf(dataset: Dataset): Ledger {
  let ledger = ledgers.get(dataset);
  if (ledger) return ledger;
  const { donations } = dataset;
  const gifts: number[] = [];
  const failed: number[] = [];
  const dayAt = new Int32Array(donations.length);
  // Gift positions by day too: the days sorted give every gift in date order without sorting 100,000s of them.
  const giftDays = new Map<number, number[]>();
  // Whether a financial type is a donation type, asked once per type: a completed (or failed)
  // donation as of its own date is a gift (or failed attempt) exactly when its type is one.
  const donationType = new Map<string | undefined, boolean>();
  donations.forEach((d, i) => {
    const kind = d.status === 'completed' ? gifts : d.status === 'failed' ? failed : undefined;
    if (!kind) return;
    let counts = donationType.get(d.financial_type);
    if (counts === undefined) donationType.set(d.financial_type, (counts = (kind === gifts ? isGift : isFailedAttempt)(d, dataset, d.date)));
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
