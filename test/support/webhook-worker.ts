import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { Webhook } from 'svix';
import { ROOT } from './cli.ts';

/**
 * The real receiver (emails/webhooks/worker.js) in Cloudflare's own runtime: miniflare runs
 * workerd, with a D1 database in memory or, given `persist`, in a folder (so a restart keeps it).
 */
export class WorkerUnderTest {
  private mf?: Miniflare;
  url = '';
  constructor(readonly options: { secret?: string; token?: string; persist?: string; withoutDb?: boolean } = {}) {}

  async start(): Promise<this> {
    const bindings: Record<string, string> = {};
    if (this.options.secret) bindings.RESEND_WEBHOOK_SECRET = this.options.secret;
    if (this.options.token) bindings.TIDINGS_WEBHOOK_TOKEN = this.options.token;
    this.mf = new Miniflare({
      modules: true,
      scriptPath: join(ROOT, 'emails/webhooks/worker.js'),
      compatibilityDate: '2025-09-01',
      bindings,
      ...(this.options.withoutDb ? {} : { d1Databases: ['DB'], d1Persist: this.options.persist ?? false }),
      host: '127.0.0.1',
      port: 0,
    });
    this.url = (await this.mf.ready).href.replace(/\/$/, '');
    return this;
  }

  /** The Worker's D1 database, to look at or age its rows as time passing would. */
  async sql(query: string, ...values: unknown[]): Promise<Record<string, unknown>[]> {
    const db = await this.mf!.getD1Database('DB');
    return (await db.prepare(query).bind(...values).all()).results as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    const mf = this.mf;
    this.mf = undefined;
    await mf?.dispose();
  }
}

/**
 * Posts a Resend event as Resend does (resend.com/docs/webhooks/verify-webhooks-requests): the
 * raw JSON body with svix-id, svix-timestamp and svix-signature, signed by the svix package's own
 * Webhook class, an implementation independent of ours.
 */
export async function postEvent(url: string, secret: string, svixId: string, body: unknown, options: { at?: Date; signature?: string } = {}): Promise<Response> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const at = options.at ?? new Date();
  return fetch(`${url}/resend`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': options.signature ?? new Webhook(secret).sign(svixId, at, payload),
    },
    body: payload,
  });
}

/**
 * Resend-shaped email events, after the examples on resend.com/docs/webhooks/emails/* (e.g.
 * bounced: data.bounce { message, subType, type: Permanent }) and the WebhookEventPayload types
 * in resend-node (node_modules/resend/dist/index.d.mts: EmailBounce, EmailClick, EmailFailed,
 * EmailSuppressed).
 */
export function resendEvent(type: string, emailId: string, at: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: at,
    data: {
      broadcast_id: '8b146471-e88e-4322-86af-016cd36fd216',
      created_at: '2026-11-15T03:00:00.000000+00:00',
      email_id: emailId,
      from: '小小基金會 <news@example.org>',
      to: ['donor.private@example.com'],
      subject: '好鄰居月報',
      tags: { category: 'newsletter' },
      ...extra,
    },
  };
}

export const bounce = (type: 'Permanent' | 'Transient' | 'Undetermined', subType = type === 'Permanent' ? 'General' : 'MailboxFull') => ({
  bounce: { message: "The recipient's email provider sent a bounce message.", subType, type },
});

export const click = (timestamp: string) => ({
  click: { ipAddress: '122.115.53.11', link: 'https://example.org/stories', timestamp, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X)' },
});
