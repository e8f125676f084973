import { UTCDate } from '@date-fns/utc';
import { format, startOfISOWeek } from 'date-fns';
import { dateInZone } from '../sync/cells/dates.ts';
import type { Dataset } from '../sync/dataset.ts';
import { EMAIL_FREQUENCIES, type EmailFrequency } from '../sync/schema/google-form.ts';
import { plusDays } from '../sync/periods.ts';
import { wantsTopic } from './preferences.ts';

/** Weeks of sign-ups the dashboard shows, ending with the week of the as-of date. */
export const SIGNUP_WEEKS = 12;

export interface ConsentFigures {
  /** The last SIGNUP_WEEKS ISO weeks, oldest first: 2026-W48 (starting Monday 2026-11-23) and its sign-ups. */
  weeks: { week: string; start: string; signups: number }[];
  /** Sign-ups up to the as-of date (rows of the signups tab that are not confirmations). */
  signups: number;
  confirmed: number;
  /** confirmed / signups; null without sign-ups. */
  confirmation_rate: number | null;
  /** Where `confirmed` comes from: the signups tab's status column when sync writes one, else contacts with consent_at. */
  confirmed_from: 'status' | 'consent_at';
  /** Per topic of settings, among contacts with email_opt_in yes: how many chose it off, and how many receive it. */
  topics: { topic: string; label?: string; opted_out: number; receiving: number }[];
  /** Contacts with email_opt_in yes by email_frequency (blank is every mailing). */
  frequencies: { frequency: EmailFrequency; contacts: number }[];
}

const isoWeek = (date: string) => format(new UTCDate(`${date}T00:00:00Z`), "RRRR-'W'II");
const weekStart = (date: string) => format(startOfISOWeek(new UTCDate(`${date}T00:00:00Z`)), 'yyyy-MM-dd');

/**
 * The staff dashboard's consent and preference figures: a pure function of the dataset and the
 * as-of date, with counts only (nothing personal). Sign-ups are dated by their form timestamp in
 * the org's time zone.
 */
export function consentFigures(dataset: Pick<Dataset, 'signups' | 'contacts' | 'settings'>, asOf: string): ConsentFigures {
  const tz = dataset.settings.timezone;
  const firstStart = plusDays(weekStart(asOf), -7 * (SIGNUP_WEEKS - 1));
  const weeks = Array.from({ length: SIGNUP_WEEKS }, (_, i) => {
    const start = plusDays(firstStart, 7 * i);
    return { week: isoWeek(start), start, signups: 0 };
  });
  let signups = 0;
  let confirmedByStatus = 0;
  let hasStatus = false;
  for (const row of dataset.signups) {
    // A row with `confirm` filled is the confirmation page's post, not a sign-up.
    if (row.confirm?.trim() || !row.timestamp) continue;
    const day = dateInZone(new Date(row.timestamp), tz);
    if (day > asOf) continue;
    // The status column is written by sync's sign-up step (emails/signups): junk posted to the
    // public form is no person, and a repeat of a waiting sign-up is the same person again.
    const status = row.status?.trim().toLowerCase();
    if (status === 'junk' || status === 'duplicate') continue;
    signups++;
    if (status) {
      hasStatus = true;
      if (status === 'confirmed') confirmedByStatus++;
    }
    if (day >= firstStart) weeks[Math.floor(weekIndex(firstStart, day))].signups++;
  }
  let consented = 0;
  for (const c of dataset.contacts) if (c.consent_at && dateInZone(new Date(c.consent_at), tz) <= asOf) consented++;
  const confirmed = hasStatus ? confirmedByStatus : consented;

  const mailable = dataset.contacts.filter((c) => c.email_opt_in === true);
  const topics = dataset.settings.topics.map((t) => {
    let receiving = 0;
    for (const c of mailable) if (wantsTopic(c, t.id)) receiving++;
    return { topic: t.id, ...(t.label && { label: t.label }), opted_out: mailable.length - receiving, receiving };
  });
  const frequencies = EMAIL_FREQUENCIES.map((frequency) => ({ frequency, contacts: mailable.filter((c) => (c.email_frequency ?? 'every') === frequency).length }));
  return {
    weeks, signups, confirmed, confirmation_rate: signups > 0 ? confirmed / signups : null, confirmed_from: hasStatus ? 'status' : 'consent_at', topics, frequencies,
  };
}

const weekIndex = (firstStart: string, day: string) => (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${firstStart}T00:00:00Z`)) / (7 * 86_400_000);
