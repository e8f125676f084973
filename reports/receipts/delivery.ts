import type { Contact, Dataset, Donation } from '../../sync/dataset.ts';
import type { Problem } from '../../sync/problems.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { giftsByContact, giftsWithin } from '../ledger/index.ts';
import type { Period } from '../../sync/periods.ts';
import type { Locale } from '../../sync/locale.ts';
import { type DonorYear, type Sheet, contactLocale, donorYears, receiptSheet, summarySheet } from './receipt.ts';

type Numbered = Donation & { receipt_no: string };

/** What one donor gets in one run: their sheets, and how they reach them. */
export interface Delivery {
  /**
   * A stable id per message, for the exactly-once send log: receipt:<no>[+<no>…] for receipts,
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

/** Receipt numbers on more than one donation, and an error on each of their rows naming the others. */
export interface SharedNumbers {
  numbers: Set<string>;
  problems: Problem[];
}

/**
 * A receipt number typed on two gifts (any status: a refunded gift keeps its number) would put
 * one number on two donors' receipts, so neither gift gets a receipt until staff fix it (pure).
 */
export function sharedReceiptNumbers(dataset: Pick<Dataset, 'donations'>): SharedNumbers {
  const holders = new Map<string, Donation[]>();
  for (const d of dataset.donations) {
    if (!d.receipt_no) continue;
    const list = holders.get(d.receipt_no);
    if (list) list.push(d);
    else holders.set(d.receipt_no, [d]);
  }
  const numbers = new Set<string>();
  const problems: Problem[] = [];
  for (const [number, gifts] of holders) {
    if (gifts.length < 2) continue;
    numbers.add(number);
    for (const d of gifts) {
      const others = gifts.filter((g) => g !== d).map((g) => `row ${g.row} (donation ${g.donation_id})`).join(', ');
      problems.push({
        severity: 'error', tab: 'donations', row: d.row, column: 'receipt_no', value: number,
        message: `receipt number ${number} is also on ${others}: no receipt goes out for any of them until each gift has its own number; clear the cell on the gift that should get a new one (Tidings assigns it)`,
      });
    }
  }
  return { numbers, problems };
}

/**
 * One delivery per donor with the receipts for their gifts dated from `since` to D (pure).
 * Gifts without a receipt number yet, whose number is in `sent`, or whose number is on another
 * gift too (sharedReceiptNumbers), are left out.
 */
export function receiptDeliveries(dataset: Dataset, since: string, asOf: string, sent: ReadonlySet<string> = new Set()): Delivery[] {
  const contacts = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  const shared = sharedReceiptNumbers(dataset).numbers;
  return [...giftsByContact(dataset, asOf)]
    .map(([id, gifts]) => ({
      contact: contacts.get(id)!,
      gifts: giftsWithin(gifts, { start: since, end: asOf }).filter((g): g is Numbered => !!g.receipt_no && !sent.has(g.receipt_no) && !shared.has(g.receipt_no)),
    }))
    .filter(({ gifts }) => gifts.length > 0)
    .sort((a, b) => a.contact.contact_id.localeCompare(b.contact.contact_id))
    .map(({ contact, gifts }) => ({
      id: `receipt:${gifts.map((g) => g.receipt_no).join('+')}`, kind: 'receipt', contact, locale: contactLocale(contact, dataset),
      route: route(contact, dataset), sheets: gifts.map((g) => receiptSheet(g, contact, dataset)), gifts,
    }));
}

/** One annual summary per donor who gave in the fiscal year (pure); not for a donor whose gifts include a shared receipt number. */
export function summaryDeliveries(dataset: Dataset, year: Period & { label: string }, asOf: string): Delivery[] {
  const shared = sharedReceiptNumbers(dataset).numbers;
  return donorYears(dataset, year, asOf).filter((donor) => !donor.gifts.some((g) => g.receipt_no && shared.has(g.receipt_no))).map((donor) => ({
    id: `summary:${year.label}:${donor.contact.contact_id}`, kind: 'summary', contact: donor.contact,
    locale: contactLocale(donor.contact, dataset), route: route(donor.contact, dataset),
    sheets: [summarySheet(donor, year, dataset)],
    gifts: donor.gifts, year: { ...donor, label: year.label },
  }));
}
