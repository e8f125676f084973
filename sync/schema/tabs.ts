import { z } from 'zod';
import { readBoolean } from '../cells/booleans.ts';
import { readDate, readDateTime } from '../cells/dates.ts';
import {
  BOUNCE_TYPE, DONATION_STATUS, EMAIL_EVENT, EMAIL_FREQUENCY, FREQUENCY, MAILING_STATUS, PARTICIPANT_STATUS, RECURRING_STATUS, enumKey, enumReader, enumReaderWithDefault,
} from '../cells/enums.ts';
import { readAmount } from '../cells/money.ts';
import { type CellResult, type RawCell, cellText, fail, isBlank, normalizeWidth, ok } from '../cells/result.ts';
import { readCode, readEmail, readId, readKey, readList, readNumber, readReceiptNo, readText, readUrl, readWholeNumber } from '../cells/text.ts';
import { type GoalMetrics, type MetricKind, goalMetrics } from './goal-metrics.ts';
import { columnsOf, optional, required } from './cell.ts';

/** What reading a tab needs to know from settings (and which metrics a goal may name). */
export interface ReadContext {
  timeZone: string;
  currency: string;
  goalMetrics?: GoalMetrics;
}

/**
 * One zod schema per tab: the data model of the spreadsheet. Keys are the canonical column names;
 * the inferred output types are the dataset's row types.
 */
function readAmountList(raw: RawCell): CellResult<number[]> {
  const amounts: number[] = [];
  // "500, 1,000, 3000" and "500、1000" both list three amounts; "1,000" alone is one.
  const parts = normalizeWidth(cellText(raw))
    .split(/[;、|/\s]+|,\s+/)
    .flatMap((p) => (/^[^,]*\d{1,3}(,\d{3})+(\.\d+)?[^,]*$/.test(p) ? [p] : p.split(',')))
    .filter(Boolean);
  for (const part of parts) {
    const a = readAmount(part);
    if (!a.ok) return fail(`suggested amounts: ${a.message}; separate amounts with commas, e.g. 500, 1000, 3000`);
    if (a.value !== undefined) amounts.push(a.value);
  }
  return ok(amounts);
}

/** A goal's metric: a KPI id or a segment id (sync/schema/goal-metrics.ts), spaces and hyphens read as _. */
function goalMetricReader(metrics: GoalMetrics) {
  return (raw: RawCell): CellResult<string | undefined> => {
    const t = readText(raw);
    if (!t.ok || t.value === undefined) return t;
    const id = enumKey(t.value);
    return metrics.find(id) ? ok(id) : fail(`"${t.value}" is not a metric a goal can track: write one of ${metrics.ids().join(', ')}`);
  };
}

/** A goal's target in its metric's unit: a count, an amount (→ minor units), or a rate written as a percentage (70% or 70 → 0.7). */
function readGoalTarget(text: string, kind: MetricKind): CellResult<number> {
  if (kind === 'money') {
    const a = readAmount(text);
    return a.ok ? ok(a.value!) : a;
  }
  const n = readNumber(text);
  if (!n.ok || n.value! < 0) return fail(`"${text}" is not a target: write a ${kind === 'rate' ? 'percentage such as 70%' : 'number such as 120'}`);
  return ok(kind === 'rate' ? n.value! / 100 : n.value!);
}

/** A fiscal year by the calendar year it starts in: 2024, or its label 2024/25; blank is D's year. */
function readFiscalYear(raw: RawCell): CellResult<number | undefined> {
  if (isBlank(raw)) return ok(undefined);
  const m = /^(\d{4})(?:\s*[/-]\s*\d{2,4})?$/.exec(normalizeWidth(cellText(raw)));
  return m ? ok(Number(m[1])) : fail(`"${raw}" is not a fiscal year: write the year it starts in, e.g. 2024 (or 2024/25)`);
}

