import { type Minor, formatMoney } from '../../sync/cells/money.ts';
import type { Contact, Dataset, Donation } from '../../sync/dataset.ts';
import { displayName } from '../contacts.ts';
import { giftsByContact, giftsWithin, totalsByCurrency } from '../ledger/index.ts';
import { type Period, fiscalYear } from '../../sync/periods.ts';
import type { Locale } from '../../sync/locale.ts';
import { chineseAmount } from './numerals.ts';

/**
 * One printed page, as both renderers (PDF and HTML) draw it: the org's letterhead, a title,
 * label/value fields, an optional table of gifts, and the signatory. Receipts and annual
 * summaries are built as Sheets, so there is one layout to get right.
 */
export interface Sheet {
  locale: Locale;
  /** What the donor sees as the attachment's name: the receipt number, or summary-<year>-<contact_id>; safe in any file system. */
  name: string;
  /**
   * The files' name in receipts/: one per gift (receipt-<donation_id>) or donor (the summary's
   * name), never shared, so nothing can be written over by another donor's page. Receipt numbers
   * cannot be the key: 2024/1 and 2024-1 make one name, and one number may be typed on two gifts.
   */
  file: string;
  /** The date the page is about (the gift's, the fiscal year's end): the PDF's date, so a re-render is byte-identical. */
  date: string;
  org: { name: string; lines: string[] };
  title: string;
  fields: [label: string, value: string][];
  table?: { head: string[]; rows: string[][]; foot: string[] };
  signatory?: string;
  note: string;
}

const TEXT = {
  'zh-TW': {
    receipt: '捐款收據', summary: (year: string) => `${year} 年度捐款證明`, taxId: '統一編號', address: '地址',
    receiptNo: '收據編號', date: '捐款日期', donor: '捐款人', amount: '金額', words: '大寫金額', purpose: '捐款用途',
    payment: '付款方式', period: '期間', total: '合計', gifts: '筆數', general: '一般捐款',
    receiptNote: '感謝您的支持。本收據由系統開立，收據編號不重複使用。',
    summaryNote: '本證明列出您於該年度的每一筆捐款及其收據編號，供報稅之用。感謝您一整年的支持。',
  },
  en: {
    receipt: 'Donation receipt', summary: (year: string) => `Giving summary ${year}`, taxId: 'Tax ID', address: 'Address',
    receiptNo: 'Receipt no.', date: 'Date', donor: 'Donor', amount: 'Amount', words: 'Amount in words', purpose: 'Purpose',
    payment: 'Payment method', period: 'Period', total: 'Total', gifts: 'Gifts', general: 'General donation',
    receiptNote: 'Thank you for your support. This receipt was issued by our donor system; receipt numbers are never reused.',
    summaryNote: 'This summary lists each of your gifts in the year with its receipt number, for your tax return. Thank you for a year of support.',
  },
} as const;

/** The contact's language when it is one we write (zh…, en…), else the org's default. */
export function contactLocale(contact: Contact, dataset: Pick<Dataset, 'settings'>): Locale {
  const language = (contact.language ?? '').toLowerCase();
  if (language.startsWith('zh') || language.includes('中文')) return 'zh-TW';
  if (language.startsWith('en') || language.includes('英')) return 'en';
  return dataset.settings.default_locale;
}

/** The name a receipt is made out to: the organization when there is one, else the person. */
export const donorName = (contact: Contact): string => contact.organization ?? displayName(contact);

function letterhead(dataset: Pick<Dataset, 'settings'>, locale: Locale): Sheet['org'] {
  const { settings } = dataset;
  const t = TEXT[locale];
  const lines = [
    settings.org_tax_id && `${t.taxId}${locale === 'zh-TW' ? '：' : ': '}${settings.org_tax_id}`,
    settings.org_address && `${t.address}${locale === 'zh-TW' ? '：' : ': '}${settings.org_address}`,
  ];
  return { name: settings.org_name, lines: lines.filter((l): l is string => !!l) };
}

/** What the gift was for: the campaign's title (or slug) and the financial type. */
function purpose(d: Donation, dataset: Pick<Dataset, 'campaigns'>, locale: Locale): string {
  const campaign = d.campaign && (dataset.campaigns.find((c) => c.slug === d.campaign)?.title ?? d.campaign);
  return [campaign, d.financial_type].filter(Boolean).join(' / ') || TEXT[locale].general;
}

