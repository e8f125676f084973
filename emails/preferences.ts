import type { Contact, Dataset } from '../sync/dataset.ts';
import type { Problem } from '../sync/problems.ts';
import { CHANNELS, type Channel, EMAIL_FREQUENCIES, type EmailFrequency } from '../sync/schema/google-form.ts';
import { type CellUpdate, isWritable } from '../sync/sources/source.ts';
import { emailHash } from '../sync/suppressions.ts';
import { type Synced, locate } from '../sync/load.ts';
import { preferencesPageUrl } from '../reports/site-links.ts';
import { asLocale } from './i18n.ts';
import { LISTED_INVALID, checkUnsubscribes, preferencesToken, tokenVerifier, unsubscribeToken } from './unsubscribe.ts';

/** What a supporter chose on the preference centre, as one verified row of the preferences tab says. */
export interface Choice {
  row: number;
  contact_id: string;
  channels: Channel[];
  /** The org's topic ids, in settings order; empty when none was ticked. */
  topics: string[];
  frequency: EmailFrequency;
}

/** Why a row of the preferences tab was not applied. */
export type Refusal = 'malformed' | 'forged' | 'unknown contact' | 'unreadable choices' | 'email not turned back on';

export interface PreferencePlan {
  /** The latest verified row of each contact, by contact id. */
  choices: Map<string, Choice>;
  /** The cells to write (only those that differ from the contact now: a row applied twice writes nothing). */
  updates: CellUpdate[];
  /** The contacts as they are after the updates (new objects; the dataset is not changed). */
  contacts: Contact[];
  /** Contacts whose email was turned off now, and whose choices changed in any way. */
  optedOut: string[];
  changed: string[];
  /** The first LISTED_INVALID rows not applied, and how many there were by reason. */
  refused: { row: number; token: string; reason: Refusal; detail?: string }[];
  refusedCount: Record<Refusal, number>;
}

const splitIds = (text: string | undefined) => (text ?? '').split(/[,;，、\s]+/).map((p) => p.trim().toLowerCase()).filter(Boolean);

/** The row's answers read as choices; the first answer that is not one of ours when any is. */
function readChoice(row: Dataset['preferences'][number], topicIds: readonly string[]): { ok: true; choice: Omit<Choice, 'row' | 'contact_id'> } | { ok: false; detail: string } {
  const channels = splitIds(row.channels);
  const strange = channels.find((c) => !(CHANNELS as readonly string[]).includes(c));
  if (strange) return { ok: false, detail: `channels "${strange}" is not one of ${CHANNELS.join(', ')}` };
  const frequency = (row.frequency ?? '').trim().toLowerCase();
  if (!(EMAIL_FREQUENCIES as readonly string[]).includes(frequency)) return { ok: false, detail: `frequency "${row.frequency ?? ''}" is not one of ${EMAIL_FREQUENCIES.join(', ')}` };
  // A topic the org has since removed from settings (the page was built earlier) is dropped, not fatal.
  const wanted = new Set(splitIds(row.topics));
  return {
    ok: true,
    choice: { channels: CHANNELS.filter((c) => channels.includes(c)), topics: topicIds.filter((t) => wanted.has(t)), frequency: frequency as EmailFrequency },
  };
}

/**
 * A contact's current choices, as the preference centre's link shows them: channels from the
 * opt-ins, topics (blank: every topic) and frequency (blank: every mailing).
 */
export function currentChoices(contact: Contact, topicIds: readonly string[]) {
  const topics = contact.topics?.length ? topicIds.filter((t) => contact.topics!.some((c) => c.trim().toLowerCase() === t)) : [...topicIds];
  const channels = CHANNELS.filter((c) => (c === 'email' ? contact.email_opt_in === true : contact.sms_opt_in === true));
  return { channels, topics, frequency: contact.email_frequency ?? 'every' };
}

/**
 * The recipient's preference centre: their signed token and current choices, on the site in their
 * own language (the default locale's page at the root, the other's under /<locale>/).
 */
