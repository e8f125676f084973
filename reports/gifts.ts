import type { Dataset, Donation } from '../sync/dataset.ts';
import { groupBy } from './group.ts';
import { type Period, within } from './periods.ts';

/**
 * A gift: a completed donation whose financial type is not a non-donation type (membership and
 * event fees by default), dated on or before D.
 */
export function isGift(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return (
    d.status === 'completed' &&
    d.date <= asOf &&
    !dataset.settings.non_donation_types.includes((d.financial_type ?? '').trim().toLowerCase())
  );
}

/** A failed donation attempt of a donation type, dated on or before D. */
export function isFailedAttempt(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return (
    d.status === 'failed' &&
    d.date <= asOf &&
    !dataset.settings.non_donation_types.includes((d.financial_type ?? '').trim().toLowerCase())
  );
}

/** Gifts as of D grouped by contact, each list in date order. */
export function giftsByContact(dataset: Dataset, asOf: string): Map<string, Donation[]> {
  const byContact = groupBy(dataset.donations.filter((d) => isGift(d, dataset, asOf)), (d) => d.contact_id);
  for (const list of byContact.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byContact;
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

/** The integer sum of the gifts in `currency`; gifts in other currencies are totalled per currency. */
export function sumMoney(gifts: readonly Donation[], currency: string): { amount_minor: number; gifts: number; other: OtherCurrency[] } {
  let amount = 0;
  let count = 0;
  const other = new Map<string, OtherCurrency>();
  for (const g of gifts) {
    const c = g.currency ?? currency;
    if (c === currency) {
      amount += g.amount;
      count++;
      continue;
    }
    const o = other.get(c) ?? { currency: c, gifts: 0, amount_minor: 0 };
    o.gifts++;
    o.amount_minor += g.amount;
    other.set(c, o);
  }
  return { amount_minor: amount, gifts: count, other: [...other.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}

/** Each donor's first gift date ever, as of D. */
export function firstGiftDates(dataset: Dataset, asOf: string): Map<string, string> {
  return new Map([...giftsByContact(dataset, asOf)].map(([id, list]) => [id, list[0].date]));
}

/** The date of the earliest gift ever, as of D (D itself when there is none). */
export const firstGiftDate = (dataset: Dataset, asOf: string): string => [...firstGiftDates(dataset, asOf).values()].sort()[0] ?? asOf;
