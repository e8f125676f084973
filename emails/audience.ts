import { EmailError } from './errors.ts';
import { PREFERENCE_REASONS, preferenceRule } from '../reports/preferences.ts';
import { reachRule } from '../reports/reachability.ts';
import type { SegmentMember } from '../reports/segments/segment.ts';
import { normaliseEmail } from '../sync/suppressions.ts';
import type { Contact, Dataset, Mailing } from '../sync/dataset.ts';
import { printable } from '../sync/terminal.ts';
import { topicProblem } from '../sync/topics.ts';
import { checkUnsubscribes } from './unsubscribe.ts';

/** Evaluates a segment spec such as `recent_donors?months=3` (reports/segments, injected). */
export type SegmentEvaluator = (dataset: Dataset, asOf: string, spec: string) => SegmentMember[];

export const EXCLUSION_REASONS = [
  'exclude_segment', 'no_valid_email', 'no_email_opt_in', 'do_not_contact', 'unsubscribed', 'hard_bounced', 'complained', 'suppressed',
  // The contact's own choices (the preference centre), counted among those who could be mailed at all.
  ...PREFERENCE_REASONS, 'duplicate_email',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface Audience {
  /** In contact_id order, so the batch plan is the same on every run. */
  recipients: Contact[];
  /** Contacts in the segment before exclusions. */
  segmentSize: number;
  /** How many were left out for each reason (each contact under the first reason that applies). */
  excluded: Record<ExclusionReason, number>;
}

export class AudienceError extends EmailError {}

/** `all`, `tag:<name>`, or a segment spec for the injected evaluator. */
export function segmentContacts(dataset: Dataset, asOf: string, spec: string, evaluate: SegmentEvaluator): Set<string> {
  const trimmed = spec.trim();
  if (trimmed.toLowerCase() === 'all') return new Set(dataset.contacts.map((c) => c.contact_id));
  const tag = /^tag:(.+)$/i.exec(trimmed);
  if (tag) {
    const name = tag[1].trim().toLowerCase();
    return new Set(dataset.contacts.filter((c) => c.tags?.some((t) => t.toLowerCase() === name)).map((c) => c.contact_id));
  }
  return new Set(evaluate(dataset, asOf, trimmed).map((m) => m.contact_id));
}

/**
 * A mailing's audience: its segment minus its exclude_segment, minus everyone who must not get
 * it by the email rule every channel shares (reports/reachability.ts: no valid email, no opt-in,
 * do not contact, unsubscribed, bounced, complained, on the suppression list), minus those whose
 * preferences leave this mailing out (its topic turned off, or a monthly / quarterly digest
 * reader who is not due: reports/preferences.ts) and minus a second contact sharing an address
 * already in the list.
 */
export function audienceOf(dataset: Dataset, asOf: string, mailing: Mailing, options: { evaluateSegment: SegmentEvaluator; secret: string }): Audience {
  if (!mailing.segment?.trim()) {
    throw new AudienceError(`mailings row ${mailing.row}, column segment: blank for ${mailing.mailing_id}: write all, tag:<name>, or a segment id such as recent_donors?months=3`);
  }
  const topic = topicProblem(mailing, dataset.settings);
  if (topic) throw new AudienceError(`mailings row ${mailing.row}, column topic: ${topic}`);
  const included = segmentContacts(dataset, asOf, mailing.segment, options.evaluateSegment);
  const excludedSegment = mailing.exclude_segment?.trim() ? segmentContacts(dataset, asOf, mailing.exclude_segment, options.evaluateSegment) : new Set<string>();
  const unreachable = reachRule(dataset, 'email', { unsubscribedIds: checkUnsubscribes(dataset, options.secret).contactIds });
  const unwanted = preferenceRule(dataset, asOf, mailing);
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const seenEmails = new Set<string>();
  const recipients: Contact[] = [];

  const reasonFor = (c: Contact): ExclusionReason | undefined => {
    if (excludedSegment.has(c.contact_id)) return 'exclude_segment';
    const reason = unreachable(c);
    if (reason) return reason as ExclusionReason;
    const choice = unwanted(c);
    if (choice) return choice;
    if (seenEmails.has(normaliseEmail(c.email!))) return 'duplicate_email';
    return undefined;
  };

  const members = dataset.contacts.filter((c) => included.has(c.contact_id)).sort((a, b) => a.contact_id.localeCompare(b.contact_id));
  for (const contact of members) {
    const reason = reasonFor(contact);
    if (reason) excluded[reason]++;
    else {
      recipients.push(contact);
      seenEmails.add(normaliseEmail(contact.email!));
    }
  }
  return { recipients, segmentSize: members.length, excluded };
}

export function formatAudience(mailingId: string, audience: Audience): string {
  const lines = [`${printable(mailingId)}: ${audience.recipients.length} recipients (segment: ${audience.segmentSize})`];
  for (const reason of EXCLUSION_REASONS) {
    if (audience.excluded[reason] > 0) lines.push(`  left out, ${reason.replace(/_/g, ' ')}: ${audience.excluded[reason]}`);
  }
  return lines.join('\n');
}
