import type { Dataset, Donation } from '../sync/dataset.ts';
import { campaignOf } from './campaigns.ts';
import { type OtherCurrency, firstGiftsIn, giftsIn, sumMoney } from './gifts.ts';
import { groupBy } from './group.ts';
import type { Period } from './periods.ts';

export interface AttributionRow {
  /** The source, medium, campaign… the gifts carry; null for gifts without one. */
  value: string | null;
  gifts: number;
  donors: number;
  /** Donors whose first gift ever is in the period and carries this value. */
  first_time_donors: number;
  /** In the org's currency. */
  amount_minor: number;
  other_currencies: OtherCurrency[];
}

/** A period's gifts, and those that are their donor's first gift ever. */
interface PeriodGifts {
  gifts: Donation[];
  firstGifts: Set<Donation>;
}

const periodGifts = (dataset: Dataset, period: Period): PeriodGifts => ({ gifts: giftsIn(dataset, period), firstGifts: firstGiftsIn(dataset, period) });

/** The period's gifts grouped by what `key` reads from each, largest amount first. */
export function attribute(dataset: Dataset, period: Period, key: (d: Donation) => string | undefined, { gifts, firstGifts } = periodGifts(dataset, period)): AttributionRow[] {
  return [...groupBy(gifts, (g) => key(g)?.trim() || null)]
    .map(([value, list]) => {
      const money = sumMoney(list, dataset.settings.currency);
      return {
        value, gifts: list.length, donors: new Set(list.map((g) => g.contact_id)).size,
        // A donor has one first gift: the donors whose first gift carries this value are those first gifts.
        first_time_donors: list.filter((g) => firstGifts.has(g)).length,
        amount_minor: money.amount_minor, other_currencies: money.other,
      };
    })
    .sort((a, b) => b.amount_minor - a.amount_minor || b.gifts - a.gifts || String(a.value).localeCompare(String(b.value)));
}

export const UTM_DIMENSIONS = ['utm_source', 'utm_medium', 'utm_campaign', 'campaign'] as const;
export type UtmDimension = (typeof UTM_DIMENSIONS)[number];

/** Gifts by utm_source, utm_medium, utm_campaign and campaign (a campaign-tab row by its slug) for a period. */
export function utmAttribution(dataset: Dataset, period: Period): Record<UtmDimension, AttributionRow[]> {
  const campaign = campaignOf(dataset.campaigns);
  const gifts = periodGifts(dataset, period);
  return {
    utm_source: attribute(dataset, period, (d) => d.utm_source, gifts),
    utm_medium: attribute(dataset, period, (d) => d.utm_medium, gifts),
    utm_campaign: attribute(dataset, period, (d) => d.utm_campaign, gifts),
    campaign: attribute(dataset, period, (d) => campaign(d)?.slug ?? d.campaign, gifts),
  };
}