export function tabSchemas(ctx: ReadContext) {
  const date = (raw: RawCell) => readDate(raw, ctx.timeZone);
  const dateTime = (raw: RawCell) => readDateTime(raw, ctx.timeZone);
  const currency = (raw: RawCell) => {
    const code = readText(raw);
    if (!code.ok || code.value === undefined) return { ok: true as const, value: ctx.currency };
    const upper = code.value.toUpperCase().replace(/^NT\$?$|^NTD$/, 'TWD');
    return /^[A-Z]{3}$/.test(upper)
      ? { ok: true as const, value: upper }
      : { ok: false as const, message: `"${code.value}" is not a currency code: write a three-letter code such as TWD or USD (blank means ${ctx.currency})` };
  };
  const text = optional(readText);
  // A link or image that is not a secure web address is reported and left out; its row is kept.
  const webAddress = optional(readUrl, { warnOnly: true });
  const id = (what: string) => required(readId, what);
  // A tab's own ids become file names and web addresses (idProblem); references only have to name one.
  const key = (what: string) => required(readKey, what);
  // Kinds let a spreadsheet show dates, checkboxes and dropdowns (init-sheet).
  const DATE = { kind: { type: 'date' } } as const;
  const DATETIME = { kind: { type: 'datetime' } } as const;
  const yesNo = optional(readBoolean, { kind: { type: 'boolean' } });
  const day = optional(date, DATE);
  const instant = optional(dateTime, DATETIME);
  const oneOf = (spec: { values: readonly string[] }) => ({ kind: { type: 'enum' as const, values: spec.values } });

  const contacts = z
    .object({
      contact_id: key('contact_id'),
      first_name: text, last_name: text, organization: text,
      email: optional(readEmail, { warnOnly: true }),
      phone: optional(readCode), birth_date: day,
      country: text, region: text, city: text, postal_code: optional(readCode), language: text,
      email_opt_in: yesNo, sms_opt_in: yesNo, map_opt_in: yesNo, do_not_contact: yesNo,
      tags: optional(readList), source: text, created_at: day, notes: text,
      // Consent as recorded by a confirmed sign-up (README, Sign-up and preferences): when, where
      // (the page or event:<id>) and which version of the purpose statement the person agreed to.
      consent_at: instant, consent_source: text, consent_version: text,
      // The preference centre's choices: topics wanted (blank: every topic) and how often.
      topics: optional(readList), email_frequency: optional(enumReaderWithDefault(EMAIL_FREQUENCY), oneOf(EMAIL_FREQUENCY)),
    })
    .check((ctx) => {
      const c = ctx.value;
      if (!c.first_name && !c.last_name && !c.organization && !c.email) {
        ctx.issues.push({
          code: 'custom', path: ['first_name'], input: undefined,
          message: 'a contact needs at least one of first_name, last_name, organization or email: fill one in',
        });
      }
    });

  const donations = z.object({
    donation_id: key('donation_id'), contact_id: id('contact_id'),
    date: required(date, 'date', DATE), amount: required(readAmount, 'amount'), currency: optional(currency),
    status: optional(enumReaderWithDefault(DONATION_STATUS), oneOf(DONATION_STATUS)),
    recurring_id: optional(readId), financial_type: text, campaign: text, payment_method: text, receipt_no: optional(readReceiptNo),
    utm_source: text, utm_medium: text, utm_campaign: text, utm_content: text, utm_term: text, notes: text,
  });

  const recurring = z.object({
    recurring_id: key('recurring_id'), contact_id: id('contact_id'), amount: required(readAmount, 'amount'),
    currency: optional(currency),
    frequency: optional(enumReaderWithDefault(FREQUENCY), oneOf(FREQUENCY)),
    start_date: required(date, 'start_date', DATE), end_date: day, installments: optional(readWholeNumber),
    status: required(enumReader(RECURRING_STATUS), 'status', oneOf(RECURRING_STATUS)),
    financial_type: text, campaign: text, payment_method: text,
  });

  const events = z.object({
    event_id: key('event_id'), title: required(readText, 'title'), date: required(date, 'date', DATE), location: text, campaign: text,
  });

  const participants = z.object({
    event_id: id('event_id'), contact_id: id('contact_id'),
    status: optional(enumReaderWithDefault(PARTICIPANT_STATUS), oneOf(PARTICIPANT_STATUS)),
    registered_at: instant,
  });

  const campaigns = z.object({
    slug: required((raw: RawCell) => {
      const r = readKey(raw);
      if (r.ok && r.value && !/^[a-z0-9][a-z0-9-]*$/.test(r.value)) {
        return { ok: false as const, message: `"${r.value}" is not a usable web address part: use lowercase letters, digits and hyphens, e.g. winter-2024` };
      }
      return r;
    }, 'slug'),
    title: required(readText, 'title'), goal: optional(readAmount), currency: optional(currency),
    start_date: day, end_date: day, payment_url: webAddress,
    suggested_amounts: optional(readAmountList),
    allow_recurring: yesNo, summary: text, body: text, image_url: webAddress, published: yesNo,
  });

  const mailings = z.object({
    mailing_id: key('mailing_id'), name: required(readText, 'name'), subject: required(readText, 'subject'),
    preview_text: text, template: text, segment: text, exclude_segment: text, locale: text,
    scheduled_for: instant,
    status: optional(enumReaderWithDefault(MAILING_STATUS), oneOf(MAILING_STATUS)),
    sent_at: instant, created_by: text, public: yesNo,
    // One of settings.topics (blank: newsletter): who turned it off is left out of the audience.
    topic: text,
  });

  const stories = z.object({
    mailing_id: id('mailing_id'), position: optional(readNumber), title: required(readText, 'title'),
    body: text, link_url: webAddress, image_url: webAddress, author: text,
  });

  const readEvent = enumReader(EMAIL_EVENT);
  const lastEvent = (raw: RawCell) => {
    const event = readEvent(raw);
    return event.ok ? event : fail(`${event.message}. Tidings does not know this Resend event yet: the row is kept (the message still counts as sent), only this value is left out`);
  };
  const email_events = z.object({
    message_id: id('message_id'), mailing_id: optional(readId), contact_id: optional(readId), email: text,
    // The send log never loses a row: an event Resend added after this version is a warning, the row kept without it.
    sent_at: instant, last_event: optional(lastEvent, { ...oneOf(EMAIL_EVENT), warnOnly: true }),
    opened_at: instant, clicked_at: instant, updated_at: instant,
    bounce_type: optional(enumReader(BOUNCE_TYPE), oneOf(BOUNCE_TYPE)),
  });

  const impact = z.object({
    period: required(readText, 'period'), metric: required(readText, 'metric'), value: required(readNumber, 'value'),
    unit: text, note: text, public: yesNo,
  });

  const unsubscribes = z.object({
    timestamp: instant, token: text, email: text, reason: text,
  });

  // Google Form responses (README, Sign-up and preferences): the public can post anything, so every
  // answer is read as text and checked by the sign-up and preference steps, never fatal here.
  const signups = z.object({
    timestamp: instant, email: text, first_name: text, last_name: text, phone: text, region: text,
    channels: text, topics: text, frequency: text, language: text,
    consent_version: text, source: text, event_id: text, confirm: text,
    // Written by sync after the form's columns (emails/signups): what became of the row, so a
    // re-run never mails twice and staff see it. status: pending | confirmed | expired | junk |
    // duplicate | suppressed, or for a confirmation row: confirmation | invalid.
    status: text, signup_id: text, contact_id: text, processed_at: instant, note: text,
  });

  const preferences = z.object({
    timestamp: instant, token: text, channels: text, topics: text, frequency: text,
  });

  const metrics = ctx.goalMetrics ?? goalMetrics();
  const goals = z
    .object({
      metric: required(goalMetricReader(metrics), 'metric'),
      target: required(readText, 'target'),
      fiscal_year: optional(readFiscalYear),
      note: text,
    })
    .transform((g, check) => {
      const target = readGoalTarget(g.target, metrics.find(g.metric)!.kind);
      if (target.ok) return { ...g, target: target.value };
      check.issues.push({ code: 'custom', path: ['target'], input: g.target, message: target.message });
      return z.NEVER;
    });

  return { contacts, donations, recurring, events, participants, campaigns, mailings, stories, email_events, impact, unsubscribes, signups, preferences, goals };
}

