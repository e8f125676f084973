import type { Locale } from '../../sync/locale.ts';
import type { PurposeStatement } from '../consent-text.ts';
import type { GoogleForm, Topic } from '../../sync/schema/google-form.ts';

/**
 * The public aggregates: the only thing the site reads (<out>/public/*.json). Nothing here names,
 * contacts or locates a person: donors are counted, never listed; regions with fewer than
 * settings.map_min_supporters supporters carry no exact count. Money is integer minor units.
 */

/** site.json */
export interface PublicSite {
  org_name: string;
  org_address?: string;
  site_url?: string;
  default_locale: Locale;
  currency: string;
  /** Brand colour (#rrggbb) and logo from settings, when set. */
  brand_color?: string;
  logo_url?: string;
  /** settings.unsubscribe_form_url and _field: the Google Form (formResponse address) and its token
   * field (entry.NNN) the /unsubscribe/ page posts a newsletter's unsubscribe token to. */
  unsubscribe_form_url?: string;
  unsubscribe_form_field?: string;
  /** settings.signup_form / preferences_form: where /join/ (and /confirm/) and /preferences/ post, and each field's entry.NNN. */
  signup_form?: GoogleForm;
  preferences_form?: GoogleForm;
  /** settings.topics: the topics supporters choose from (the org's label, if it gave one). */
  topics?: Topic[];
  /** The purpose statement /join/ shows before its button, in each language, with its version (settings.consent_version). */
  purpose?: Record<Locale, PurposeStatement>;
  as_of: string;
  generated_at: string;
}

/** totals.json: money raised, donors counted (not named), retention. One currency: the org's. */
export interface PublicTotals {
  currency: string;
  raised_minor: number;
  gifts: number;
  donors: number;
  recurring_donors: number;
  /** Per fiscal year (label such as "2024" or "2024/25"). */
  by_year: {
    year: string;
    start: string;
    end: string;
    raised_minor: number;
    gifts: number;
    donors: number;
    new_donors: number;
    /** retained ÷ last year's donors; null when there was no last year. */
    donor_retention: number | null;
    recurring_donors: number;
  }[];
  /** Calendar months (YYYY-MM), oldest first, up to the as-of month. */
  by_month: { month: string; raised_minor: number; gifts: number; donors: number }[];
}

/** campaigns.json: published campaigns only. */
export interface PublicCampaign {
  slug: string;
  title: string;
  summary?: string;
  /** Markdown, as staff wrote it in the campaigns tab. */
  body?: string;
  image_url?: string;
  currency: string;
  goal_minor?: number;
  raised_minor: number;
  donors: number;
  start_date?: string;
  end_date?: string;
  /** Days from the as-of date to end_date (0 on the last day); null without an end date. */
  days_left: number | null;
  payment_url?: string;
  suggested_amounts_minor: number[];
  allow_recurring: boolean;
}

/** impact.json: the impact tab's rows marked public. */
export interface PublicImpactRow {
  period: string;
  metric: string;
  value: number;
  unit?: string;
  note?: string;
}

/** regions.json: supporters (contacts with map_opt_in) by region. */
export interface PublicRegions {
  min_supporters: number;
  regions: {
    /** Canonical key, e.g. "TW-TPE" for Taipei, or an ISO 3166-1 alpha-3 code for a country abroad. */
    key: string;
    name_zh: string;
    name_en: string;
    /** The exact count, or null when fewer than min_supporters (shown as "fewer than N"). */
    count: number | null;
  }[];
}

/** newsletters.json: sent mailings marked public, rendered with no recipient's data, no tracking. */
export interface PublicNewsletter {
  mailing_id: string;
  name: string;
  subject: string;
  sent_at: string;
  locale: string;
  html: string;
}
