import type { Dataset } from '../sync/dataset.ts';
import type { Problem } from '../sync/problems.ts';
import { isWritable } from '../sync/sources/source.ts';
import { type Synced, locate } from '../sync/load.ts';
import { applyPreferences } from './preferences.ts';
import { Pacer } from './send/provider.ts';
import { TRACKING_DAYS, pollingDays, pullTracking } from './tracking.ts';
import { LISTED_INVALID, checkUnsubscribes, unsubscribeSecret } from './unsubscribe.ts';
import { WebhookReceiverError, pullWebhookEvents, receiverFrom } from './webhooks/pull.ts';

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * Applies verified unsubscribes: email_opt_in set to no on those contacts (only where it is not
 * already no, so a token posted twice changes nothing the second time), in the source and in the
 * dataset returned (a new one; the one given is not changed). Invalid tokens are never
 * applied: the first LISTED_INVALID become problems on their row, and when there are more, one
 * problem on the tab counts them all (junk posted to the public form must not flood the report).
 */
export async function applyUnsubscribes(synced: Synced, secret: string): Promise<{ problems: Problem[]; optedOut: string[]; invalid: number; dataset: Dataset }> {
  const { dataset, source } = synced;
  const check = checkUnsubscribes(dataset, secret);
  const problems: Problem[] = check.invalid.map((i) => locate(synced, {
    severity: 'warning', tab: 'unsubscribes', row: i.row, column: 'token', value: i.token.slice(0, 60),
    message: `this unsubscribe token is ${i.reason}: it was not applied; if the person really wants to stop, set email_opt_in to no on their contact`,
  }));
  const counts = Object.entries(check.invalidCount).filter(([, n]) => n > 0);
  let invalid = 0;
  for (const [, n] of counts) invalid += n;
  if (invalid > check.invalid.length) {
    problems.push({
      severity: 'warning', tab: 'unsubscribes',
      message: `${grouped(invalid)} invalid unsubscribe tokens (${counts.map(([reason, n]) => `${grouped(n)} ${reason}`).join(', ')}); the first ${check.invalid.length} are listed: none was applied. Many at once are usually junk posted to the public form, which does no harm; delete those rows from the tab when convenient`,
    });
  }
  const optedOut = dataset.contacts.filter((c) => check.contactIds.has(c.contact_id) && c.email_opt_in !== false).map((c) => c.contact_id);
  if (optedOut.length === 0 || !isWritable(source)) return { problems, optedOut, invalid, dataset };
  await source.updateCells('contacts', 'contact_id', optedOut.map((id) => ({ id, column: 'email_opt_in', value: 'no' })));
  const opted = new Set(optedOut);
  const contacts = dataset.contacts.map((c) => (opted.has(c.contact_id) ? { ...c, email_opt_in: false } : c));
  return { problems, optedOut, invalid, dataset: { ...dataset, contacts } };
}

/**
 * The email part of `sync`: sign-ups, unsubscribes and preferences (need TIDINGS_UNSUBSCRIBE_SECRET), the webhook
 * receiver's events (needs TIDINGS_WEBHOOK_URL and TIDINGS_WEBHOOK_TOKEN), then tracking by
 * polling (needs RESEND_API_KEY) as the fallback for what Resend still keeps. Returns the problems
 * and the dataset with what was applied, for the steps after it (segments, send).
 */
export async function syncEmails(synced: Synced, log: (line: string) => void, env = process.env, now = new Date(), out?: string): Promise<{ problems: Problem[]; dataset: Dataset }> {
  const problems: Problem[] = [];
  let { dataset } = synced;
  const secret = unsubscribeSecret(env);
  if (synced.dataset.signups.length > 0) {
    // Sign-ups (double opt-in) sign their confirmation links with the same secret.
    if (!secret) log('sign-ups: TIDINGS_UNSUBSCRIBE_SECRET is not set, so confirmation links cannot be signed nor confirmations verified; nothing processed');
    else {
      const { applySignups, signupLine } = await import('./signups/run.ts');
      const result = await applySignups(synced, secret, { env, now, out });
      for (const p of result.problems) problems.push(p);
      log(signupLine(result.counts, result.mailLine));
    }
  }
  if (synced.dataset.unsubscribes.length > 0) {
    if (!secret) log('unsubscribes: TIDINGS_UNSUBSCRIBE_SECRET is not set, so the tokens cannot be verified; nothing applied');
    else {
      const result = await applyUnsubscribes(synced, secret);
      ({ dataset } = result);
      for (const p of result.problems) problems.push(p);
      const listed = result.invalid > LISTED_INVALID ? `the first ${LISTED_INVALID} listed in problems` : 'see problems';
      log(`unsubscribes: ${result.optedOut.length} contacts opted out now; ${grouped(result.invalid)} invalid tokens (${listed})`);
    }
  }
  if (dataset.preferences.length > 0) {
    if (!secret) log('preferences: TIDINGS_UNSUBSCRIBE_SECRET is not set, so the tokens cannot be verified; nothing applied');
    else {
      // After unsubscribes, so an unsubscribe in the same sync is seen; the dataset is replaced, never changed.
      const result = await applyPreferences({ ...synced, dataset }, secret);
      for (const p of result.problems) problems.push(p);
      dataset = { ...dataset, contacts: result.contacts };
      log(result.line);
    }
  }
  const receiver = receiverFrom(env);
  if (receiver && isWritable(synced.source)) {
    try {
      const r = await pullWebhookEvents(dataset.email_events, receiver, synced.source, now);
      dataset = { ...dataset, email_events: r.rows };
      log(`webhooks: ${r.received} events received, ${r.updated} messages updated; ${r.waiting} wait for their message to be recorded${r.expired > 0 ? `, ${r.expired} for messages Tidings did not send let go` : ''}`);
    } catch (error) {
      if (!(error instanceof WebhookReceiverError)) throw error;
      // The events stay in the receiver; polling below still covers what Resend keeps.
      log(`webhooks: ${error.message}; nothing was lost, the next sync tries again`);
    }
  }
  if (env.RESEND_API_KEY && isWritable(synced.source)) {
    // Tracking never blocks sending (the Action's send step comes after sync): its troubles are said, not thrown.
    try {
      const { Resend } = await import('resend');
      const resend = new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
      const { settings } = dataset;
      const days = pollingDays(settings);
      const result = await pullTracking(dataset.email_events, resend, new Pacer(), synced.source, now, days);
      if (result.restricted) {
        log(
          'tracking: not pulled. RESEND_API_KEY has sending access only, and Resend answers 401 restricted_api_key to reading emails, so opens, clicks, bounces and complaints cannot be polled. Sending is not affected. ' +
            'To track: give sync a Full access key as RESEND_API_KEY (Resend → API Keys), or set up the webhook receiver (see README Tracking)',
        );
      } else {
        const plan = settings.resend_retention_days ? `resend_retention_days ${days}` : `the ${settings.resend_plan} plan`;
        log(`tracking: ${result.checked} messages of the last ${days} ${days === 1 ? 'day' : 'days'} checked (Resend keeps email data that long on ${plan}), ${result.updated} updated`);
        if (result.pastRetention > 0) {
          log(`tracking: ${result.pastRetention} messages of the last ${TRACKING_DAYS} days are past Resend's retention and can only be tracked by the webhook receiver (see README Tracking)`);
        }
      }
    } catch (error) {
      log(`tracking: warning: not pulled this time (${error instanceof Error ? error.message : String(error)}); sync goes on, the next run tries again`);
    }
  }
  return { problems, dataset };
}
