import { EmailError } from './errors.ts';
import { giftsByContact } from '../reports/ledger/index.ts';
import { renderMarkdown } from '../reports/markdown.ts';
import { formatMoney } from '../sync/cells/money.ts';
import type { Contact, Dataset, Mailing } from '../sync/dataset.ts';
import { type Locale, STRINGS, asLocale } from './i18n.ts';
import { webVersionUrl } from '../reports/site-links.ts';
import { withUtm } from './links.ts';

export const TEMPLATES = ['newsletter', 'thank_you', 'impact_update', 'recurring_ending', 'birthday'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** What one recipient's email says about them; every field may be missing (blank cells). */
export interface Personal {
  name?: string;
  lastGift?: { amount: string; date: string };
  totals?: { amount: string; gifts: number };
  plan?: { amount?: string; end?: string };
}

export interface StoryBlock {
  title: string;
  bodyHtml?: string;
  link?: string;
  image?: string;
  author?: string;
}

/** Everything a template needs: already localised, links already tagged. */
export interface EmailProps {
  template: TemplateName;
  locale: Locale;
  subject: string;
  preview: string;
  org: { name: string; address?: string };
  stories: StoryBlock[];
  impact: { metric: string; value: string; note?: string }[];
  /** Undefined in the web version: it carries no recipient's data. */
  personal?: Personal;
  /** preferences: the preference centre ("choose what you receive"), next to unsubscribe. */
  links: { web?: string; unsubscribe?: string; preferences?: string; donate?: string };
}

export class TemplateError extends EmailError {}

/**
 * Text from a cell that goes into a header (a subject) or the inbox preview: line breaks (Alt+Enter
 * in a sheet cell) and other control characters become one space, so it stays one line and adds
 * no header of its own.
 */
export const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

export function templateOf(mailing: Mailing): TemplateName {
  const name = (mailing.template ?? 'newsletter').trim().toLowerCase().replace(/[\s-]+/g, '_') as TemplateName;
  if (!TEMPLATES.includes(name)) {
    throw new TemplateError(`mailings row ${mailing.row}, column template: "${mailing.template}" is not a template: use one of ${TEMPLATES.join(', ')}`);
  }
  return name;
}

export const localeOf = (mailing: Pick<Mailing, 'locale'>, dataset: Pick<Dataset, 'settings'>): Locale =>
  asLocale(mailing.locale, dataset.settings.default_locale);

/** The mailing's stories in position order (blank positions last, then sheet order). */
export function storiesOf(dataset: Dataset, mailingId: string) {
  return dataset.stories
    .filter((s) => s.mailing_id === mailingId)
    .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.row - b.row);
}

function donateUrl(dataset: Dataset): string | undefined {
  const campaign = dataset.campaigns
    .filter((c) => c.published && c.payment_url)
    .sort((a, b) => (b.start_date ?? '').localeCompare(a.start_date ?? ''))[0];
  return campaign?.payment_url ?? dataset.settings.site_url;
}

function nameOf(contact: Contact, locale: Locale): string | undefined {
  const { first_name: first, last_name: last, organization } = contact;
  if (locale === 'zh-TW' && (first || last)) return `${last ?? ''}${first ?? ''}`;
  return first ?? last ?? organization;
}

