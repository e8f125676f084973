import { z } from 'zod';
import { EMAIL_FREQUENCY } from '../cells/enums.ts';

/**
 * A Google Form as Tidings posts to it, from the form's pre-filled link. Staff make one short-answer
 * question per field, open ⋮ → Get pre-filled link, type each question's own field name as its
 * answer (email in the email question, topics in the topics question, ...) and paste the link into
 * settings. Google's link carries `entry.NNN=<answer>` for every answered question, so the answers
 * tell which entry each field is: no entry number is ever copied by hand.
 */
export interface GoogleForm {
  /** Where answers are posted: the form's …/formResponse address. */
  action: string;
  /** Tidings field name → the form's `entry.NNN` parameter. */
  fields: Readonly<Record<string, string>>;
}

/** The sign-up form's fields (one short-answer question each). Multi-valued fields are comma-separated. */
export const SIGNUP_FIELDS = [
  'email', 'first_name', 'last_name', 'phone', 'region',
  // channels: email, sms · topics: topic ids from settings · frequency: every, monthly, quarterly
  'channels', 'topics', 'frequency', 'language',
  // which purpose statement the person saw, and on which page (e.g. /en/join/) or event
  'consent_version', 'source', 'event_id',
  // filled alone by the confirmation page: the signed token from the confirmation email
  'confirm',
] as const;
export const SIGNUP_REQUIRED = ['email', 'consent_version', 'source', 'confirm'] as const;

/** The preference centre's form: the signed per-contact token and the choices. */
export const PREFERENCE_FIELDS = ['token', 'channels', 'topics', 'frequency'] as const;
export const PREFERENCE_REQUIRED = ['token', 'channels', 'topics', 'frequency'] as const;

const FORM_HOST = 'docs.google.com';

/** Reads a pre-filled link (…/viewform?usp=pp_url&entry.1=email&…) into the form's post address and fields. */
export function readPrefilledLink(text: string, known: readonly string[], required: readonly string[]): { ok: true; form: GoogleForm } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'paste the form\'s pre-filled link (⋮ → Get pre-filled link), starting with https://docs.google.com/forms/' };
  }
  const local = url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname);
  if (!local && url.hostname === FORM_HOST && /^\/forms\/(?:u\/\d+\/)?d\/(?!e\/)[\w-]+\/edit$/.test(url.pathname)) {
    return { ok: false, message: 'this is the link for editing the form: in the form editor open ⋮ → Get pre-filled link, type each field name as its answer, and paste that link' };
  }
  if (!local && (url.protocol !== 'https:' || url.hostname !== FORM_HOST || !/^\/forms\/(?:u\/\d+\/)?d\/e\/[\w-]+\/(?:viewform|formResponse)$/.test(url.pathname))) {
    return { ok: false, message: 'this is not a Google Form link: paste the pre-filled link, https://docs.google.com/forms/d/e/<form id>/viewform?usp=pp_url&entry.…' };
  }
  const fields: Record<string, string> = {};
  const unknown: string[] = [];
  const twice: string[] = [];
  for (const [param, answer] of url.searchParams) {
    if (!/^entry\.\d+$/.test(param)) continue;
    const name = answer.trim().toLowerCase();
    if (!known.includes(name)) unknown.push(answer);
    else if (fields[name] && fields[name] !== param) twice.push(name);
    else fields[name] = param;
  }
  // Two questions answered with one name would leave one of them never filled: say which.
  if (twice.length > 0) {
    return { ok: false, message: `more than one question has the answer ${twice.join(', ')}: type each field name in exactly one question` };
  }
  const missing = required.filter((f) => !fields[f]);
  if (missing.length > 0) {
    return { ok: false, message: `the link does not name the question(s) ${missing.join(', ')}: in the pre-filled link, type each question's field name as its answer (${known.join(', ')})` };
  }
  if (unknown.length > 0) {
    return { ok: false, message: `the answer(s) ${unknown.map((u) => `"${u}"`).join(', ')} are not field names: type each question's field name as its answer (${known.join(', ')})` };
  }
  // /u/0/ is the staff member's signed-in account in their browser; visitors post without it.
  const path = url.pathname.replace(/^\/forms\/u\/\d+\//, '/forms/').replace(/\/viewform$/, '/formResponse');
  return { ok: true, form: { action: url.origin + path, fields } };
}

/** A settings value holding a pre-filled link, read into a GoogleForm. */
export const googleFormSetting = (known: readonly string[], required: readonly string[]) =>
  z.string().transform((text, check) => {
    const read = readPrefilledLink(text, known, required);
    if (read.ok) return read.form;
    check.issues.push({ code: 'custom', input: text, message: read.message });
    return z.NEVER;
  });

/** How often a supporter wants mail of a topic: every mailing, or a monthly / quarterly digest. */
export const EMAIL_FREQUENCIES = EMAIL_FREQUENCY.values;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

/** The channels a supporter can choose. */
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A mailing topic the org offers; `label` is the org's own name for it (else the site's translation of well-known ids). */
export interface Topic {
  id: string;
  label?: string;
}

/** "newsletter, appeals, events=活動與講座, volunteering": ids (lowercase letters, digits, - and _), each with an optional =label. */
export function readTopics(text: string): { ok: true; topics: Topic[] } | { ok: false; message: string } {
  const topics: Topic[] = [];
  for (const part of text.split(/[,;，、]/).map((p) => p.trim()).filter(Boolean)) {
    // The first = (or the full-width ＝ a Chinese keyboard types) ends the id; the label may hold more.
    const cut = part.search(/[=＝]/);
    const rawId = (cut < 0 ? part : part.slice(0, cut)).trim();
    const id = rawId.toLowerCase();
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) return { ok: false, message: `"${rawId}" is not a topic id: use lowercase letters, digits, - and _, then =label if you like, e.g. events=活動與講座` };
    if (topics.some((t) => t.id === id)) return { ok: false, message: `the topic ${id} is listed twice: list each topic once` };
    const label = cut < 0 ? '' : part.slice(cut + 1).trim();
    topics.push(label ? { id, label } : { id });
  }
  if (topics.length === 0) return { ok: false, message: 'list at least one topic, e.g. newsletter' };
  return { ok: true, topics };
}

export const topicsSetting = z.string().transform((text, check) => {
  const read = readTopics(text);
  if (read.ok) return read.topics;
  check.issues.push({ code: 'custom', input: text, message: read.message });
  return z.NEVER;
});
