import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { Row } from '../../sync/dataset.ts';
import { CHANNELS, type Channel, EMAIL_FREQUENCIES, type EmailFrequency } from '../../sync/schema/google-form.ts';
import type { Locale } from '../../sync/locale.ts';
import type { Settings } from '../../sync/schema/settings.ts';
import { normaliseEmail } from '../../sync/suppressions.ts';

export type Signup = Row<'signups'>;

/** A sign-up's answers, checked: what a confirmation writes to the contact. */
export interface SignupAnswers {
  email: string;
  first_name?: string;
  last_name?: string;
  /** E.164 (+886912345678), read with settings.default_country when written without a country code. */
  phone?: string;
  region?: string;
  channels: Channel[];
  /** Empty: every topic. */
  topics: string[];
  frequency: EmailFrequency;
  language: Locale;
  consent_version: string;
  source?: string;
  event_id?: string;
}

/** Something wrong with one answer: junk makes the whole row junk; a warning drops only that answer. */
export interface AnswerProblem {
  column: string;
  value: string;
  message: string;
  junk: boolean;
}

const emailCheck = z.email();
/** RFC 5321 caps a path at 256 octets, so an address is at most 254 characters. */
const MAX_EMAIL = 254;
/** Longer than any name, region or page path a person types; a bot's payloads are longer. */
const MAX_ANSWER = 200;
// What no person types into a name or region: links, markup, control characters (bots filling every field).
const GARBAGE = /https?:|www\.|[<>{}]|[\u0000-\u0008\u000b-\u001f\u007f]/i;

const list = (text: string | undefined) => (text ?? '').split(/[,;，、\s]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);

/**
 * Checks a sign-up's answers as the public form delivered them (or as staff typed a paper sheet):
 * a valid address, the purpose statement's version, the allowed channels, frequency and language;
 * unknown topics and an unreadable phone are dropped with a warning, the row kept.
 */
export function checkAnswers(s: Signup, settings: Pick<Settings, 'topics' | 'default_locale' | 'default_country'>): { answers?: SignupAnswers; problems: AnswerProblem[] } {
  const problems: AnswerProblem[] = [];
  const junk = (column: string, value: string | undefined, message: string) => problems.push({ column, value: (value ?? '').slice(0, 60), message, junk: true });
  const warn = (column: string, value: string, message: string) => problems.push({ column, value: value.slice(0, 60), message, junk: false });

  const email = normaliseEmail(s.email ?? '').replace(/^mailto:/, '');
  if (!email) junk('email', s.email, 'no email address: nobody can confirm this sign-up, so it was not processed');
  else if (email.length > MAX_EMAIL || !emailCheck.safeParse(email).success) junk('email', s.email, 'not a valid email address: the sign-up was not processed (if a person wrote it on a paper sheet, correct it and clear the status cell)');
  for (const column of ['first_name', 'last_name', 'phone', 'region', 'source', 'event_id', 'consent_version', 'channels', 'topics', 'frequency', 'language'] as const) {
    const value = s[column];
    if (!value) continue;
    if (value.length > MAX_ANSWER) junk(column, value, `longer than ${MAX_ANSWER} characters: junk posted to the public form, not processed`);
    else if (GARBAGE.test(value) && column !== 'source') junk(column, value, 'holds a link, markup or control characters: junk posted to the public form, not processed');
  }
  if (!s.consent_version?.trim()) junk('consent_version', '', 'no consent_version: the join page always sends it; for a paper sheet, type the version printed on it (settings consent_version) and clear the status cell');
  const channels = list(s.channels);
  const badChannel = channels.find((c) => !(CHANNELS as readonly string[]).includes(c));
  if (badChannel) junk('channels', s.channels, `"${badChannel}" is not a channel: write ${CHANNELS.join(', ')} (comma-separated)`);
  const frequency = (s.frequency?.trim().toLowerCase() || 'every') as EmailFrequency;
  if (!EMAIL_FREQUENCIES.includes(frequency)) junk('frequency', s.frequency, `not a frequency: write one of ${EMAIL_FREQUENCIES.join(', ')}`);
  const languageText = s.language?.trim().toLowerCase() || settings.default_locale.toLowerCase();
  const language: Locale | undefined = languageText === 'en' ? 'en' : ['zh-tw', 'zh'].includes(languageText) ? 'zh-TW' : undefined;
  if (!language) junk('language', s.language, 'not a language: write zh-TW or en');

  const known = new Set(settings.topics.map((t) => t.id));
  const topics: string[] = [];
  for (const t of list(s.topics)) {
    if (known.has(t)) {
      if (!topics.includes(t)) topics.push(t);
    } else warn('topics', t, `"${t}" is not one of the topics in settings (${[...known].join(', ')}): left out, the other choices kept`);
  }
  let phone: string | undefined;
  if (s.phone?.trim()) {
    const parsed = parsePhoneNumberFromString(s.phone, settings.default_country as CountryCode);
    if (parsed?.isValid()) phone = parsed.number;
    else warn('phone', s.phone, `not a phone number Tidings can read (country ${settings.default_country} unless it starts with +): left out, the sign-up kept`);
  }
  if (problems.some((p) => p.junk)) return { problems };
  return {
    problems,
    answers: {
      email, phone, channels: channels.length > 0 ? (channels as Channel[]) : ['email'], topics, frequency, language: language!,
      consent_version: s.consent_version!.trim(),
      ...(s.first_name && { first_name: s.first_name.trim() }), ...(s.last_name && { last_name: s.last_name.trim() }),
      ...(s.region && { region: s.region.trim() }), ...(s.source && { source: s.source.trim() }), ...(s.event_id && { event_id: s.event_id.trim() }),
    },
  };
}
