import { blockedByEvents } from '../../reports/reachability.ts';
import type { Contact, Dataset } from '../../sync/dataset.ts';
import { dateInZone } from '../../sync/cells/dates.ts';
import type { RawCell } from '../../sync/cells/result.ts';
import type { Problem } from '../../sync/problems.ts';
import type { CellUpdate } from '../../sync/sources/source.ts';
import { emailHash, normaliseEmail } from '../../sync/suppressions.ts';
import { isPending } from '../send/send-log.ts';
import { type Signup, type SignupAnswers, checkAnswers } from './check.ts';
import { checkConfirmToken, confirmToken, signupId } from './token.ts';

/** The columns sync writes on a signups row, after the form's own. */
export const PROGRESS_COLUMNS = ['status', 'signup_id', 'contact_id', 'processed_at', 'note'] as const;

/** Problems listed one by one; past this, one problem counts the rest (junk arrives by the thousand). */
export const LISTED_PROBLEMS = 20;

/** The send log's id (email_events.mailing_id) of a sign-up's confirmation email. */
export const sendLogId = (id: string) => `signup:${id}`;

/** A contact a sign-up made while it waits for confirmation: its id follows from the sign-up's, so a re-run after a crash finds it. */
export const pendingContactId = (id: string) => `signup-${id}`;

/** A confirmation email to send (or to write to the outbox in a dry run). */
export interface ConfirmationMail {
  signup_id: string;
  contact_id: string;
  answers: SignupAnswers;
  token: string;
  /** The contact was there before the sign-up: the email also links to their preference centre. */
  existingContact?: Pick<Contact, 'contact_id' | 'topics' | 'email_frequency' | 'sms_opt_in' | 'email_opt_in'>;
}

export interface SignupCounts {
  new: number;
  pending: number;
  confirmed: number;
  expired: number;
  junk: number;
  duplicate: number;
  suppressed: number;
  /** Confirmation rows whose token was malformed, forged, for an unknown or expired sign-up. */
  invalidConfirmations: number;
}

export interface SignupPlan {
  /** Pending contacts to add (contacts tab rows by column name). */
  newContacts: Record<string, RawCell>[];
  /** Progress cells on signups rows, each row found by its key (its answers' cells). */
  rowUpdates: CellUpdate[];
  /** Consent and preferences written to contacts on confirmation. */
  contactUpdates: CellUpdate[];
  newParticipants: Record<string, RawCell>[];
  /** Pending contacts of expired sign-ups, to remove. */
  expiredContacts: string[];
  mail: ConfirmationMail[];
  problems: Problem[];
  counts: SignupCounts;
}

export interface SignupInput {
  dataset: Pick<Dataset, 'signups' | 'contacts' | 'events' | 'participants' | 'email_events' | 'suppressed' | 'settings'>;
  /** Each signups row's key (row number → the id write-back finds it by); rows without one are left alone. */
  keys: ReadonlyMap<number, string>;
  secret: string;
  now: Date;
}

const DAY_MS = 86_400_000;
function sentIds(events: Dataset['email_events']): Set<string> {
  const sent = new Set<string>();
  for (const e of events) if (e.mailing_id?.startsWith('signup:') && !isPending(e.message_id)) sent.add(e.mailing_id);
  return sent;
}

/**
 * What this sync does with the signups tab (double opt-in), decided from the dataset and the
 * clock alone; emails/signups/run.ts does the writing and sending. New rows are checked and
 * become pending (a new contact, or the existing one with that address, changed only on
 * confirmation), duplicates or junk; confirmation rows are verified and applied once; pending
 * sign-ups past settings.signup_expiry_days expire and the contacts they made are removed.
 */
