import type { Dataset, Donation } from '../sync/dataset.ts';

/**
 * A gift: a completed donation whose financial type is not a non-donation type (membership and
 * event fees by default), dated on or before D.
 */
export function isGift(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return (
    d.status === 'completed' &&
    d.date <= asOf &&
    !dataset.settings.non_donation_types.includes((d.financial_type ?? '').trim().toLowerCase())
  );
}

/** A failed donation attempt of a donation type, dated on or before D. */
export function isFailedAttempt(d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string): boolean {
  return (
    d.status === 'failed' &&
    d.date <= asOf &&
    !dataset.settings.non_donation_types.includes((d.financial_type ?? '').trim().toLowerCase())
  );
}

/** Gifts as of D grouped by contact, each list in date order. */
export function giftsByContact(dataset: Dataset, asOf: string): Map<string, Donation[]> {
  const byContact = new Map<string, Donation[]>();
  for (const d of dataset.donations) {
    if (!isGift(d, dataset, asOf)) continue;
    const list = byContact.get(d.contact_id);
    if (list) list.push(d);
    else byContact.set(d.contact_id, [d]);
  }
  for (const list of byContact.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byContact;
}
