import { dateInZone } from '../sync/cells/dates.ts';
import type { Dataset, EmailEvent, Mailing } from '../sync/dataset.ts';
import { readOnly } from '../sync/email-event-rows.ts';
import { type Rate, rate } from './rate.ts';
import { type Period, monthOf, monthsBetween, plusMonths, within } from '../sync/periods.ts';


/** The counts a mailing's rates are made of. */
export interface MailingCounts {
  /** Messages sent for the mailing (every email_events row of it except canceled ones). */
  recipients: number;
  /** recipients − bounced − failed. */
  delivered: number;
  /** Messages opened or clicked: a click counts as an open, since a blocked image hides the open. */
  opens: number;
  /** Messages with a click. */
  clicks: number;
  /** Messages whose last event is bounced. */
  bounces: number;
  /** Unsubscribes whose address last got this mailing before unsubscribing. */
  unsubscribes: number;
  /** Messages marked as spam (last event complained). */
  complaints: number;
}

export interface MailingRates {
  /** opens ÷ delivered */
  open_rate: Rate;
  /** clicks ÷ delivered */
  click_rate: Rate;
  /** clicks ÷ opens */
  click_to_open: Rate;
  /** bounces ÷ recipients */
  bounce_rate: Rate;
  /** unsubscribes ÷ recipients */
  unsubscribe_rate: Rate;
  /** complaints ÷ recipients */
  complaint_rate: Rate;
}

/** One row of the mailing list, as netiCRM shows it. */
export interface MailingPerformance extends MailingCounts, MailingRates {
  mailing_id: string;
  name: string;
  subject: string;
  status: Mailing['status'];
  created_by?: string;
  scheduled?: string;
  /** The mailing's sent_at, else its first message's. */
  started?: string;
  /** Its last message's sent_at, once the mailing is sent. */
  completed?: string;
  /** The day it started (or is scheduled), in the org's time zone: what months group by. */
  date?: string;
}

export function ratesOf(c: MailingCounts): MailingRates {
  return {
    open_rate: rate(c.opens, c.delivered),
    click_rate: rate(c.clicks, c.delivered),
    click_to_open: rate(c.clicks, c.opens),
    bounce_rate: rate(c.bounces, c.recipients),
    unsubscribe_rate: rate(c.unsubscribes, c.recipients),
    complaint_rate: rate(c.complaints, c.recipients),
  };
}

const COUNT_KEYS = ['recipients', 'delivered', 'opens', 'clicks', 'bounces', 'unsubscribes', 'complaints'] as const;

/** Counts added over several mailings, and the rates of the sum (not an average of rates). */
export function pooled(mailings: readonly MailingCounts[]): MailingCounts & MailingRates {
  const sum = Object.fromEntries(COUNT_KEYS.map((k) => [k, mailings.reduce((s, m) => s + m[k], 0)])) as unknown as MailingCounts;
  return { ...sum, ...ratesOf(sum) };
}

type Tracked = Pick<EmailEvent, 'opened_at' | 'clicked_at' | 'last_event'>;
const opened = (e: Tracked) => !!(e.opened_at || e.clicked_at || e.last_event === 'opened' || e.last_event === 'clicked');
const clicked = (e: Tracked) => !!(e.clicked_at || e.last_event === 'clicked');
/**
 * Each unsubscribe counts for the mailing that last reached that address before it (by email,
 * case-insensitively; an unsubscribe with no time counts for the address's latest message).
 */
