import type { Dataset, RecurringPlan } from '../sync/dataset.ts';
import { type OtherCurrency, donorsIn, firstGiftDate, giftCountIn, moneyIn } from './ledger/index.ts';
import { type Period, fiscalYear, fiscalYears, plusDays, samePointLastYear, within } from '../sync/periods.ts';
import { type Rate, rate } from './rate.ts';

/** A fiscal year as far as a report counts it: from its first day to `end` (D, or the year's last day). */
export type FiscalPeriod = Period & { label: string };

/**
 * The fundraising KPIs of one fiscal year Y (its first day to its `end`), where P is the whole
 * fiscal year before Y. A donor is a contact with at least one gift (sync/gift-definition.ts isGift).
 * Counts include gifts in every currency; money is the org's currency only, other currencies
 * are listed in other_currencies and never added.
 */
export interface YearKpis {
  year: FiscalPeriod;
  last_year: FiscalPeriod;
  /** Contacts with a gift in Y. */
  donors: number;
  /** Gifts in Y. */
  gifts: number;
  /** The sum of Y's gifts in the org's currency. */
  amount: number;
  /** amount ÷ the number of Y's gifts in the org's currency, rounded to a minor unit; null without any. */
  average_gift: number | null;
  /** Y's donors whose first gift ever is in Y. */
  new_donors: number;
  /** Y's donors who also gave in P. */
  retained_donors: number;
  /** Y's donors who did not give in P but gave before P. */
  recaptured_donors: number;
  /** P's donors who have not given in Y (so far, while Y is under way). */
  lapsed_donors: number;
  /** retained ÷ P's donors; null when P had none (a first year). */
  donor_retention: Rate;
  /** Of P's new donors (first gift ever in P), the share who gave in Y. */
  new_donor_retention: Rate;
  /** Of P's donors who had also given before P, the share who gave in Y. */
  repeat_donor_retention: Rate;
  /** What P's donors gave in Y (org currency) ÷ what all donors gave in P; can exceed 100%. */
  dollar_retention: Rate;
  /** Plans in progress at the end of Y: started by then and not ended (a plan without end_date is in progress while its status is in_progress). */
  recurring_active: number;
  /** Plans whose start_date is in Y. */
  recurring_new: number;
  /** Plans whose end_date is in Y (a plan stopped without an end_date cannot be dated, so is not counted). */
  recurring_ended: number;
  /** The in-progress plans in the org's currency per month: quarterly ÷ 3, yearly ÷ 12, summed exactly, rounded once. */
  monthly_recurring_amount: number;
  other_currencies: OtherCurrency[];
  monthly_recurring_other: { currency: string; monthly_minor: number }[];
}

const PAYMENTS_PER_YEAR = { monthly: 12, quarterly: 4, yearly: 1 } as const;

export function planInProgress(plan: RecurringPlan, at: string): boolean {
  if (plan.start_date > at) return false;
  return plan.end_date ? plan.end_date > at : plan.status === 'in_progress';
}

/** Monthly amounts per currency: the exact yearly sum of payments ÷ 12, rounded to a minor unit once. */
function monthlyByCurrency(plans: readonly RecurringPlan[], orgCurrency: string): Map<string, number> {
  const yearly = new Map<string, number>();
  for (const p of plans) {
    const c = p.currency ?? orgCurrency;
    yearly.set(c, (yearly.get(c) ?? 0) + p.amount * PAYMENTS_PER_YEAR[p.frequency]);
  }
  return new Map([...yearly].map(([c, y]) => [c, Math.round(y / 12)]));
}

/**
 * The latest few years' KPIs per dataset: the dashboard, its goals and the public totals ask for
 * the same years (each read touches every gift of the year).
 */
const recentYears = new WeakMap<Dataset, Map<string, YearKpis>>();
const CACHED_YEARS = 40;

