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
  at: Int32Array;
  firstAt?: Int32Array;
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
 * Entries from the donations at positions `at`, already in date order (equal dates in dataset
 * order); `dayAt` by dataset position, `days` (as long as the list) filled with their days.
 */
function entriesOf(donations: readonly Donation[], at: Int32Array, dayAt: Int32Array, days: Int32Array): Entries {
  const entries: Entries = { list: donationsAt(donations, at), at, days: fillDays(days, at, dayAt) };
  let k = 1;
  while (k < at.length && at[k - 1] < at[k]) k++;
  if (k < at.length) {
    // Reordered (a sheet not kept by date): where a scan stopping at each entry's date would first meet the key.
    const firstAt = (entries.firstAt = new Int32Array(at.length));
    at.forEach((i, j) => (firstAt[j] = j && firstAt[j - 1] < i ? firstAt[j - 1] : i));
  }
  return entries;
}

/** Positions put in date order, equal dates in dataset order: by day, then the days sorted (a few thousand, not 100,000s of positions). */
function inDateOrder(positions: readonly number[], dayAt: Int32Array): Int32Array {
  const byDay = new Map<number, number[]>();
  // Indexed loops here and below: these run once per dataset, before the optimiser would drop for…of's step objects (half a million of them a loop).
  for (let p = 0; p < positions.length; p++) {
    const i = positions[p];
    const day = byDay.get(dayAt[i]);
    if (day) day.push(i);
    else byDay.set(dayAt[i], [i]);
  }
  const sorted = new Int32Array(positions.length);
  let k = 0;
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) for (const i of byDay.get(day)!) sorted[k++] = i;
  return sorted;
}

/** The donations at these positions (a loop: Array.from with a function is several times slower on a typed array). */
function donationsAt(donations: readonly Donation[], at: Int32Array): Donation[] {
  const list = new Array<Donation>(at.length);
  for (let k = 0; k < at.length; k++) list[k] = donations[at[k]];
  return list;
}

function fillDays(days: Int32Array, at: Int32Array, dayAt: Int32Array): Int32Array {
  for (let k = 0; k < at.length; k++) days[k] = dayAt[at[k]];
  return days;
}

/**
 * Keys numbered in the order they are first given (a contact id, a plan id), so that donations are
 * grouped by number: each donation read once, then grouped without touching it again.
 */
class KeyNumbers {
  readonly keys: string[] = [];
  private readonly numbers = new Map<string, number>();

  numberOf(key: string): number {
    let n = this.numbers.get(key);
    if (n === undefined) this.numbers.set(key, (n = this.keys.push(key) - 1));
    return n;
  }
}

/**
 * The donations at `positions` (in dataset order) grouped by their key's number (`keyAt`, by
 * dataset position; -1: none), groups in the order a scan meets them, each in date order: filled
 * from the same positions in date order (`dated`), so no group is sorted. All the groups' positions
 * and days are views of two buffers: two allocations, not two growing arrays per contact.
 */
function grouped(donations: readonly Donation[], positions: readonly number[], dated: Int32Array, keyAt: Int32Array, { keys }: KeyNumbers, dayAt: Int32Array): Map<string, Entries> {
  const count = new Int32Array(keys.length);
  const met: number[] = [];
  for (let p = 0; p < positions.length; p++) {
    const k = keyAt[positions[p]];
    if (k >= 0 && count[k]++ === 0) met.push(k);
  }
  const start = new Int32Array(keys.length);
  let used = 0;
  for (const k of met) {
    start[k] = used;
    used += count[k];
  }
  const at = new Int32Array(used);
  const next = start.slice();
  for (let p = 0; p < dated.length; p++) {
    const i = dated[p];
    const k = keyAt[i];
    if (k >= 0) at[next[k]++] = i;
  }
  const days = new Int32Array(used);
  const groups = new Map<string, Entries>();
  for (const k of met) {
    const end = start[k] + count[k];
    groups.set(keys[k], entriesOf(donations, at.subarray(start[k], end), dayAt, days.subarray(start[k], end)));
  }
  return groups;
}

/** The ledger of a dataset, built on first use. */
export function ledgerOf(dataset: Dataset): Ledger {
  let ledger = ledgers.get(dataset);
  if (ledger) return ledger;
  const { donations } = dataset;
  const gifts: number[] = [];
  const failed: number[] = [];
  const dayAt = new Int32Array(donations.length);
  // Each donation is read once (they lie all over memory): its day, and its contact and plan as numbers.
  const contacts = new KeyNumbers();
  const plans = new KeyNumbers();
  const contactAt = new Int32Array(donations.length).fill(-1);
  const planAt = new Int32Array(donations.length).fill(-1);
  // Whether a financial type is a donation type, asked once per type: a completed (or failed)
  // donation as of its own date is a gift (or failed attempt) exactly when its type is one.
  const donationType = new Map<string | undefined, boolean>();
  for (let i = 0; i < donations.length; i++) {
    const d = donations[i];
    const kind = d.status === 'completed' ? gifts : d.status === 'failed' ? failed : undefined;
    if (!kind) continue;
    let counts = donationType.get(d.financial_type);
    if (counts === undefined) donationType.set(d.financial_type, (counts = (kind === gifts ? isGift : isFailedAttempt)(d, dataset, d.date)));
    if (!counts) continue;
    kind.push(i);
    dayAt[i] = dayNumber(d.date);
    contactAt[i] = contacts.numberOf(d.contact_id);
    if (kind === gifts && d.recurring_id !== undefined) planAt[i] = plans.numberOf(d.recurring_id);
  }
  const giftsByDate = inDateOrder(gifts, dayAt);
  const inOrder = entriesOf(donations, giftsByDate, dayAt, new Int32Array(giftsByDate.length));
  const giftsByContact = grouped(donations, gifts, giftsByDate, contactAt, contacts, dayAt);
  ledger = {
    gifts: inOrder,
    columns: giftColumns(inOrder, giftsByContact, donations.length, dataset.settings.currency),
    giftsByContact,
    failedByContact: grouped(donations, failed, inDateOrder(failed, dayAt), contactAt, contacts, dayAt),
    giftsByPlan: grouped(donations, gifts, giftsByDate, planAt, plans, dayAt),
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
    for (let p = 0; p < entries.at.length; p++) donor[dateRank[entries.at[p]]] = n;
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
