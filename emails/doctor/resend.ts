import type { Resend } from 'resend';
import type { Settings } from '../../sync/schema/settings.ts';
import { Pacer } from '../send/provider.ts';
import { type Check, ok } from './check.ts';

const DOMAINS_PAGE = 'resend.com/domains';

export interface ResendFindings {
  checks: Check[];
  /** The key may only send (Resend answers 401 restricted_api_key to every read). */
  sendingOnly: boolean;
}

/** The domain part of email_from ("Name <news@example.org>" or "news@example.org"). */
const domainOf = (from: string) => /@([^\s>]+)>?\s*$/.exec(from)?.[1]?.toLowerCase();

/**
 * The key's permission and the sending domain, from one GET /domains: a full-access key lists the
 * domains; a sending-only key gets 401 restricted_api_key ("This API key is restricted to only send
 * emails", https://resend.com/docs/api-reference/errors), so it can send but never read tracking.
 * The key itself is never printed.
 */
export async function checkResend(resend: Resend | undefined, settings: Settings | undefined, pacer = new Pacer()): Promise<ResendFindings> {
  const key = 'Resend key';
  const domain = 'Sending domain';
  if (!resend) {
    return {
      sendingOnly: false,
      checks: [
        { status: 'fail', title: key, detail: 'RESEND_API_KEY is not set, so nothing can be sent', fix: 'at resend.com/api-keys click "Create API key" (Permission: Full access), then add it as the GitHub secret RESEND_API_KEY (and in your shell for local runs)' },
        { status: 'skip', title: domain, detail: 'not checked: there is no Resend key', fix: '' },
      ],
    };
  }
  const from = settings?.email_from;
  const name = from ? domainOf(from) : undefined;
  const noFrom: Check | undefined = !settings
    ? { status: 'skip', title: domain, detail: 'not checked: the settings tab could not be read', fix: '' }
    : !name ? { status: 'fail', title: domain, detail: 'the setting email_from is empty, so mailings have no sender', fix: 'in the settings tab add a row email_from with your sender, e.g. 小小基金會 <news@example.org>, on a domain verified at resend.com/domains' } : undefined;
  const { data, error } = await pacer.call('list the sending domains', () => resend.domains.list());
  if (error?.name === 'restricted_api_key') {
    return {
      sendingOnly: true,
      checks: [
        { status: 'warn', title: key, detail: 'the key has sending access only: it sends, but Tidings cannot read opens, clicks, bounces or complaints from Resend, so tracking comes only from the webhook receiver', fix: 'set up the webhook receiver (README, "Setting up the receiver"), or at resend.com/api-keys create a key with Full access and replace the GitHub secret RESEND_API_KEY' },
        noFrom ?? { status: 'warn', title: domain, detail: `${name} could not be checked: a sending-only key cannot read domains`, fix: `open ${DOMAINS_PAGE} and check that ${name} shows "Verified"` },
      ],
    };
  }
  if (error || !data) {
    const invalid = error?.statusCode === 401 || error?.statusCode === 403;
    return {
      sendingOnly: false,
      checks: [
        { status: 'fail', title: key, detail: invalid ? `Resend did not accept RESEND_API_KEY (${error?.name})` : `Resend did not answer: ${error?.message ?? 'no answer'}`, fix: invalid ? 'the key may be deleted or mistyped: at resend.com/api-keys create a new one (Full access) and replace the GitHub secret RESEND_API_KEY' : 'check the internet connection and status.resend.com, then run doctor again' },
        noFrom ?? { status: 'skip', title: domain, detail: 'not checked: Resend did not answer', fix: '' },
      ],
    };
  }
  const keyOk = ok(key, 'the key has full access (sending, and reading tracking)');
  if (noFrom) return { sendingOnly: false, checks: [keyOk, noFrom] };
  const found = data.data.find((d) => d.name.toLowerCase() === name);
  const records = `open ${DOMAINS_PAGE}, click ${name}, add the DNS records it shows at your domain's DNS provider, then click "Verify DNS Records"; it can take a few hours`;
  const domainCheck: Check = !found
    ? { status: 'fail', title: domain, detail: `${name} (from email_from) is not a domain of this Resend account, so every send is refused`, fix: `at ${DOMAINS_PAGE} click "Add Domain", enter ${name}, and follow its steps (or change email_from in the settings tab to an address on a verified domain)` }
    : found.status === 'verified' ? ok(domain, `${name} is verified`)
    : { status: 'fail', title: domain, detail: `${name} is ${found.status.replace(/_/g, ' ')}, not verified: Resend refuses to send from it`, fix: records };
  return { sendingOnly: false, checks: [keyOk, domainCheck] };
}
