import type { Campaign, Dataset, Donation } from '../sync/dataset.ts';
import { type OtherCurrency, firstGiftDate, giftsIn, moneySums } from './ledger/index.ts';
import { daysBetween } from '../sync/periods.ts';
import { type Rate, rate } from './rate.ts';

const key = (text: string) => text.trim().toLowerCase();

/** The campaigns-tab row a donation's campaign cell names, by slug or by title (any case). */
export function campaignOf(campaigns: readonly Campaign[]): (d: Donation) => Campaign | undefined {
  const byKey = new Map<string, Campaign>();
  for (const c of campaigns) {
    byKey.set(key(c.title), c);
    byKey.set(key(c.slug), c); // a slug wins over another campaign's identical title
  }
  // Each cell's text is looked up once: gifts repeat a few campaign names 100,000s of times.
  const byText = new Map<string, Campaign | undefined>();
  return (d) => {
    if (!d.campaign) return undefined;
    if (!byText.has(d.campaign)) byText.set(d.campaign, byKey.get(key(d.campaign)));
    return byText.get(d.campaign);
  };
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
  const campaign = campaignOf(dataset.campaigns);
  const currencyOf = (c: Campaign) => c.currency ?? dataset.settings.currency;
  const byCampaign = new Map(dataset.campaigns.map((c) => [c, { gifts: 0, donors: new Set<string>(), money: moneySums(currencyOf(c)) }]));
  // One pass, each gift read once (every gift to D: 100,000s, scattered in memory).
  const gifts = giftsIn(dataset, { start: firstGiftDate(dataset, asOf), end: asOf });
  for (let i = 0; i < gifts.length; i++) {
    const g = gifts[i];
    const mine = byCampaign.get(campaign(g)!);
    if (!mine) continue;
    mine.gifts++;
    mine.donors.add(g.contact_id);
    mine.money.add(g);
  }
  return dataset.campaigns.map((c) => {
    const mine = byCampaign.get(c)!;
    const currency = currencyOf(c);
    const money = mine.money.sum();
    return {
      slug: c.slug, title: c.title, currency, goal_minor: c.goal,
      raised_minor: money.amount_minor, gifts: mine.gifts,
      donors: mine.donors.size,
      progress: c.goal ? rate(money.amount_minor, c.goal) : null,
      days_left: c.end_date ? Math.max(0, daysBetween(asOf, c.end_date)) : null,
      other_currencies: money.other,
    };
  });
}
