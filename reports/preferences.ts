import { dateInZone } from '../sync/cells/dates.ts';
import type { Contact, Dataset, Mailing } from '../sync/dataset.ts';
import { readOnly } from '../sync/email-event-rows.ts';
import { mailingTopic } from '../sync/topics.ts';
import { plusDays } from '../sync/periods.ts';

/** Why a contact's own choices leave them out of a mailing, in the order they are checked. */
export const PREFERENCE_REASONS = ['topic_off', 'monthly_digest', 'quarterly_digest'] as const;
export type PreferenceReason = (typeof PREFERENCE_REASONS)[number];

/** Whether a contact wants mail of a topic: blank topics mean every topic. */
export const wantsTopic = (contact: Pick<Contact, 'topics'>, topic: string): boolean =>
  !contact.topics || contact.topics.length === 0 || contact.topics.some((t) => t.trim().toLowerCase() === topic);

const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

/**
 * The preference centre's rule for one mailing sent on `asOf` (a date in the org's time zone):
 * a contact whose topics leave out the mailing's topic is left out; a monthly reader gets at most
 * one mailing of the topic per calendar month (the first sent to them that month); a quarterly
 * reader gets mail of the topic only in a quarter's last month (March, June, September,
 * December) and at most one per quarter. What was sent is known from email_events (the mailing
 * itself does not count, so resuming a stopped send keeps its audience).
 */
export function preferenceRule(dataset: Pick<Dataset, 'mailings' | 'email_events' | 'settings'>, asOf: string, mailing: Pick<Mailing, 'mailing_id' | 'topic'>): (c: Contact) => PreferenceReason | undefined {
  const topic = mailingTopic(mailing);
  const tz = dataset.settings.timezone;
  const month = asOf.slice(0, 7);
  const quarter = quarterOf(month);
  const quarterEndMonth = ['03', '06', '09', '12'].includes(month.slice(5, 7));
  const sameTopic = new Set(dataset.mailings.filter((m) => m.mailing_id !== mailing.mailing_id && mailingTopic(m) === topic).map((m) => m.mailing_id));
  // Only events of this quarter matter: instants from a day before its first day (any time zone) are read.
  const quarterStart = `${month.slice(0, 4)}-${String((Math.ceil(Number(month.slice(5, 7)) / 3) - 1) * 3 + 1).padStart(2, '0')}-01`;
  const earliest = plusDays(quarterStart, -1);
  const sentMonths = new Map<string, Set<string>>();
  for (const e of readOnly(dataset.email_events, ['contact_id', 'sent_at', 'mailing_id'])) {
    if (!e.contact_id || !e.sent_at || !e.mailing_id || !sameTopic.has(e.mailing_id) || e.sent_at < earliest) continue;
    const sentMonth = dateInZone(new Date(e.sent_at), tz).slice(0, 7);
    if (quarterOf(sentMonth) !== quarter || sentMonth > month) continue;
    let months = sentMonths.get(e.contact_id);
    if (!months) sentMonths.set(e.contact_id, (months = new Set()));
    months.add(sentMonth);
  }
  return (c) => {
    if (!wantsTopic(c, topic)) return 'topic_off';
    const months = sentMonths.get(c.contact_id);
    if (c.email_frequency === 'monthly' && months?.has(month)) return 'monthly_digest';
    if (c.email_frequency === 'quarterly' && (!quarterEndMonth || (months && months.size > 0))) return 'quarterly_digest';
    return undefined;
  };
}
