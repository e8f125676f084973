import type { Contact, Dataset } from '../sync/dataset.ts';
import { readOnly } from '../sync/email-event-rows.ts';
import { isHardBounce } from '../sync/email-events.ts';
import { emailHash, normaliseEmail } from '../sync/suppressions.ts';
import { e164Phone } from './contacts.ts';

export const CHANNELS = ['email', 'sms', 'post', 'ads'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why a contact may not be reached on a channel, in the order they are checked. */
export const REACH_REASONS = [
  'no_valid_email', 'no_valid_phone', 'no_address', 'no_email_or_phone', 'no_email_opt_in', 'no_sms_opt_in', 'do_not_contact',
  'unsubscribed', 'hard_bounced', 'complained', 'suppressed',
] as const;
export type ReachReason = (typeof REACH_REASONS)[number];

/**
 * What the rule needs beyond the dataset. Unsubscribe tokens are verified in emails/ (they need
 * the secret, which only the commands that send or export hold), so the caller passes the contact
 * ids whose token verified instead of this layer importing upward. Addresses written in the
 * unsubscribes tab count too: whoever asked, the address asked not to be mailed.
 */
export interface ReachContext {
  unsubscribedIds: ReadonlySet<string>;
}

/**
 * Email events that stop all further mail to a contact and address: a hard bounce (or Resend's
 * own suppression; a soft bounce may be retried, see isHardBounce) or a complaint.
 */
export function blockedByEvents(dataset: Pick<Dataset, 'email_events'>): Map<string, 'hard_bounced' | 'complained'> {
  const blocked = new Map<string, 'hard_bounced' | 'complained'>();
  for (const e of readOnly(dataset.email_events, ['last_event', 'bounce_type', 'contact_id', 'email'])) {
    const reason = isHardBounce(e) ? 'hard_bounced' : e.last_event === 'complained' ? 'complained' : undefined;
    if (!reason) continue;
    if (e.contact_id) blocked.set(`id:${e.contact_id}`, reason);
    if (e.email) blocked.set(`email:${normaliseEmail(e.email)}`, reason);
  }
  return blocked;
}

/**
 * Whether a confirmed sign-up (consent_at, double opt-in) came after an unsubscribe, so the person
 * chose to come back. An undated unsubscribe always counts.
 */
export const supersededBy = (consentAt: string | undefined, unsubscribedAt: string | undefined) =>
  !!consentAt && !!unsubscribedAt && Date.parse(unsubscribedAt) < Date.parse(consentAt);

/**
 * The one rule for who may be reached on a channel, used by mailing audiences and exports alike.
 * Returns, for a contact, the first reason they may not be reached, or undefined when they may.
 * email: a valid address, email_opt_in (blank is not consent), not do_not_contact, no
 * unsubscribe, no hard bounce or complaint, not on the suppression list. sms: a valid phone,
 * sms_opt_in, not do_not_contact. post: an address (postal code or city), not do_not_contact.
 * ads (customer lists matched on hashed email and phone): an email or a valid phone,
 * email_opt_in, not do_not_contact, no unsubscribe or complaint, not on the suppression list.
 */
export function reachRule(dataset: Dataset, channel: Channel, context: ReachContext): (c: Contact) => ReachReason | undefined {
  const events = blockedByEvents(dataset);
  // Addresses written in the unsubscribes tab, each with every date it was written on.
  const unsubscribedEmails = new Map<string, (string | undefined)[]>();
  for (const u of dataset.unsubscribes) {
    if (!u.email) continue;
    const key = normaliseEmail(u.email);
    const dates = unsubscribedEmails.get(key) ?? [];
    dates.push(u.timestamp);
    unsubscribedEmails.set(key, dates);
  }
  const byEmail = (c: Contact) => !!c.email && (unsubscribedEmails.get(normaliseEmail(c.email)) ?? []).some((at) => !supersededBy(c.consent_at, at));
  const unsubscribed = (c: Contact) => context.unsubscribedIds.has(c.contact_id) || byEmail(c);
  const event = (c: Contact) => events.get(`id:${c.contact_id}`) ?? (c.email ? events.get(`email:${normaliseEmail(c.email)}`) : undefined);
  const suppressed = (c: Contact) => !!c.email && dataset.suppressed.has(emailHash(c.email));

  switch (channel) {
    case 'email':
      return (c) => {
        if (!c.email) return 'no_valid_email';
        if (c.email_opt_in !== true) return 'no_email_opt_in';
        if (c.do_not_contact) return 'do_not_contact';
        if (unsubscribed(c)) return 'unsubscribed';
        return event(c) ?? (suppressed(c) ? 'suppressed' : undefined);
      };
    case 'sms':
      return (c) => {
        if (!e164Phone(c, dataset)) return 'no_valid_phone';
        if (c.sms_opt_in !== true) return 'no_sms_opt_in';
        if (c.do_not_contact) return 'do_not_contact';
        return undefined;
      };
    case 'post':
      return (c) => {
        if (!c.postal_code && !c.city) return 'no_address';
        if (c.do_not_contact) return 'do_not_contact';
        return undefined;
      };
    case 'ads':
      return (c) => {
        if (!c.email && !e164Phone(c, dataset)) return 'no_email_or_phone';
        if (c.email_opt_in !== true) return 'no_email_opt_in';
        if (c.do_not_contact) return 'do_not_contact';
        if (unsubscribed(c)) return 'unsubscribed';
        if (event(c) === 'complained') return 'complained';
        return suppressed(c) ? 'suppressed' : undefined;
      };
  }
}

/** Counts per reason, each contact under the first that applies (zero counts included). */
export const noReasons = (): Record<ReachReason, number> => Object.fromEntries(REACH_REASONS.map((r) => [r, 0])) as Record<ReachReason, number>;