export function planSignups({ dataset, keys, secret, now }: SignupInput): SignupPlan {
  const { settings } = dataset;
  const at = now.toISOString();
  const plan: SignupPlan = { newContacts: [], rowUpdates: [], contactUpdates: [], newParticipants: [], expiredContacts: [], mail: [], problems: [], counts: { new: 0, pending: 0, confirmed: 0, expired: 0, junk: 0, duplicate: 0, suppressed: 0, invalidConfirmations: 0 } };
  let unlisted = 0;
  const problem = (s: Signup, column: string | undefined, value: string | undefined, message: string) => {
    if (plan.problems.length < LISTED_PROBLEMS) plan.problems.push({ severity: 'warning', tab: 'signups', row: s.row, column, value, message });
    else unlisted++;
  };
  const mark = (s: Signup, cells: Partial<Record<(typeof PROGRESS_COLUMNS)[number], string>>) => {
    const id = keys.get(s.row);
    if (!id) return;
    for (const [column, value] of Object.entries(cells)) plan.rowUpdates.push({ id, column, value: value ?? '' });
  };

  const contactsByEmail = new Map<string, Contact>();
  const contactsById = new Map<string, Contact>();
  for (const c of dataset.contacts) {
    contactsById.set(c.contact_id, c);
    if (c.email && !contactsByEmail.has(normaliseEmail(c.email))) contactsByEmail.set(normaliseEmail(c.email), c);
  }
  const blocked = blockedByEvents(dataset);
  const sent = sentIds(dataset.email_events);
  const bySignupId = new Map<string, Signup>();
  const pendingByEmail = new Map<string, Signup>();
  for (const s of dataset.signups) {
    if (s.signup_id && !s.confirm) bySignupId.set(s.signup_id, s);
    if (s.status === 'pending' && s.email) pendingByEmail.set(normaliseEmail(s.email), s);
  }
  // From when sync first saw it (when its email could go out): a paper sheet typed in days after the event is not born expired.
  const ageDays = (s: Signup) => (now.getTime() - Date.parse(s.processed_at ?? s.timestamp ?? at)) / DAY_MS;
  const answersOf = (s: Signup) => checkAnswers(s, settings).answers;
  /** The address asked to be left alone (suppression list, do_not_contact), bounced or complained: never mailed, not even a confirmation. */
  const barred = (email: string, contact?: Contact) =>
    dataset.suppressed.has(emailHash(email)) || blocked.has(`email:${email}`) || (!!contact && (!!contact.do_not_contact || blocked.has(`id:${contact.contact_id}`)));
  const mailFor = (s: Signup, id: string, contactId: string, answers: SignupAnswers, made: boolean) => {
    if (sent.has(sendLogId(id)) || barred(answers.email, contactsById.get(contactId))) return;
    const existing = made ? undefined : contactsById.get(contactId);
    plan.mail.push({ signup_id: id, contact_id: contactId, answers, token: confirmToken(secret, id), ...(existing && { existingContact: existing }) });
  };

  // Confirmations first: a sign-up confirmed in this run does not expire in it.
  const confirmedNow = new Set<string>();
  const participants = new Set(dataset.participants.map((p) => `${p.event_id}\0${p.contact_id}`));
  const events = new Set(dataset.events.map((e) => e.event_id));
  for (const row of dataset.signups) {
    if (!row.confirm || row.status) continue;
    const check = checkConfirmToken(secret, row.confirm);
    const signup = check.ok ? bySignupId.get(check.signup_id) : undefined;
    const reason = !check.ok ? check.reason : !signup ? 'for no sign-up in this tab' : signup.status === 'expired' ? 'for a sign-up that expired' : undefined;
    if (reason || !signup) {
      plan.counts.invalidConfirmations++;
      problem(row, 'confirm', row.confirm.slice(0, 60), `this confirmation token is ${reason}: nothing was applied (junk posted to the public form does no harm; delete such rows when convenient)`);
      mark(row, { status: 'invalid', processed_at: at, note: `token ${reason}` });
      continue;
    }
    const contactId = signup.contact_id ?? '';
    const contact = contactsById.get(contactId);
    const answers = answersOf(signup);
    if (signup.status !== 'pending' || confirmedNow.has(signup.signup_id!) || !contact || !answers) {
      mark(row, { status: 'confirmation', signup_id: signup.signup_id, contact_id: contactId, processed_at: at, note: signup.status === 'confirmed' || confirmedNow.has(signup.signup_id!) ? 'already confirmed: nothing changed' : `the sign-up is ${signup.status || 'not processed'}${contact ? '' : ' and its contact is gone'}: nothing changed` });
      continue;
    }
    confirmedNow.add(signup.signup_id!);
    plan.counts.confirmed++;
    const made = contactId === pendingContactId(signup.signup_id!);
    const set = (column: string, value: string | undefined, onlyIfBlank = false) => {
      if (value !== undefined) plan.contactUpdates.push({ id: contactId, column, value, ...(onlyIfBlank && { onlyIfBlank }) });
    };
    set('email_opt_in', 'yes');
    if (answers.channels.includes('sms')) set('sms_opt_in', 'yes');
    else if (made) set('sms_opt_in', 'no');
    set('consent_at', row.timestamp ?? at);
    set('consent_source', answers.event_id ? `event:${answers.event_id}` : (answers.source ?? 'signup'));
    set('consent_version', answers.consent_version);
    set('topics', answers.topics.join(', '));
    set('email_frequency', answers.frequency);
    // Staff's own values win: what the person typed fills only blank cells.
    for (const column of ['first_name', 'last_name', 'phone', 'region'] as const) set(column, answers[column], true);
    set('language', answers.language, true);
    mark(signup, { status: 'confirmed', processed_at: at });
    mark(row, { status: 'confirmation', signup_id: signup.signup_id, contact_id: contactId, processed_at: at });
    if (answers.event_id) {
      if (!events.has(answers.event_id)) problem(signup, 'event_id', answers.event_id, `no event ${answers.event_id} in the events tab: the person was confirmed but not added to participants; add the event (or fix the id) and add them by hand`);
      else if (!participants.has(`${answers.event_id}\0${contactId}`)) {
        participants.add(`${answers.event_id}\0${contactId}`);
        plan.newParticipants.push({ event_id: answers.event_id, contact_id: contactId, status: 'attended', registered_at: signup.timestamp ?? at });
      }
    }
  }

  for (const s of dataset.signups) {
    if (s.confirm) continue;
    if (s.status === 'pending') {
      const id = s.signup_id ?? '';
      if (confirmedNow.has(id)) continue;
      if (ageDays(s) > settings.signup_expiry_days) {
        plan.counts.expired++;
        const contact = contactsById.get(s.contact_id ?? '');
        // Only a contact this sign-up made, never confirmed by anyone since.
        if (contact && contact.contact_id === pendingContactId(id) && contact.email_opt_in !== true) plan.expiredContacts.push(contact.contact_id);
        mark(s, { status: 'expired', processed_at: at, note: `not confirmed within ${settings.signup_expiry_days} days` });
        pendingByEmail.delete(normaliseEmail(s.email ?? ''));
        continue;
      }
      plan.counts.pending++;
      const answers = answersOf(s);
      if (answers && s.contact_id) mailFor(s, id, s.contact_id, answers, s.contact_id === pendingContactId(id));
      continue;
    }
    if (s.status) continue;
    plan.counts.new++;
    const checked = checkAnswers(s, settings);
    for (const p of checked.problems) problem(s, p.column, p.value, p.message);
    const answers = checked.answers;
    if (!answers) {
      plan.counts.junk++;
      mark(s, { status: 'junk', processed_at: at, note: checked.problems.find((p) => p.junk)!.message.split(':')[0] });
      continue;
    }
    const existing = contactsByEmail.get(answers.email);
    if (barred(answers.email, existing)) {
      plan.counts.suppressed++;
      mark(s, { status: 'suppressed', processed_at: at, note: 'the address is on the suppression list, bounced, complained or is do_not_contact: no email was sent' });
      continue;
    }
    const waiting = pendingByEmail.get(answers.email);
    if (waiting) {
      plan.counts.duplicate++;
      mark(s, { status: 'duplicate', contact_id: waiting.contact_id ?? '', processed_at: at, note: `the same address already waits for confirmation (row ${waiting.row}): no second email` });
      continue;
    }
    plan.counts.pending++;
    const id = signupId(secret, keys.get(s.row) ?? `${s.row}`);
    const made = !existing || existing.contact_id === pendingContactId(id);
    const contactId = existing?.contact_id ?? pendingContactId(id);
    if (!existing) {
      plan.newContacts.push({
        contact_id: contactId, email: answers.email, first_name: answers.first_name ?? '', last_name: answers.last_name ?? '', phone: answers.phone ?? '',
        region: answers.region ?? '', language: answers.language, source: 'signup', created_at: dateInZone(now, settings.timezone),
      });
    }
    const pending: Signup = { ...s, status: 'pending', signup_id: id, contact_id: contactId };
    pendingByEmail.set(answers.email, pending);
    bySignupId.set(id, pending);
    mark(s, { status: 'pending', signup_id: id, contact_id: contactId, processed_at: at, note: made ? 'a new contact waits for confirmation' : 'the address is already a contact: it is updated on confirmation' });
    mailFor(s, id, contactId, answers, made);
  }
  if (unlisted > 0) {
    plan.problems.push({ severity: 'warning', tab: 'signups', message: `${unlisted.toLocaleString('en-US')} more problems in sign-ups beyond the ${LISTED_PROBLEMS} listed (junk posted to the public form, most likely): none was mailed or applied; the status column says what became of each row` });
  }
  return plan;
}
