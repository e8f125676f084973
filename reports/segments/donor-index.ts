import { dateInZone } from '../../sync/cells/dates.ts';
import type { Contact, Dataset, Donation, RecurringPlan } from '../../sync/dataset.ts';
import { type GiftFilters, hasFilters } from '../gift-filters.ts';
import { type GiftHistory, failedByContact, giftHistories, giftsPerPlan } from '../ledger/index.ts';
import { plansByContact } from '../plans.ts';

/** An event a contact registered for or attended, dated on or before D. */
export interface Attendance {
  event_id: string;
  title: string;
  date: string;
  status: 'registered' | 'attended';
}

/**
 * Everything the segments look up, indexed once per (dataset, D, filters) and shared by every
 * segment evaluated with them: one pass over each tab, then per-contact lookups (no segment
 * scans the donations for each contact).
 */
export interface DonorIndex {
  asOf: string;
  filters: GiftFilters;
  hasFilters: boolean;
  /** Contacts that existed on D (created_at blank or on or before D). */
  contacts: Contact[];
  /** Gifts that pass the filters, by contact (those with at least one). */
  gifts: ReadonlyMap<string, GiftHistory>;
  /** Failed attempts that pass the filters, by contact, in date order. */
  failed: ReadonlyMap<string, Donation[]>;
  /** Plans started by D that pass the filters, by contact. */
  plans: Map<string, RecurringPlan[]>;
  /** Gifts referencing each plan, for plans with at least one (the filters restrict plans, not the installments counted). */
  giftsPerPlan: ReadonlyMap<string, number>;
  attendance: Map<string, Attendance[]>;
  /** The same index without filters: what excludes a contact whatever the filters. */
  unfiltered: DonorIndex;
}

/** Contacts by their ids, walked in order: made for each index, so no (id, contact) pair is made for each of 50,000 contacts at each date a report asks about. */
class ContactsById implements Iterable<readonly [string, Contact]> {
  constructor(private readonly contacts: readonly Contact[]) {}

  forEach(visit: (contact: Contact, contact_id: string) => void): void {
    const { contacts } = this;
    for (let i = 0; i < contacts.length; i++) visit(contacts[i], contacts[i].contact_id);
  }

  *[Symbol.iterator](): Iterator<readonly [string, Contact]> {
    for (const c of this.contacts) yield [c.contact_id, c];
  }
}

const contactEntriesOf = new WeakMap<DonorIndex, ContactsById>();

/** The index's contacts as (contact id, contact) entries, the same object for every segment that reads them (so they can be counted in one pass). */
export function contactEntries(index: DonorIndex): Iterable<readonly [string, Contact]> {
  let entries = contactEntriesOf.get(index);
  if (!entries) contactEntriesOf.set(index, (entries = new ContactsById(index.contacts)));
  return entries;
}

/** The latest few indexes per dataset: enough for the segments of one date (and a filtered spec's unfiltered twin), bounded so that a report walking through dates does not keep every one. */
const cache = new WeakMap<Dataset, Map<string, DonorIndex>>();
const CACHED_INDEXES = 3;

const filterKey = (f: GiftFilters) =>
  JSON.stringify([f.min_amount ?? null, f.max_amount ?? null, f.campaign?.trim().toLowerCase() ?? null, f.financial_type?.trim().toLowerCase() ?? null]);

/** The index for (dataset, D, filters), built on first use and reused while it is among the latest few (the dataset is never mutated). */
export function donorIndex(dataset: Dataset, asOf: string, filters: GiftFilters = {}): DonorIndex {
  let byKey = cache.get(dataset);
  if (!byKey) cache.set(dataset, (byKey = new Map()));
  const key = `${asOf} ${filterKey(filters)}`;
  let index = byKey.get(key);
  if (index) byKey.delete(key);
  else {
    const filtered = hasFilters(filters);
    const unfiltered = filtered ? donorIndex(dataset, asOf) : undefined;
    index = {
      asOf,
      filters,
      hasFilters: filtered,
      contacts: unfiltered?.contacts ?? dataset.contacts.filter((c) => !c.created_at || c.created_at <= asOf),
      gifts: giftHistories(dataset, asOf, filters),
      failed: failedByContact(dataset, asOf, filters),
      plans: plansByContact(dataset, asOf, filters),
      giftsPerPlan: unfiltered?.giftsPerPlan ?? giftsPerPlan(dataset, asOf),
      attendance: unfiltered?.attendance ?? attendanceByContact(dataset, asOf),
    } as DonorIndex;
    index.unfiltered = unfiltered ?? index;
  }
  byKey.set(key, index);
  if (byKey.size > CACHED_INDEXES) byKey.delete(byKey.keys().next().value!);
  return index;
}

/** Every registration and attendance with the day it counts from (registered_at in the org's time zone, else the event's date), once per dataset. */
const datedAttendance = new WeakMap<Dataset, { contact_id: string; dated: string; attendance: Attendance }[]>();

function attendances(dataset: Dataset) {
  let list = datedAttendance.get(dataset);
  if (list) return list;
  const events = new Map(dataset.events.map((e) => [e.event_id, e]));
  list = [];
  for (const p of dataset.participants) {
    if (p.status !== 'registered' && p.status !== 'attended') continue;
    const event = events.get(p.event_id);
    if (!event) continue;
    const dated = p.registered_at ? dateInZone(new Date(p.registered_at), dataset.settings.timezone) : event.date;
    list.push({ contact_id: p.contact_id, dated, attendance: { event_id: event.event_id, title: event.title, date: event.date, status: p.status } });
  }
  datedAttendance.set(dataset, list);
  return list;
}

/** Registrations and attendances dated on or before D. */
function attendanceByContact(dataset: Dataset, asOf: string): Map<string, Attendance[]> {
  const byContact = new Map<string, Attendance[]>();
  for (const { contact_id, dated, attendance } of attendances(dataset)) {
    if (dated > asOf) continue;
    const list = byContact.get(contact_id) ?? [];
    list.push(attendance);
    byContact.set(contact_id, list);
  }
  return byContact;
}
