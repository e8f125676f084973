import type { Dataset } from '../../sync/dataset.ts';
import { purposeStatement } from '../consent-text.ts';
import type { PublicSite } from './types.ts';

/** site.json: the org as its settings describe it; `now` is when the files were made. */
export function publicSite(dataset: Dataset, asOf: string, now: Date): PublicSite {
  const s = dataset.settings;
  return {
    org_name: s.org_name, org_address: s.org_address, site_url: s.site_url, default_locale: s.default_locale,
    currency: s.currency, brand_color: s.brand_color, logo_url: s.logo_url,
    unsubscribe_form_url: s.unsubscribe_form_url, unsubscribe_form_field: s.unsubscribe_form_field,
    // The sign-up and preference pages: the forms' addresses and entry ids, the topics and the
    // purpose statement. Settings text only, written by staff for the public: nothing personal.
    signup_form: s.signup_form, preferences_form: s.preferences_form, topics: s.topics,
    purpose: { 'zh-TW': purposeStatement(s, 'zh-TW'), en: purposeStatement(s, 'en') },
    as_of: asOf, generated_at: now.toISOString(),
  };
}