export function yearKpis(dataset: Dataset, year: FiscalPeriod): YearKpis {
  let byKey = recentYears.get(dataset);
  if (!byKey) recentYears.set(dataset, (byKey = new Map()));
  const key = `${year.start} ${year.end} ${year.label}`;
  let kpis = byKey.get(key);
  if (!kpis) {
    kpis = countYear(dataset, year);
    byKey.set(key, kpis);
    if (byKey.size > CACHED_YEARS) byKey.delete(byKey.keys().next().value!);
  }
  return structuredClone(kpis);
}

function countYear(dataset: Dataset, year: FiscalPeriod): YearKpis {
  const { currency, fiscal_year_start } = dataset.settings;
  const lastYear = fiscalYear(plusDays(year.start, -1), fiscal_year_start);
  const gave = donorsIn(dataset, year);
  // Last year's donors as of year.end (which in practice is never before the last year's end).
  const gaveLastYear = donorsIn(dataset, { start: lastYear.start, end: lastYear.end < year.end ? lastYear.end : year.end });
  const retained = gave.and(gaveLastYear);
  const lastYearNew = gaveLastYear.firstGiftFrom(lastYear.start);
  const lastYearRepeat = gaveLastYear.firstGiftBefore(lastYear.start);
  const money = moneyIn(dataset, year);

  const active = dataset.recurring.filter((p) => planInProgress(p, year.end));
  const monthly = monthlyByCurrency(active, currency);
  return {
    year, last_year: lastYear,
    donors: gave.count,
    gifts: giftCountIn(dataset, year),
    amount: money.amount_minor,
    average_gift: money.gifts === 0 ? null : Math.round(money.amount_minor / money.gifts),
    new_donors: gave.firstGiftFrom(year.start).count,
    retained_donors: retained.count,
    recaptured_donors: gave.without(gaveLastYear).firstGiftBefore(lastYear.start).count,
    lapsed_donors: gaveLastYear.count - retained.count,
    donor_retention: rate(retained.count, gaveLastYear.count),
    new_donor_retention: rate(lastYearNew.and(gave).count, lastYearNew.count),
    repeat_donor_retention: rate(lastYearRepeat.and(gave).count, lastYearRepeat.count),
    dollar_retention: rate(moneyIn(dataset, year, gaveLastYear).amount_minor, moneyIn(dataset, lastYear).amount_minor),
    recurring_active: active.length,
    recurring_new: dataset.recurring.filter((p) => within(p.start_date, year)).length,
    recurring_ended: dataset.recurring.filter((p) => p.end_date && within(p.end_date, year)).length,
    monthly_recurring_amount: monthly.get(currency) ?? 0,
    other_currencies: money.other,
    monthly_recurring_other: [...monthly].filter(([c]) => c !== currency).map(([c, m]) => ({ currency: c, monthly_minor: m })),
  };
}

/** This year to D, beside last year to the same day of the fiscal year and the whole of last year. */
export function fundraisingKpis(dataset: Dataset, asOf: string): { thisYear: YearKpis; lastYearToDate: YearKpis; lastYear: YearKpis } {
  const fyStart = dataset.settings.fiscal_year_start;
  const { thisYear, lastYear } = fiscalYears(asOf, fyStart);
  return {
    thisYear: yearKpis(dataset, thisYear),
    lastYearToDate: yearKpis(dataset, { ...lastYear, end: samePointLastYear(asOf, fyStart) }),
    lastYear: yearKpis(dataset, lastYear),
  };
}

/** Every fiscal year from the one with the first gift to D's (D's counted to D), oldest first. */
export function fiscalYearHistory(dataset: Dataset, asOf: string): YearKpis[] {
  const fyStart = dataset.settings.fiscal_year_start;
  const first = firstGiftDate(dataset, asOf);
  const { thisYear, back } = fiscalYears(asOf, fyStart);
  const years: FiscalPeriod[] = [thisYear];
  for (let n = 1; back(n - 1).start > first; n++) years.unshift(back(n));
  return years.map((y) => yearKpis(dataset, y));
}

/** Contacts with a plan in progress on a date (counted, for the public totals). */
export const recurringDonors = (dataset: Dataset, at: string): number =>
  new Set(dataset.recurring.filter((p) => planInProgress(p, at)).map((p) => p.contact_id)).size;