function unsubscribesByMailing(dataset: Dataset): Map<string, number> {
  const counts = new Map<string, number>();
  if (!dataset.unsubscribes.length) return counts;
  const wanted = new Set(dataset.unsubscribes.map((u) => u.email?.trim().toLowerCase() ?? ''));
  const emailOf = new Map(dataset.contacts.map((c) => [c.contact_id, c.email?.toLowerCase()]));
  type Message = Pick<EmailEvent, 'mailing_id' | 'last_event' | 'email' | 'contact_id' | 'sent_at'>;
  const addressOf = (e: Message) => (e.email ?? (e.contact_id && emailOf.get(e.contact_id)))?.toLowerCase();
  // Only the messages of unsubscribed addresses are looked at.
  const byEmail = new Map<string, Message[]>();
  for (const e of readOnly(dataset.email_events, ['mailing_id', 'last_event', 'email', 'contact_id', 'sent_at'])) {
    if (!e.mailing_id || e.last_event === 'canceled') continue;
    const address = addressOf(e);
    if (!address || !wanted.has(address)) continue;
    const messages = byEmail.get(address);
    if (messages) messages.push(e);
    else byEmail.set(address, [e]);
  }
  for (const u of dataset.unsubscribes) {
    const messages = byEmail.get(u.email?.trim().toLowerCase() ?? '') ?? [];
    const before = messages.filter((m) => !u.timestamp || (m.sent_at !== undefined && m.sent_at <= u.timestamp));
    const last = before.sort((a, b) => (a.sent_at ?? '').localeCompare(b.sent_at ?? '')).at(-1);
    if (last?.mailing_id) counts.set(last.mailing_id, (counts.get(last.mailing_id) ?? 0) + 1);
  }
  return counts;
}

/** A mailing's messages (canceled ones left out) counted, with the first and last sent_at. */
type Tally = Omit<MailingCounts, 'delivered' | 'unsubscribes'> & { failed: number; first?: string; last?: string };

/** Every message counted for its mailing in one pass (there can be a million). */
function tallies(dataset: Dataset): Map<string, Tally> {
  const byMailing = new Map<string, Tally>();
  for (const e of readOnly(dataset.email_events, ['mailing_id', 'last_event', 'opened_at', 'clicked_at', 'sent_at'])) {
    if (!e.mailing_id || e.last_event === 'canceled') continue;
    let t = byMailing.get(e.mailing_id);
    if (!t) byMailing.set(e.mailing_id, (t = { recipients: 0, opens: 0, clicks: 0, bounces: 0, failed: 0, complaints: 0 }));
    t.recipients++;
    if (e.last_event === 'bounced') t.bounces++;
    if (e.last_event === 'failed') t.failed++;
    if (e.last_event === 'complained') t.complaints++;
    if (opened(e)) t.opens++;
    if (clicked(e)) t.clicks++;
    if (e.sent_at) {
      if (t.first === undefined || e.sent_at < t.first) t.first = e.sent_at;
      if (t.last === undefined || e.sent_at > t.last) t.last = e.sent_at;
    }
  }
  return byMailing;
}

/** A mailing's counts and the first and last sent_at of its messages: what `_mailing_stats` keeps. */
export type MailingTally = MailingCounts & { first?: string; last?: string };

/** The counts of a mailing with no message (yet). */
export const NO_MESSAGES: MailingTally = { recipients: 0, delivered: 0, opens: 0, clicks: 0, bounces: 0, unsubscribes: 0, complaints: 0 };

/**
 * Each mailing's counts from its email_events rows, or from its `_mailing_stats` row once those
 * rows were compacted: a stats row wins over whatever rows of its mailing are left (a compaction
 * stopped between writing the stats and deleting the rows), so nothing is counted twice.
 */
export function mailingTallies(dataset: Dataset): Map<string, MailingTally> {
  const byMailing = tallies(dataset);
  const unsubscribes = unsubscribesByMailing(dataset);
  const out = new Map<string, MailingTally>();
  for (const [id, t] of byMailing) {
    out.set(id, {
      recipients: t.recipients, delivered: t.recipients - t.bounces - t.failed, opens: t.opens, clicks: t.clicks,
      bounces: t.bounces, unsubscribes: unsubscribes.get(id) ?? 0, complaints: t.complaints, first: t.first, last: t.last,
    });
  }
  for (const s of dataset.mailing_stats ?? []) {
    out.set(s.mailing_id, {
      recipients: s.recipients, delivered: s.delivered, opens: s.opens, clicks: s.clicks, bounces: s.bounces,
      unsubscribes: s.unsubscribes, complaints: s.complaints, first: s.first_sent_at, last: s.last_sent_at,
    });
  }
  return out;
}

