import type { Contact, Dataset, Donation } from '../../sync/dataset.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { giftsByContact, giftsWithin } from '../gifts.ts';
import type { Period } from '../periods.ts';
import { type DonorYear, type Locale, type Sheet, contactLocale, donorYears, receiptSheet, summarySheet } from './receipt.ts';

type Numbered = Donation & { receipt_no: string };

/** What one donor gets in one run: their sheets, and how they reach them. */
export interface Delivery {
  /**
   * A stable id per message, for the exactly-once ledger: receipt:<no>[+<no>…] for receipts,
   * summary:<year>:<contact_id> for the annual summary.
   */
  id: string;
  kind: 'receipt' | 'summary';
  contact: Contact;
  locale: Locale;
  /** email: send it; print: no email address, print and post it; withheld: do_not_contact. */
  route: 'email' | 'print' | 'withheld';
  sheets: Sheet[];
  /** The gifts the message is about, in date order. */
  gifts: Donation[];
  /** For summaries: the donor's year. */
  year?: DonorYear & { label: string };
}

/**
 * Receipts are transactional: they go to donors who did not opt in to newsletters too, but
 * never to anyone marked do_not_contact, and without an email address, or to an address on the
 * suppression list (a forgotten person re-imported), they are printed.
 */
function route(contact: Contact, dataset: Pick<Dataset, 'suppressed'>): Delivery['route'] {
  if (contact.do_not_contact) return 'withheld';
  return contact.email && !dataset.suppressed.has(emailHash(contact.email)) ? 'email' : 'print';
}

/**
 * One delivery per donor with the receipts for their gifts dated from `since` to D (pure).
 * Gifts without a receipt number yet, or whose number is in `sent`, are left out.
 */
export function receiptDeliveries(dataset: Dataset, since: string, asOf: string, sent: ReadonlySet<string> = new Set()): Delivery[] {
  const contacts = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  return [...giftsByContact(dataset, asOf)]
    .map(([id, gifts]) => ({
      contact: contacts.get(id)!,
      gifts: giftsWithin(gifts, { start: since, end: asOf }).filter((g): g is Numbered => !!g.receipt_no && !sent.has(g.receipt_no)),
    }))
    .filter(({ gifts }) => gifts.length > 0)
    .sort((a, b) => a.contact.contact_id.localeCompare(b.contact.contact_id))
    .map(({ contact, gifts }) => ({
      id: `receipt:${gifts.map((g) => g.receipt_no).join('+')}`, kind: 'receipt', contact, locale: contactLocale(contact, dataset),
      route: route(contact, dataset), sheets: gifts.map((g) => receiptSheet(g, contact, dataset)), gifts,
    }));
}

/** One annual summary per donor who gave in the fiscal year (pure). */
export function summaryDeliveries(dataset: Dataset, year: Period & { label: string }, asOf: string): Delivery[] {
  return donorYears(dataset, year, asOf).map((donor) => ({
    id: `summary:${year.label}:${donor.contact.contact_id}`, kind: 'summary', contact: donor.contact,
    locale: contactLocale(donor.contact, dataset), route: route(donor.contact, dataset),
    sheets: [summarySheet(donor, year, dataset)],
    gifts: donor.gifts, year: { ...donor, label: year.label },
  }));
}
