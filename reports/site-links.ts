/**
 * Addresses of the static site's pages, as emails and printed sheets link to them. The site puts
 * the default locale's pages at the root and the other locale's under /<locale>/ (site/pages/[...lang]).
 */
const siteBase = (siteUrl: string) => siteUrl.replace(/\/+$/, '');

/** The public web version of a mailing on the static site (the newsletter archive). */
export const webVersionUrl = (siteUrl: string, mailingId: string) => `${siteBase(siteUrl)}/newsletters/${encodeURIComponent(mailingId)}/`;

/** The static site's unsubscribe page; it posts the token to the Google Form. */
export const unsubscribePageUrl = (siteUrl: string, token: string) => `${siteBase(siteUrl)}/unsubscribe/?t=${encodeURIComponent(token)}`;

/** A page of the static site in a locale: the default locale's pages are at the root, the other's under /<locale>/. */
export function sitePageUrl(siteUrl: string, page: string, locale?: string, defaultLocale?: string): string {
  const prefix = locale && defaultLocale && locale !== defaultLocale ? `/${locale}` : '';
  return `${siteBase(siteUrl)}${prefix}/${page}/`;
}

/** What a preference-centre link carries besides the token, so the page shows the current choices. */
export interface PreferenceChoices {
  channels: readonly string[];
  topics: readonly string[];
  frequency: string;
}

/**
 * The preference centre: /preferences/?t=<token>&channels=email,sms&topics=newsletter,events&frequency=monthly,
 * and &u=<unsubscribe token> when given, so the page's "unsubscribe from everything" is one click too.
 */
export function preferencesPageUrl(siteUrl: string, token: string, choices?: PreferenceChoices, locale?: string, defaultLocale?: string, unsubscribeToken?: string): string {
  const url = new URL(sitePageUrl(siteUrl, 'preferences', locale, defaultLocale));
  url.searchParams.set('t', token);
  if (unsubscribeToken) url.searchParams.set('u', unsubscribeToken);
  if (choices) {
    url.searchParams.set('channels', choices.channels.join(','));
    url.searchParams.set('topics', choices.topics.join(','));
    url.searchParams.set('frequency', choices.frequency);
  }
  return url.toString();
}

/** The sign-up confirmation page: /confirm/?t=<token>; it posts the token back through the sign-up form. */
export function confirmPageUrl(siteUrl: string, token: string, locale?: string, defaultLocale?: string): string {
  const url = new URL(sitePageUrl(siteUrl, 'confirm', locale, defaultLocale));
  url.searchParams.set('t', token);
  return url.toString();
}

/** The sign-up page, with the event whose sign-ups also become its participants: /join/?event=<id>. */
export function joinPageUrl(siteUrl: string, eventId?: string, locale?: string, defaultLocale?: string): string {
  const url = new URL(sitePageUrl(siteUrl, 'join', locale, defaultLocale));
  if (eventId) url.searchParams.set('event', eventId);
  return url.toString();
}