/** Every mailing's performance, whatever its date (nothing in it depends on D), once per dataset: reports ask for it at several dates. */
const performances = new WeakMap<Dataset, MailingPerformance[]>();

/** Every mailing that had started (or was due) by D, or has no date yet (drafts, listed first), newest first. */
export function mailingPerformance(dataset: Dataset, asOf: string): MailingPerformance[] {
  let all = performances.get(dataset);
  if (!all) performances.set(dataset, (all = allMailingPerformance(dataset)));
  return all.filter((m) => !m.date || m.date <= asOf).map((m) => ({ ...m }));
}

function allMailingPerformance(dataset: Dataset): MailingPerformance[] {
  const tz = dataset.settings.timezone;
  const byMailing = mailingTallies(dataset);
  return dataset.mailings
    .map((m): MailingPerformance => {
      const { first, last, ...tallied } = byMailing.get(m.mailing_id) ?? NO_MESSAGES;
      const counts: MailingCounts = {
        recipients: tallied.recipients, delivered: tallied.delivered, opens: tallied.opens, clicks: tallied.clicks,
        bounces: tallied.bounces, unsubscribes: tallied.unsubscribes, complaints: tallied.complaints,
      };
      const started = m.sent_at ?? first;
      const when = started ?? m.scheduled_for;
      return {
        mailing_id: m.mailing_id, name: m.name, subject: m.subject, status: m.status, created_by: m.created_by,
        scheduled: m.scheduled_for, started,
        completed: m.status === 'sent' ? (last ?? started) : undefined,
        date: when && dateInZone(new Date(when), tz),
        ...counts, ...ratesOf(counts),
      };
    })
    .sort((a, b) => (b.date ?? '9999').localeCompare(a.date ?? '9999'));
}

/** Pooled counts and rates of the mailings that started within a period. */
export const newsletterTotals = (mailings: readonly MailingPerformance[], period: Period) =>
  pooled(mailings.filter((m) => m.date && within(m.date, period)));

export interface MonthOpenRate {
  month: string;
  mailings: number;
  delivered: number;
  opens: number;
  open_rate: Rate;
  /** The same month a year before. */
  year_before: Rate;
  /** open_rate − year_before, in proportion points (0.063 = 6.3 points); null when either is. */
  change: Rate;
}

/** The open rate of each of the last `months` calendar months to D's, beside the same month a year before. */
export function openRateByMonth(mailings: readonly MailingPerformance[], asOf: string, months = 12): MonthOpenRate[] {
  const inMonth = (month: string) => mailings.filter((m) => m.date && monthOf(m.date) === month);
  return monthsBetween(plusMonths(asOf, -(months - 1)), asOf).map((month) => {
    const these = inMonth(month);
    const now = pooled(these);
    const before = pooled(inMonth(monthOf(plusMonths(`${month}-01`, -12)))).open_rate;
    return {
      month, mailings: these.length, delivered: now.delivered, opens: now.opens, open_rate: now.open_rate,
      year_before: before, change: now.open_rate === null || before === null ? null : now.open_rate - before,
    };
  });
}

/** The best and worst `n` mailings by open rate (only mailings with deliveries have one). */
export function bestAndWorst(mailings: readonly MailingPerformance[], n = 3) {
  const ranked = mailings.filter((m) => m.open_rate !== null).sort((a, b) => b.open_rate! - a.open_rate! || a.mailing_id.localeCompare(b.mailing_id));
  return { best: ranked.slice(0, n), worst: ranked.slice(-n).reverse() };
}
