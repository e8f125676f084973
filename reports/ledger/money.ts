import type { Donation } from '../../sync/dataset.ts';

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
export function sumMoney(gifts: readonly Donation[], currency: string): MoneySum {
  const sums = moneySums(currency);
  for (const g of gifts) sums.add(g);
  return sums.sum();
}

/** Amounts added per currency (never across currencies), in the order currencies first appear. */
export function totalsByCurrency(gifts: readonly Donation[], orgCurrency: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const g of gifts) {
    const c = g.currency ?? orgCurrency;
    totals.set(c, (totals.get(c) ?? 0) + g.amount);
  }
  return totals;
}
