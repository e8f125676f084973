import { z } from 'zod';
import { isWebAddress } from '../cells/text.ts';
import { LOCALES } from '../locale.ts';
import { PREFERENCE_FIELDS, PREFERENCE_REQUIRED, SIGNUP_FIELDS, SIGNUP_REQUIRED, googleFormSetting, topicsSetting } from './google-form.ts';

/** Defaults as staff would write them in the settings tab (a new sheet's settings rows). */
export const DEFAULTS = {
  org_name: 'Tidings',
  currency: 'TWD',
  timezone: 'Asia/Taipei',
  fiscal_year_start: '01-01',
  default_locale: 'zh-TW',
  default_country: 'TW',
  map_min_supporters: 5,
  non_donation_types: 'membership, event fee',
  receipt_format: '{year}-{seq:05}',
  topics: 'newsletter, appeals, events, volunteering',
  consent_version: '1',
  signup_expiry_days: 7,
} as const;

/** A web address setting: https (http only on this machine, for trying things out). */
const webAddress = (what: string) => z.string().refine(isWebAddress, `write the full address of ${what}, starting with https://`);

// A sender as Resend's `from` takes it (https://resend.com/docs/api-reference/emails/send-email):
// "name@example.org" or "Name <name@example.org>", on one line: a line break in a header value
// would let a cell add headers of its own.
const MAILBOX = /^(?:([^<>\u0000-\u001f\u007f]*?) *<([^<>\s]+)>|([^<>\s]+))$/;
const emailCheck = z.email();
const isMailbox = (text: string) => {
  const m = MAILBOX.exec(text);
  return !!m && emailCheck.safeParse(m[2] ?? m[3]).success;
};
const mailbox = (example: string) => z.string().refine(isMailbox, `write one address on one line, e.g. ${example}`);

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The settings tab (key, value). Every key has a sensible default, so the tab is optional. */
export const settingsSchema = z.object({
  org_name: z.string().default(DEFAULTS.org_name),
  org_address: z.string().optional(),
  currency: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'write a three-letter currency code such as TWD'))
    .default(DEFAULTS.currency),
  timezone: z.string().refine(validTimeZone, 'write a time zone name such as Asia/Taipei').default(DEFAULTS.timezone),
  fiscal_year_start: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'write the first day of the fiscal year as MM-DD, e.g. 07-01')
    .default(DEFAULTS.fiscal_year_start),
  default_locale: z.enum(LOCALES, { error: 'write zh-TW or en' }).default(DEFAULTS.default_locale),
  // Phones written without a country code (0912-345-678) are read as this country's numbers.
  default_country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'write a two-letter country code such as TW')
    .transform((s) => s.toUpperCase())
    .default(DEFAULTS.default_country),
  site_url: webAddress('the public site').optional(),
  brand_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'write the colour as # and six hex digits, e.g. #1f6f5c')
    .transform((s) => s.toLowerCase())
    .optional(),
  logo_url: webAddress('the logo image').optional(),
  email_from: mailbox('小小基金會 <news@example.org>').optional(),
  email_reply_to: mailbox('hello@example.org or 小小基金會 <hello@example.org>').optional(),
  // Resend's plan sets how long it keeps email data (1 / 3 / 7 days): the window tracking can poll.
  resend_plan: z.enum(['free', 'pro', 'scale'], { error: 'write free, pro or scale (your Resend plan)' }).default('free'),
  resend_retention_days: z.coerce.number({ error: 'write a whole number of days such as 3' }).int().min(1).optional(),
  /** The Google Form that records unsubscribes (its formResponse address) and the token field (entry.NNN). */
  unsubscribe_form_url: webAddress('the Google Form, ending in /formResponse').optional(),
  unsubscribe_form_field: z.string().regex(/^entry\.\d+$/, 'write the form field name, e.g. entry.123456789').optional(),
  // Sign-up and preferences (README, Sign-up and preferences): each form as its pre-filled link.
  signup_form: googleFormSetting(SIGNUP_FIELDS, SIGNUP_REQUIRED).optional(),
  preferences_form: googleFormSetting(PREFERENCE_FIELDS, PREFERENCE_REQUIRED).optional(),
  /** The mailing topics supporters choose from; a mailing's topic must be one of them. */
  topics: topicsSetting.prefault(DEFAULTS.topics),
  // The purpose statement shown before the sign-up button (告知收集的原因及用途). Blank parts get the
  // site's default wording; change consent_version whenever the wording changes, so each consent
  // records which statement the person agreed to.
  consent_version: z.string().trim().min(1).max(40).default(DEFAULTS.consent_version),
  consent_what: z.string().optional(),
  consent_how_often: z.string().optional(),
  consent_who_sees: z.string().optional(),
  consent_how_to_leave: z.string().optional(),
  /** Days a sign-up may wait for its confirmation before it is removed. */
  signup_expiry_days: z.coerce.number({ error: 'write a whole number of days such as 7' }).int().min(1).max(90).default(DEFAULTS.signup_expiry_days),
  map_min_supporters: z.coerce.number({ error: 'write a whole number such as 5' }).int().min(1).default(DEFAULTS.map_min_supporters),
  non_donation_types: z
    .string()
    .default(DEFAULTS.non_donation_types)
    .transform((s) => s.split(/[,;，、]/).map((t) => t.trim().toLowerCase()).filter(Boolean)),
  // Receipts (README, Receipts): number = receipt_prefix + receipt_format with {year} (fiscal year
  // label) and {seq} or {seq:05} (the sequence in that fiscal year, zero-padded to 5 digits).
  receipt_prefix: z.string().regex(/^[^{}]*$/, 'the prefix is plain text: leave out { and }').default(''),
  receipt_format: z
    .string()
    .regex(/^(?:[^{}]|\{year\}|\{seq(?::0?\d{1,2})?\})*$/, 'use only {year} and {seq} or {seq:05} in braces, e.g. {year}-{seq:05}')
    .refine((f) => (f.match(/\{seq/g) ?? []).length === 1, 'put {seq} (or {seq:05}) in the format exactly once, e.g. {year}-{seq:05}')
    .refine((f) => f.includes('{year}'), 'put {year} in the format, so each fiscal year has its own sequence, e.g. {year}-{seq:05}')
    .default(DEFAULTS.receipt_format),
  org_tax_id: z.string().optional(),
  receipt_signatory: z.string().optional(),
});

export type Settings = z.output<typeof settingsSchema>;
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as (keyof Settings)[];
export const defaultSettings = (): Settings => settingsSchema.parse({});
