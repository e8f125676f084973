import { EmailError } from './errors.ts';
import type { SegmentMember } from '../reports/segments/segment.ts';
import type { Contact, Dataset, Mailing } from '../sync/dataset.ts';
import { checkUnsubscribes } from './unsubscribe.ts';

/** Evaluates a segment spec such as `recent_donors?months=3` (reports/segments, injected). */
export type SegmentEvaluator = (dataset: Dataset, asOf: string, spec: string) => SegmentMember[];

export const EXCLUSION_REASONS = [
  'exclude_segment', 'no_valid_email', 'no_email_opt_in', 'do_not_contact', 'unsubscribed', 'hard_bounced', 'complained', 'duplicate_email',
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

const normalEmail = (email: string) => email.trim().toLowerCase();

/** Contact ids and addresses whose latest event is a bounce or a complaint: never mailed again. */
export function suppressedByEvents(dataset: Pick<Dataset, 'email_events'>): Map<string, 'hard_bounced' | 'complained'> {
  const suppressed = new Map<string, 'hard_bounced' | 'complained'>();
  for (const e of dataset.email_events) {
    // `suppressed`: the address is on Resend's suppression list (it hard-bounced or complained before), so Resend will not deliver to it.
    const reason = e.last_event === 'bounced' || e.last_event === 'suppressed' ? 'hard_bounced' : e.last_event === 'complained' ? 'complained' : undefined;
    if (!reason) continue;
    if (e.contact_id) suppressed.set(`id:${e.contact_id}`, reason);
    if (e.email) suppressed.set(`email:${normalEmail(e.email)}`, reason);
  }
  return suppressed;
}

/**
 * A mailing's audience: its segment minus its exclude_segment, minus everyone who must not get
 * it (no valid email, no opt-in, do not contact, unsubscribed with a verified token, bounced,
 * complained) and minus a second contact sharing an address already in the list.
 */
export function audienceOf(dataset: Dataset, asOf: string, mailing: Mailing, options: { evaluateSegment: SegmentEvaluator; secret: string }): Audience {
  if (!mailing.segment?.trim()) {
    throw new AudienceError(`mailings row ${mailing.row}, column segment: blank for ${mailing.mailing_id}: write all, tag:<name>, or a segment id such as recent_donors?months=3`);
  }
  const included = segmentContacts(dataset, asOf, mailing.segment, options.evaluateSegment);
  const excludedSegment = mailing.exclude_segment?.trim() ? segmentContacts(dataset, asOf, mailing.exclude_segment, options.evaluateSegment) : new Set<string>();
  const unsubscribed = checkUnsubscribes(dataset, options.secret).contactIds;
  const events = suppressedByEvents(dataset);
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const seenEmails = new Set<string>();
  const recipients: Contact[] = [];

  const reasonFor = (c: Contact): ExclusionReason | undefined => {
    if (excludedSegment.has(c.contact_id)) return 'exclude_segment';
    if (!c.email) return 'no_valid_email';
    if (c.email_opt_in !== true) return 'no_email_opt_in';
    if (c.do_not_contact) return 'do_not_contact';
    if (unsubscribed.has(c.contact_id)) return 'unsubscribed';
    const event = events.get(`id:${c.contact_id}`) ?? events.get(`email:${normalEmail(c.email)}`);
    if (event) return event;
    if (seenEmails.has(normalEmail(c.email))) return 'duplicate_email';
    return undefined;
  };

  const members = dataset.contacts.filter((c) => included.has(c.contact_id)).sort((a, b) => a.contact_id.localeCompare(b.contact_id));
  for (const contact of members) {
    const reason = reasonFor(contact);
    if (reason) excluded[reason]++;
    else {
      recipients.push(contact);
      seenEmails.add(normalEmail(contact.email!));
    }
  }
  return { recipients, segmentSize: members.length, excluded };
}

export function formatAudience(mailingId: string, audience: Audience): string {
  const lines = [`${mailingId}: ${audience.recipients.length} recipients (segment: ${audience.segmentSize})`];
  for (const reason of EXCLUSION_REASONS) {
    if (audience.excluded[reason] > 0) lines.push(`  left out, ${reason.replace(/_/g, ' ')}: ${audience.excluded[reason]}`);
  }
  return lines.join('\n');
}