/** Name, last gift, totals and an ending plan, each only when the data has it. */
export function personalOf(dataset: Dataset, asOf: string, contact: Contact, locale: Locale, gifts = giftsByContact(dataset, asOf)): Personal {
  const money = (minor: number, currency?: string) => formatMoney(minor, currency ?? dataset.settings.currency, locale);
  const list = gifts.get(contact.contact_id) ?? [];
  const personal: Personal = { name: nameOf(contact, locale) };
  const last = list.at(-1);
  if (last) personal.lastGift = { amount: money(last.amount, last.currency), date: last.date };
  if (list.length > 0) {
    // Different currencies are never added together: one total per currency.
    const byCurrency = new Map<string, number>();
    for (const g of list) byCurrency.set(g.currency ?? dataset.settings.currency, (byCurrency.get(g.currency ?? dataset.settings.currency) ?? 0) + g.amount);
    const amount = [...byCurrency].map(([c, minor]) => money(minor, c)).join(locale === 'zh-TW' ? '、' : ', ');
    personal.totals = { amount, gifts: list.length };
  }
  const plan = dataset.recurring
    .filter((p) => p.contact_id === contact.contact_id && p.end_date && p.end_date >= asOf)
    .sort((a, b) => a.end_date!.localeCompare(b.end_date!))[0];
  if (plan) personal.plan = { amount: money(plan.amount, plan.currency), end: plan.end_date };
  return personal;
}

export interface RecipientLinks {
  contact: Contact;
  unsubscribeUrl: string;
  preferencesUrl?: string;
}

/**
 * The template's input for one recipient, or for the web version when `recipient` is undefined:
 * then there is no personal data, no unsubscribe link and no tracking on the links.
 */
export function emailProps(dataset: Dataset, asOf: string, mailing: Mailing, recipient?: RecipientLinks, gifts?: ReturnType<typeof giftsByContact>): EmailProps {
  const shared = mailingProps(dataset, mailing, !!recipient);
  return recipient ? forRecipient(shared, dataset, asOf, mailing, recipient, gifts) : shared;
}

/**
 * What every recipient of a mailing shares (stories, impact, links; tracked when `tracked`):
 * built once per mailing, since the stories' Markdown is the same for all of them.
 */
export function mailingProps(dataset: Dataset, mailing: Mailing, tracked: boolean): EmailProps {
  const locale = localeOf(mailing, dataset);
  const tag = tracked ? (url: string) => withUtm(url, mailing.mailing_id) : (url: string) => url;
  const { site_url: siteUrl, org_name, org_address } = dataset.settings;
  const donate = donateUrl(dataset);
  const latestPeriod = dataset.impact.filter((r) => r.public).map((r) => r.period).sort().at(-1);
  return {
    template: templateOf(mailing),
    locale,
    subject: oneLine(mailing.subject),
    preview: oneLine(mailing.preview_text ?? mailing.subject),
    org: { name: org_name, address: org_address },
    stories: storiesOf(dataset, mailing.mailing_id).map((s) => ({
      title: s.title,
      bodyHtml: s.body ? renderMarkdown(s.body, (href, place) => (place === 'a' ? tag(href) : href)) : undefined,
      link: s.link_url && tag(s.link_url),
      image: s.image_url,
      author: s.author,
    })),
    impact: dataset.impact
      .filter((r) => r.public && r.period === latestPeriod)
      .map((r) => ({ metric: r.metric, value: `${r.value.toLocaleString(locale)}${r.unit ? ` ${r.unit}` : ''}`, note: r.note })),
    links: {
      web: tracked && mailing.public && siteUrl ? tag(webVersionUrl(siteUrl, mailing.mailing_id)) : undefined,
      donate: donate && tag(donate),
    },
  };
}

/** One recipient's props from the mailing's shared ones: their personal data, unsubscribe and preference links. */
export function forRecipient(shared: EmailProps, dataset: Dataset, asOf: string, mailing: Mailing, recipient: RecipientLinks, gifts?: ReturnType<typeof giftsByContact>): EmailProps {
  return {
    ...shared,
    personal: personalOf(dataset, asOf, recipient.contact, shared.locale, gifts),
    links: {
      ...shared.links,
      unsubscribe: withUtm(recipient.unsubscribeUrl, mailing.mailing_id),
      ...(recipient.preferencesUrl && { preferences: withUtm(recipient.preferencesUrl, mailing.mailing_id) }),
    },
  };
}

export const stringsFor = (props: Pick<EmailProps, 'locale'>) => STRINGS[props.locale];