export type TabSchemas = ReturnType<typeof tabSchemas>;
export type RowTabName = keyof TabSchemas;
export type TabRow<T extends RowTabName> = z.output<TabSchemas[T]>;

/** Tabs whose absence is fatal; every other tab may be missing (read as empty). */
export const REQUIRED_TABS: readonly RowTabName[] = ['contacts', 'donations'];

/** The column each tab is keyed by; a repeated value is an error on each later row. */
export const ID_COLUMN: Partial<Record<RowTabName, string>> = {
  contacts: 'contact_id', donations: 'donation_id', recurring: 'recurring_id', events: 'event_id',
  campaigns: 'slug', mailings: 'mailing_id', email_events: 'message_id',
};

/** Reading order: a tab comes after the tabs its rows refer to. */
export const TAB_ORDER: readonly RowTabName[] = [
  'contacts', 'recurring', 'donations', 'events', 'participants', 'campaigns', 'mailings', 'stories',
  'email_events', 'impact', 'unsubscribes', 'signups', 'preferences', 'goals',
];

/** Each tab's columns in data-model order: the header row of a new tab or `<tab>.csv`. */
export function tabColumns(tab: RowTabName): string[] {
  return columnsOf(tabSchemas({ timeZone: 'UTC', currency: 'TWD' })[tab]).map((c) => c.name);
}
