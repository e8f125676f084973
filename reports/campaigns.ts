import type { Campaign, Dataset, Donation } from '../sync/dataset.ts';
import { type OtherCurrency, firstGiftDate, giftsIn, sumMoney } from './gifts.ts';
import { groupBy } from './group.ts';
import { daysBetween } from './periods.ts';
import { type Rate, rate } from './rate.ts';

const key = (text: string) => text.trim().toLowerCase();

/** The campaigns-tab row a donation's campaign cell names, by slug or by title (any case). */
export function campaignOf(campaigns: readonly Campaign[]): (d: Donation) => Campaign | undefined {
  const byKey = new Map<string, Campaign>();
  for (const c of campaigns) {
    byKey.set(key(c.title), c);
    byKey.set(key(c.slug), c); // a slug wins over another campaign's identical title
  }
  return (d) => (d.campaign ? byKey.get(key(d.campaign)) : undefined);
}

export interface CampaignProgress {
  slug: string;
  title: string;
  currency: string;
  goal_minor?: number;
  /** Every gift as of D whose campaign names this one, in the campaign's currency. */
  raised_minor: number;
  gifts: number;
  /** Distinct donors of those gifts (counted, never named). */
  donors: number;
  /** raised ÷ goal; null without a goal. */
  progress: Rate;
  /** Days from D to end_date, 0 on the last day and after it; null without an end date. */
  days_left: number | null;
  /** Gifts to the campaign in other currencies: listed, never added to raised. */
  other_currencies: OtherCurrency[];
}

/** Each campaign of the campaigns tab with what it has raised as of D. */
export function campaignProgress(dataset: Dataset, asOf: string): CampaignProgress[] {
  const byCampaign = groupBy(giftsIn(dataset, { start: firstGiftDate(dataset, asOf), end: asOf }), campaignOf(dataset.campaigns));
  return dataset.campaigns.map((c) => {
    const mine = byCampaign.get(c) ?? [];
    const currency = c.currency ?? dataset.settings.currency;
    const money = sumMoney(mine, currency);
    return {
      slug: c.slug, title: c.title, currency, goal_minor: c.goal,
      raised_minor: money.amount_minor, gifts: mine.length,
      donors: new Set(mine.map((d) => d.contact_id)).size,
      progress: c.goal ? rate(money.amount_minor, c.goal) : null,
      days_left: c.end_date ? Math.max(0, daysBetween(asOf, c.end_date)) : null,
      other_currencies: money.other,
    };
  });
}