const money = (minor: Minor, currency: string, locale: Locale) => formatMoney(minor, currency, locale);
/** A file-name-safe stem: the 2024/25 in a fiscal year label becomes 2024-25. */
export const fileStem = (text: string) => text.replace(/[^\p{L}\p{N}._-]+/gu, '-');

/** The receipt for one gift; it must have its receipt number. */
export function receiptSheet(d: Donation & { receipt_no: string }, contact: Contact, dataset: Dataset): Sheet {
  const locale = contactLocale(contact, dataset);
  const t = TEXT[locale];
  const fields: Sheet['fields'] = [
    [t.receiptNo, d.receipt_no],
    [t.date, d.date],
    [t.donor, donorName(contact)],
    [t.amount, money(d.amount, d.currency ?? dataset.settings.currency, locale)],
  ];
  if (locale === 'zh-TW') fields.push([t.words, chineseAmount(d.amount, d.currency ?? dataset.settings.currency)]);
  fields.push([t.purpose, purpose(d, dataset, locale)]);
  if (d.payment_method) fields.push([t.payment, d.payment_method]);
  return {
    locale, name: fileStem(d.receipt_no), file: `receipt-${d.donation_id}`, date: d.date, org: letterhead(dataset, locale), title: t.receipt, fields,
    signatory: dataset.settings.receipt_signatory, note: t.receiptNote,
  };
}

/** One donor's gifts in a fiscal year, for the annual summary. */
export interface DonorYear {
  contact: Contact;
  gifts: Donation[];
  /** Sums per currency (never added across currencies). */
  totals: { currency: string; amount: Minor }[];
}

/** The fiscal year whose label is `year` (2024, or 2024/25 when the year starts on 07-01). */
export function fiscalYearByLabel(year: string, dataset: Pick<Dataset, 'settings'>): Period & { label: string } {
  const { fiscal_year_start } = dataset.settings;
  const example = fiscalYear(`2024-${fiscal_year_start}`, fiscal_year_start).label;
  const found = /^\d{4}/.test(year) ? fiscalYear(`${year.slice(0, 4)}-${fiscal_year_start}`, fiscal_year_start) : undefined;
  if (!found || found.label !== year) {
    throw new RangeError(`${year} is not a fiscal year: write it the way receipt numbers show it, e.g. ${example} (fiscal years start on ${fiscal_year_start})`);
  }
  return found;
}

/** Each donor's gifts in the fiscal year, as of D, in donor then date order (pure). */
export function donorYears(dataset: Dataset, year: Period, asOf: string): DonorYear[] {
  const contacts = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  return [...giftsByContact(dataset, asOf)]
    .map(([id, gifts]) => ({ contact: contacts.get(id)!, gifts: giftsWithin(gifts, year) }))
    .filter(({ gifts }) => gifts.length > 0)
    .sort((a, b) => a.contact.contact_id.localeCompare(b.contact.contact_id))
    .map(({ contact, gifts }) => ({
      contact, gifts,
      totals: [...totalsByCurrency(gifts, dataset.settings.currency)].map(([currency, amount]) => ({ currency, amount })),
    }));
}

/** The annual giving summary for one donor: every gift with its receipt number, and the totals. */
export function summarySheet(donor: DonorYear, year: Period & { label: string }, dataset: Dataset): Sheet {
  const locale = contactLocale(donor.contact, dataset);
  const t = TEXT[locale];
  const currencyOf = (d: Donation) => d.currency ?? dataset.settings.currency;
  const totals = donor.totals.map((s) => money(s.amount, s.currency, locale)).join(' + ');
  const fields: Sheet['fields'] = [
    [t.donor, donorName(donor.contact)],
    [t.period, `${year.start} – ${year.end}`],
    [t.gifts, String(donor.gifts.length)],
    [t.total, totals],
  ];
  if (locale === 'zh-TW') fields.push([t.words, donor.totals.map((s) => chineseAmount(s.amount, s.currency)).join('、')]);
  const name = `summary-${fileStem(year.label)}-${fileStem(donor.contact.contact_id)}`;
  return {
    locale, name, file: name, date: year.end, org: letterhead(dataset, locale),
    title: t.summary(year.label), fields,
    table: {
      head: [t.receiptNo, t.date, t.purpose, t.amount],
      rows: donor.gifts.map((g) => [g.receipt_no ?? '—', g.date, purpose(g, dataset, locale), money(g.amount, currencyOf(g), locale)]),
      foot: [t.total, '', '', totals],
    },
    signatory: dataset.settings.receipt_signatory, note: t.summaryNote,
  };
}