export function preferencesLink(dataset: Pick<Dataset, 'settings'>, contact: Contact, secret: string, site: string): string {
  const { settings } = dataset;
  const locale = asLocale(contact.language, settings.default_locale);
  const choices = currentChoices(contact, settings.topics.map((t) => t.id));
  return preferencesPageUrl(site, preferencesToken(secret, contact.contact_id), choices, locale, settings.default_locale, unsubscribeToken(secret, contact.contact_id));
}

const sameList = (a: readonly string[] | undefined, b: readonly string[]) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/** A contact has consented to email before: a recorded consent, or Tidings has mailed them (only opted-in contacts are mailed). */
function consentedBefore(contact: Contact, mailed: ReadonlySet<string>): boolean {
  return !!contact.consent_at || contact.email_opt_in === true || mailed.has(contact.contact_id);
}

/**
 * Reads the preferences tab (Google Form responses from /preferences/) and plans what it changes.
 * Only rows whose token verifies for the 'preferences' purpose count, and of a contact's rows the
 * latest timestamp wins. Channels set email_opt_in and sms_opt_in: turning one off always
 * applies; turning one on applies only for a contact who consented before, and never for a
 * contact who unsubscribed (the unsubscribe form is total and final) or is on the suppression
 * list, so a forwarded link cannot sign a stranger up. Choosing no topic at all turns email off.
 */
export function planPreferences(dataset: Pick<Dataset, 'contacts' | 'preferences' | 'unsubscribes' | 'email_events' | 'suppressed' | 'settings'>, secret: string): PreferencePlan {
  const verify = tokenVerifier(secret, dataset.contacts, 'preferences');
  const topicIds = dataset.settings.topics.map((t) => t.id);
  const refusedCount: Record<Refusal, number> = { malformed: 0, forged: 0, 'unknown contact': 0, 'unreadable choices': 0, 'email not turned back on': 0 };
  const refused: PreferencePlan['refused'] = [];
  const refuse = (row: number, token: string, reason: Refusal, detail?: string) => {
    refusedCount[reason]++;
    if (refused.length < LISTED_INVALID) refused.push({ row, token, reason, ...(detail && { detail }) });
  };

  const latest = new Map<string, { choice: Choice; timestamp: string; token: string }>();
  for (const row of dataset.preferences) {
    const token = row.token ?? '';
    const check = verify(token);
    if (!check.ok) {
      refuse(row.row, token, check.reason);
      continue;
    }
    const read = readChoice(row, topicIds);
    if (!read.ok) {
      refuse(row.row, token, 'unreadable choices', read.detail);
      continue;
    }
    // Form timestamps sort as ISO instants; a row without one counts as the oldest, and of equal ones the lower row wins.
    const timestamp = row.timestamp ?? '';
    const before = latest.get(check.contact_id);
    if (!before || timestamp >= before.timestamp) latest.set(check.contact_id, { choice: { ...read.choice, row: row.row, contact_id: check.contact_id }, timestamp, token });
  }

  const unsubscribed = checkUnsubscribes(dataset, secret).contactIds;
  const mailed = new Set<string>();
  for (const e of dataset.email_events) if (e.contact_id && e.mailing_id) mailed.add(e.contact_id);

  const updates: CellUpdate[] = [];
  const optedOut: string[] = [];
  const changed: string[] = [];
  const choices = new Map<string, Choice>();
  const contacts = dataset.contacts.map((contact) => {
    const found = latest.get(contact.contact_id);
    if (!found) return contact;
    const { choice, token } = found;
    choices.set(contact.contact_id, choice);
    const next: { -readonly [K in keyof Contact]: Contact[K] } = { ...contact };
    const set = (column: 'email_opt_in' | 'sms_opt_in' | 'topics' | 'email_frequency', value: string) => updates.push({ id: contact.contact_id, column, value });

    const wantsEmail = choice.channels.includes('email') && choice.topics.length > 0;
    const mayTurnOn = consentedBefore(contact, mailed) && !unsubscribed.has(contact.contact_id) && !(contact.email && dataset.suppressed.has(emailHash(contact.email)));
    if (!wantsEmail && contact.email_opt_in !== false) {
      set('email_opt_in', 'no');
      next.email_opt_in = false;
      optedOut.push(contact.contact_id);
    } else if (wantsEmail && contact.email_opt_in !== true) {
      if (mayTurnOn) {
        set('email_opt_in', 'yes');
        next.email_opt_in = true;
      } else refuse(choice.row, token, 'email not turned back on', unsubscribed.has(contact.contact_id) ? 'they unsubscribed through the unsubscribe form' : 'they never consented to email or are on the suppression list');
    }
    const wantsSms = choice.channels.includes('sms');
    if (!wantsSms && contact.sms_opt_in === true) {
      set('sms_opt_in', 'no');
      next.sms_opt_in = false;
    } else if (wantsSms && contact.sms_opt_in !== true && mayTurnOn) {
      set('sms_opt_in', 'yes');
      next.sms_opt_in = true;
    }
    // Topics are written only while email is wanted: "no topic" is said by email_opt_in no, and blank topics would mean every topic.
    if (choice.topics.length > 0 && !sameList(contact.topics, choice.topics)) {
      set('topics', choice.topics.join(', '));
      next.topics = choice.topics;
    }
    if ((contact.email_frequency ?? 'every') !== choice.frequency) {
      set('email_frequency', choice.frequency);
      next.email_frequency = choice.frequency;
    }
    if (updates.at(-1)?.id === contact.contact_id) {
      changed.push(contact.contact_id);
      return next;
    }
    return contact;
  });
  return { choices, updates, contacts, optedOut, changed, refused, refusedCount };
}

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * The sync step: plans the preferences tab, writes the changed cells to contacts through the source
 * (found by contact_id at write time, so staff sorting or inserting rows meanwhile is safe), and
 * returns the contacts as they now are, the problems for rows not applied, and one log line.
 */
