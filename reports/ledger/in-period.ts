import type { Dataset, Donation } from '../../sync/dataset.ts';
import type { Period } from '../../sync/periods.ts';
import { type GiftColumns, ledgerOf } from './book.ts';
import { countBefore, countThrough, countWhile, dayNumber } from './days.ts';
import { type MoneySum, sumMoney } from './money.ts';

/** Positions [start, end) in the date-ordered gifts. */
interface GiftRange {
  start: number;
  end: number;
}

/** The gifts of a period as positions in the date-ordered columns. */
function giftRange({ days }: GiftColumns, period: Period): GiftRange {
  const start = countThrough(days, dayNumber(period.start) - 1);
  return { start, end: Math.max(start, countThrough(days, dayNumber(period.end))) };
}

/**
 * Some of the dataset's donors (contacts with a gift ever), compared without their ids: what
 * year-over-year counts are made of (who gave in both years, who is new).
 */
export class Donors {
  readonly count: number;

  private constructor(private readonly columns: GiftColumns, private readonly marked: Uint8Array) {
    let count = 0;
    for (let donor = 0; donor < marked.length; donor++) count += marked[donor];
    this.count = count;
  }

  /** Who gave in a range of the date-ordered gifts. */
  static inRange(columns: GiftColumns, { start, end }: GiftRange): Donors {
    const marked = new Uint8Array(columns.firstDay.length);
    for (let i = start; i < end; i++) marked[columns.donor[i]] = 1;
    return new Donors(columns, marked);
  }

  private where(keep: (donor: number) => boolean): Donors {
    const marked = new Uint8Array(this.marked.length);
    for (let donor = 0; donor < marked.length; donor++) if (this.marked[donor] && keep(donor)) marked[donor] = 1;
    return new Donors(this.columns, marked);
  }

  /** Those who are among `other` too. */
  and(other: Donors): Donors {
    return this.where((donor) => other.marked[donor] === 1);
  }

  /** Those who are not among `other`. */
  without(other: Donors): Donors {
    return this.where((donor) => other.marked[donor] === 0);
  }

  /** Those whose first gift ever is dated on or after `date`. */
  firstGiftFrom(date: string): Donors {
    const day = dayNumber(date);
    return this.where((donor) => this.columns.firstDay[donor] >= day);
  }

  /** Those whose first gift ever is dated before `date`. */
  firstGiftBefore(date: string): Donors {
    const day = dayNumber(date);
    return this.where((donor) => this.columns.firstDay[donor] < day);
  }

  /** Whether the gift at a position of the date-ordered gifts is from one of these donors (for the ledger's own sums). */
  gaveGiftAt(position: number): boolean {
    return this.marked[this.columns.donor[position]] === 1;
  }
}

/** The donors who gave within a period. */
export function donorsIn(dataset: Dataset, period: Period): Donors {
  const { columns } = ledgerOf(dataset);
  return Donors.inRange(columns, giftRange(columns, period));
}

/** How many gifts are dated within a period, in every currency. */
export function giftCountIn(dataset: Dataset, period: Period): number {
  const { start, end } = giftRange(ledgerOf(dataset).columns, period);
  return end - start;
}

/**
 * sumMoney of the gifts dated within a period (only those from `from` when given): the org
 * currency's from the running sums, other currencies from their few gifts.
 */
export function moneyIn(dataset: Dataset, period: Period, from?: Donors): MoneySum {
  const c = ledgerOf(dataset).columns;
  const { start, end } = giftRange(c, period);
  const firstOther = countWhile(c.otherAt.length, (i) => c.otherAt[i] < start);
  let others = c.others.slice(firstOther, countWhile(c.otherAt.length, (i) => c.otherAt[i] < end));
  if (!from) {
    return {
      amount_minor: c.orgAmountBefore[end] - c.orgAmountBefore[start],
      gifts: c.orgGiftsBefore[end] - c.orgGiftsBefore[start],
      other: sumMoney(others, c.orgCurrency).other,
    };
  }
  let amount = 0;
  let gifts = 0;
  for (let i = start; i < end; i++) {
    if (!from.gaveGiftAt(i)) continue;
    amount += c.orgAmountBefore[i + 1] - c.orgAmountBefore[i];
    gifts += c.orgGiftsBefore[i + 1] - c.orgGiftsBefore[i];
  }
  others = others.filter((_, k) => from.gaveGiftAt(c.otherAt[firstOther + k]));
  return { amount_minor: amount, gifts, other: sumMoney(others, c.orgCurrency).other };
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

/** Gifts dated within a period (counted as of its last day), in dataset order. */
export function giftsIn(dataset: Dataset, period: Period): Donation[] {
  const { list, at } = ledgerOf(dataset).gifts;
  const positions = at.slice(countBefore(list, period.start), countBefore(list, period.end, true)).sort();
  const gifts = new Array<Donation>(positions.length);
  for (let k = 0; k < positions.length; k++) gifts[k] = dataset.donations[positions[k]];
  return gifts;
}

/** The date of the earliest gift ever, as of D (D itself when there is none). */
export function firstGiftDate(dataset: Dataset, asOf: string): string {
  const date = ledgerOf(dataset).gifts.list[0]?.date;
  return date !== undefined && date <= asOf ? date : asOf;
}
