import type { EmailEvent } from './dataset.ts';

type EventState = Pick<EmailEvent, 'last_event' | 'bounce_type'>;

/**
 * How far along a message is, so last_event only moves forward whatever order events arrive in:
 * a `delivered` arriving after `opened` does not undo the open, a soft bounce followed by a hard
 * one becomes hard, and a complaint outranks everything. Equal ranks keep the first.
 */
export function eventRank({ last_event, bounce_type }: EventState): number {
  switch (last_event) {
    case undefined: return -1;
    case 'queued': case 'scheduled': return 0;
    case 'sent': return 1;
    case 'delivery_delayed': return 2;
    case 'delivered': return 3;
    case 'opened': return 4;
    case 'clicked': return 5;
    case 'failed': case 'canceled': case 'suppressed': return 6;
    case 'bounced': return isHardBounce({ last_event, bounce_type }) ? 7 : 6;
    case 'complained': return 8;
  }
}

/**
 * Whether the address must never be mailed again for bouncing. A bounce without a type (the
 * polling fallback cannot see one) counts as hard: Resend's email.bounced is "the recipient's
 * mail server permanently rejected the email" (resend.com/docs/webhooks/emails/bounced), and
 * only a Transient or Undetermined type marks it soft. `suppressed` means Resend refused to send
 * because the address is on its suppression list, which it fills "after a hard bounce or spam
 * complaint" (resend.com/docs/webhooks/suppressions/added).
 */
export function isHardBounce({ last_event, bounce_type }: EventState): boolean {
  return (last_event === 'bounced' && bounce_type !== 'soft') || last_event === 'suppressed';
}

/** Resend's bounce.type (Permanent, Transient, Undetermined) as email_events.bounce_type. */
export const bounceTypeOf = (resendType: unknown): 'hard' | 'soft' =>
  typeof resendType === 'string' && /^\s*(transient|undetermined|soft)\s*$/i.test(resendType) ? 'soft' : 'hard';
