import type { Dataset, Donation } from '../sync/dataset.ts';
import { campaignOf } from './campaigns.ts';
import { type OtherCurrency, firstGiftsIn, giftsIn, moneySums } from './ledger/index.ts';
import type { Period } from '../sync/periods.ts';

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

/** A group's gifts as they are read, one by one. */
interface Group {
  gifts: number;
  donors: Set<string>;
  first_time_donors: number;
  money: ReturnType<typeof moneySums>;
}

export const UTM_DIMENSIONS = ['utm_source', 'utm_medium', 'utm_campaign', 'campaign'] as const;
export type UtmDimension = (typeof UTM_DIMENSIONS)[number];

/**
 * Gifts by utm_source, utm_medium, utm_campaign and campaign (a campaign-tab row by its slug) for a
 * period, each value's rows largest amount first. One pass adds each gift to its group in every
 * dimension: a period can hold 100,000s of gifts, scattered in memory, each read once.
 */
export function utmAttribution(dataset: Dataset, period: Period): Record<UtmDimension, AttributionRow[]> {
  const campaign = campaignOf(dataset.campaigns);
  const keys: Record<UtmDimension, (d: Donation) => string | undefined> = {
    utm_source: (d) => d.utm_source,
    utm_medium: (d) => d.utm_medium,
    utm_campaign: (d) => d.utm_campaign,
    campaign: (d) => campaign(d)?.slug ?? d.campaign,
  };
  const groups = UTM_DIMENSIONS.map(() => new Map<string | null, Group>());
  // A donor has one first gift: the donors whose first gift carries a value are those first gifts.
  const firstGifts = firstGiftsIn(dataset, period);
  for (const g of giftsIn(dataset, period)) {
    const first = firstGifts.has(g);
    UTM_DIMENSIONS.forEach((dimension, i) => {
      const value = keys[dimension](g)?.trim() || null;
      let group = groups[i].get(value);
      if (!group) groups[i].set(value, (group = { gifts: 0, donors: new Set(), first_time_donors: 0, money: moneySums(dataset.settings.currency) }));
      group.gifts++;
      group.donors.add(g.contact_id);
      if (first) group.first_time_donors++;
      group.money.add(g);
    });
  }
  const rows = (byValue: Map<string | null, Group>): AttributionRow[] => [...byValue]
    .map(([value, group]) => {
      const money = group.money.sum();
      return {
        value, gifts: group.gifts, donors: group.donors.size, first_time_donors: group.first_time_donors,
        amount_minor: money.amount_minor, other_currencies: money.other,
      };
    })
    .sort((a, b) => b.amount_minor - a.amount_minor || b.gifts - a.gifts || String(a.value).localeCompare(String(b.value)));
  return Object.fromEntries(UTM_DIMENSIONS.map((dimension, i) => [dimension, rows(groups[i])])) as Record<UtmDimension, AttributionRow[]>;
}
