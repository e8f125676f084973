import type { Settings } from '../../sync/schema/settings.ts';
import { pollingDays } from '../tracking.ts';
import { WebhookReceiverError, checkReceiver, receiverFrom } from '../webhooks/pull.ts';
import { type Check, ok } from './check.ts';

const TITLE = 'Webhook receiver';
const SETUP = 'README, "Setting up the receiver (once, about 20 minutes)"';

/**
 * The receiver is the only way tracking outlives Resend's retention (1 day on the free plan): it
 * must be reachable with the token, have its database and Resend's signing secret. Without it,
 * polling covers only what Resend still keeps, and nothing at all with a sending-only key.
 */
export async function checkWebhooks(env: NodeJS.ProcessEnv, settings: Settings | undefined, sendingOnly: boolean): Promise<Check> {
  const receiver = receiverFrom(env);
  if (!receiver) {
    const missing = ['TIDINGS_WEBHOOK_URL', 'TIDINGS_WEBHOOK_TOKEN'].filter((name) => !env[name]?.trim());
    if (missing.length === 1) {
      return { status: 'fail', title: TITLE, detail: `${missing[0]} is not set (the other one is)`, fix: `set ${missing[0]} as a GitHub secret and in your shell (${SETUP})` };
    }
    const days = settings ? pollingDays(settings) : undefined;
    const fix = `set up the Cloudflare Worker and set TIDINGS_WEBHOOK_URL and TIDINGS_WEBHOOK_TOKEN (${SETUP})`;
    if (sendingOnly) return { status: 'fail', title: TITLE, detail: 'none is set up and the Resend key can only send: tracking will be empty, and bounces and complaints will never reach the sheet', fix };
    if (days === 1) return { status: 'fail', title: TITLE, detail: 'none is set up, and Resend\'s free plan keeps email data 1 day only: a daily sync misses most opens, clicks, bounces and complaints, so tracking will be close to empty', fix };
    return { status: 'warn', title: TITLE, detail: `none is set up: tracking comes from polling Resend, which keeps email data ${days ?? 'a few'} days only, so later opens and clicks are never seen`, fix };
  }
  try {
    const health = await checkReceiver(receiver);
    if (!health.database) return { status: 'fail', title: TITLE, detail: 'it answers, but no database is bound to it, so it cannot keep events', fix: `in wrangler.toml (emails/webhooks) set the [[d1_databases]] binding DB to your D1 database and deploy again (${SETUP})` };
    if (!health.webhookSecret) return { status: 'fail', title: TITLE, detail: 'it answers, but RESEND_WEBHOOK_SECRET is not set on it, so it refuses every event from Resend', fix: 'copy the signing secret from resend.com/webhooks (your endpoint → Signing secret) and run `npx wrangler secret put RESEND_WEBHOOK_SECRET` in emails/webhooks' };
    const last = health.lastEventAt ? `the last event arrived ${health.lastEventAt}` : 'no event has arrived yet (normal before the first send)';
    return ok(TITLE, `reachable, token accepted, database and signing secret set; ${last}`);
  } catch (error) {
    if (!(error instanceof WebhookReceiverError)) throw error;
    return { status: 'fail', title: TITLE, detail: error.message, fix: `check TIDINGS_WEBHOOK_URL is the Worker's address and TIDINGS_WEBHOOK_TOKEN is the same as the Worker's secret of that name (${SETUP})` };
  }
}