export async function applyPreferences(synced: Pick<Synced, 'dataset' | 'source' | 'headers'>, secret: string): Promise<{ contacts: readonly Contact[]; problems: Problem[]; line: string }> {
  const plan = planPreferences(synced.dataset, secret);
  const problems: Problem[] = plan.refused.map((r) => locate(synced, {
    severity: 'warning', tab: 'preferences', row: r.row, column: r.reason === 'unreadable choices' ? undefined : 'token', value: r.token.slice(0, 60),
    message: r.reason === 'email not turned back on'
      ? `this person asked for email again, but ${r.detail}: email_opt_in stays as it is (the rest of their choices was applied); if they really want mail again, ask them to sign up on the join page`
      : `this preferences row was not applied: ${r.detail ?? `its token is ${r.reason}`}`,
  }));
  let refused = 0;
  for (const n of Object.values(plan.refusedCount)) refused += n;
  if (refused > plan.refused.length) {
    const counts = Object.entries(plan.refusedCount).filter(([, n]) => n > 0).map(([reason, n]) => `${grouped(n)} ${reason}`).join(', ');
    problems.push({
      severity: 'warning', tab: 'preferences',
      message: `${grouped(refused)} preferences rows not applied (${counts}); the first ${plan.refused.length} are listed. Many at once are usually junk posted to the public form, which does no harm; delete those rows from the tab when convenient`,
    });
  }
  const { source } = synced;
  const writable = isWritable(source);
  if (plan.updates.length > 0 && writable) await source.updateCells('contacts', 'contact_id', plan.updates);
  const line = writable || plan.updates.length === 0
    ? `preferences: ${plan.choices.size} contacts' choices read, ${plan.changed.length} changed now (${plan.optedOut.length} turned email off); ${grouped(refused)} rows not applied${refused > 0 ? ' (see problems)' : ''}`
    : `preferences: ${plan.changed.length} contacts' choices not applied: ${source.label} cannot be written to`;
  return { contacts: writable ? plan.contacts : synced.dataset.contacts, problems, line };
}
