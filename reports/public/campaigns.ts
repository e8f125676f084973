import type { Dataset } from '../../sync/dataset.ts';
import { campaignProgress } from '../campaigns.ts';
import type { PublicCampaign } from './types.ts';

/** campaigns.json: published campaigns with what they have raised (donors counted, not named). */
export function publicCampaigns(dataset: Dataset, asOf: string): PublicCampaign[] {
  const progress = new Map(campaignProgress(dataset, asOf).map((p) => [p.slug, p]));
  return dataset.campaigns
    .filter((c) => c.published)
    .map((c) => {
      const p = progress.get(c.slug)!;
      return {
        slug: c.slug, title: c.title, summary: c.summary, body: c.body, image_url: c.image_url,
        currency: p.currency, goal_minor: c.goal, raised_minor: p.raised_minor, donors: p.donors,
        start_date: c.start_date, end_date: c.end_date, days_left: p.days_left, payment_url: c.payment_url,
        suggested_amounts_minor: c.suggested_amounts ?? [], allow_recurring: c.allow_recurring ?? false,
      };
    });
}
