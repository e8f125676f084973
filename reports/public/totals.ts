import type { Dataset } from '../../sync/dataset.ts';
import { donorsIn, firstGiftDate, giftCountIn, moneyIn } from '../ledger/index.ts';
import { fiscalYearHistory, recurringDonors } from '../kpis.ts';
import { monthEnd, monthsBetween } from '../../sync/periods.ts';
import type { PublicTotals } from './types.ts';

/** totals.json: all gifts to D, per fiscal year and per calendar month. Money in the org's currency only. */
export function publicTotals(dataset: Dataset, asOf: string): PublicTotals {
  const { currency } = dataset.settings;
  const sum = (start: string, end: string) => {
    const period = { start, end };
    return { raised_minor: moneyIn(dataset, period).amount_minor, gifts: giftCountIn(dataset, period), donors: donorsIn(dataset, period).count };
  };
  const years = fiscalYearHistory(dataset, asOf);
  const first = firstGiftDate(dataset, asOf);
  return {
    currency,
    ...sum(first, asOf),
    recurring_donors: recurringDonors(dataset, asOf),
    by_year: years.map((y) => ({
      year: y.year.label, start: y.year.start, end: y.year.end,
      raised_minor: y.amount, gifts: y.gifts, donors: y.donors, new_donors: y.new_donors,
      donor_retention: y.donor_retention, recurring_donors: recurringDonors(dataset, y.year.end),
    })),
    by_month: monthsBetween(first, asOf).map((month) => {
      const end = monthEnd(month);
      return { month, ...sum(`${month}-01`, end < asOf ? end : asOf) };
    }),
  };
}
