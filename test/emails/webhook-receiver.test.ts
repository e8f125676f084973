import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'svix';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiverError, acknowledge, checkReceiver, fetchEvents } from '../../emails/webhooks/pull.ts';
import { WorkerUnderTest, bounce, postEvent, resendEvent } from '../support/webhook-worker.ts';

// A Svix secret is whsec_ and base64 (docs.svix.com/receiving/verifying-payloads/how-manual).
const SECRET = `whsec_${Buffer.from('tidings-test-signing-secret-0123').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('someone-else-entirely-9876543210').toString('base64')}`;
const TOKEN = 'read-token-4f9c2a71d0e8';
const ID = '56761188-7520-42d8-8898-ff6fc54ce618';

describe('the webhook receiver, in workerd', () => {
  const workers: WorkerUnderTest[] = [];
  const start = async (options: ConstructorParameters<typeof WorkerUnderTest>[0] = { secret: SECRET, token: TOKEN }) => {
    const worker = await new WorkerUnderTest(options).start();
    workers.push(worker);
    return worker;
  };
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
  });

  it('keeps a signed event once per svix-id, without the recipient, subject or sender', async () => {
    const { url } = await start();
    const event = resendEvent('email.bounced', ID, '2026-11-15T04:00:00.000Z', bounce('Permanent'));
    const first = await postEvent(url, SECRET, 'msg_1', event);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: true });
    // Resend's retry of the same message carries the same svix-id (docs.svix.com/receiving/verifying-payloads/how-manual).
    const again = await postEvent(url, SECRET, 'msg_1', event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ stored: false });

    const { events } = await fetchEvents({ url, token: TOKEN });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, id: 'msg_1', type: 'email.bounced', email_id: ID, occurred_at: '2026-11-15T04:00:00.000Z', detail: { bounce: { type: 'Permanent', subType: 'General' } } });
    const stored = JSON.stringify(events);
    for (const personal of ['donor.private@example.com', '好鄰居月報', 'news@example.org']) expect(stored).not.toContain(personal);
  });

  it('refuses forged, replayed, unsigned, junk and oversized requests and stores none of them', async () => {
    const { url } = await start();
    const event = resendEvent('email.opened', ID, new Date().toISOString());
    const status = async (r: Promise<Response>) => (await r).status;

    expect(await status(postEvent(url, OTHER, 'msg_forged', event))).toBe(401);
    // Signed correctly, but the body was changed after signing.
    const signature = new Webhook(SECRET).sign('msg_tampered', new Date(), JSON.stringify(event));
    expect(await status(postEvent(url, SECRET, 'msg_tampered', { ...event, type: 'email.complained' }, { signature }))).toBe(401);
    // Replays: signed, but six minutes old or six minutes ahead (Svix's window is five minutes).
    expect(await status(postEvent(url, SECRET, 'msg_old', event, { at: new Date(Date.now() - 6 * 60_000) }))).toBe(401);
    expect(await status(postEvent(url, SECRET, 'msg_future', event, { at: new Date(Date.now() + 6 * 60_000) }))).toBe(401);
    expect(await status(fetch(`${url}/resend`, { method: 'POST', body: JSON.stringify(event) }))).toBe(401);
    expect(await status(postEvent(url, SECRET, 'msg_junk_sig', event, { signature: 'v1,%%%not-base64 v2,abc nonsense' }))).toBe(401);
    // Junk from the internet that is correctly signed (a misconfigured sender) is a 400.
    expect(await status(postEvent(url, SECRET, 'msg_notjson', '<html>hello</html>'))).toBe(400);
    expect(await status(postEvent(url, SECRET, 'msg_noid', { type: 'email.opened', created_at: new Date().toISOString(), data: {} }))).toBe(400);
    expect(await status(postEvent(url, SECRET, 'msg_baddate', resendEvent('email.opened', ID, 'yesterday')))).toBe(400);
    expect(await status(postEvent(url, SECRET, 'msg_big', { ...event, padding: 'x'.repeat(300 * 1024) }))).toBe(413);
    // The same without a Content-Length (chunked): cut off at the limit, not read whole.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(16 * 1024).fill(120));
        controller.close();
      },
    });
    expect(await status(fetch(`${url}/resend`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit))).toBe(413);
    expect(await status(fetch(`${url}/somewhere`))).toBe(404);

    expect((await fetchEvents({ url, token: TOKEN })).events).toEqual([]);
  });

  it('accepts any one of several signatures (secret rotation) and lets non-email events go', async () => {
    const { url } = await start();
    const event = resendEvent('email.delivered', ID, new Date().toISOString());
    const at = new Date();
    const good = new Webhook(SECRET).sign('msg_rotated', at, JSON.stringify(event));
    const stale = new Webhook(OTHER).sign('msg_rotated', at, JSON.stringify(event));
    const rotated = await postEvent(url, SECRET, 'msg_rotated', event, { at, signature: `${stale} ${good}` });
    expect(rotated.status).toBe(200);
    const contact = await postEvent(url, SECRET, 'msg_contact', { type: 'contact.created', created_at: at.toISOString(), data: { id: 'c', email: 'x@example.com' } });
    expect(contact.status).toBe(200);
    expect(await contact.json()).toEqual({ stored: false, reason: 'not an email event' });
    expect((await fetchEvents({ url, token: TOKEN })).events.map((e) => e.id)).toEqual(['msg_rotated']);
  });

  it('reads only with the token, pages in order, and keeps the cursor across a restart, never moving it back', async () => {
    const persist = await mkdtemp(join(tmpdir(), 'tidings-d1-'));
    let worker = await start({ secret: SECRET, token: TOKEN, persist });
    for (let i = 1; i <= 5; i++) expect((await postEvent(worker.url, SECRET, `msg_${i}`, resendEvent('email.opened', `${ID.slice(0, -1)}${i}`, new Date().toISOString()))).status).toBe(200);

    expect((await fetch(`${worker.url}/events`)).status).toBe(401);
    expect((await fetch(`${worker.url}/events`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await expect(fetchEvents({ url: worker.url, token: 'wrong' })).rejects.toThrow(WebhookReceiverError);

    const paged = await fetchEvents({ url: worker.url, token: TOKEN }, 2);
    expect(paged.start).toBe(0);
    expect(paged.events.map((e) => e.id)).toEqual(['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5']);
    expect(await acknowledge({ url: worker.url, token: TOKEN }, 3)).toEqual({ cursor: 3 });
    expect(await acknowledge({ url: worker.url, token: TOKEN }, 1)).toEqual({ cursor: 3 });

    // The Worker is redeployed (a new isolate): the events and the cursor are in D1.
    await worker.close();
    worker = await start({ secret: SECRET, token: TOKEN, persist });
    const after = await fetchEvents({ url: worker.url, token: TOKEN });
    expect(after.start).toBe(3);
    expect(after.events.map((e) => e.id)).toEqual(['msg_4', 'msg_5']);
    expect((await postEvent(worker.url, SECRET, 'msg_1', resendEvent('email.opened', ID, new Date().toISOString()))).status).toBe(200);
    expect((await fetchEvents({ url: worker.url, token: TOKEN })).events.map((e) => e.id)).toEqual(['msg_4', 'msg_5']);
  });

  it('deletes events 90 days after they arrived', async () => {
    const persist = await mkdtemp(join(tmpdir(), 'tidings-d1-'));
    const first = await start({ secret: SECRET, token: TOKEN, persist });
    await postEvent(first.url, SECRET, 'msg_91', resendEvent('email.opened', ID, new Date().toISOString()));
    await postEvent(first.url, SECRET, 'msg_89', resendEvent('email.clicked', ID, new Date().toISOString()));
    // Time passes: the first arrived 91 days ago, the second 89.
    await first.sql("UPDATE events SET received_at = ? WHERE svix_id = 'msg_91'", Date.now() - 91 * 86_400_000);
    await first.sql("UPDATE events SET received_at = ? WHERE svix_id = 'msg_89'", Date.now() - 89 * 86_400_000);
    await first.close();
    const later = await start({ secret: SECRET, token: TOKEN, persist });
    await postEvent(later.url, SECRET, 'msg_new', resendEvent('email.delivered', ID, new Date().toISOString()));
    expect((await fetchEvents({ url: later.url, token: TOKEN })).events.map((e) => e.id)).toEqual(['msg_89', 'msg_new']);
  });

  it('answers /health for tidings doctor: configuration and the last event, or a clear error', async () => {
    const worker = await start();
    expect(await checkReceiver({ url: worker.url, token: TOKEN })).toEqual({ database: true, webhookSecret: true, lastEventAt: null, cursor: 0, latest: 0 });
    await postEvent(worker.url, SECRET, 'msg_h', resendEvent('email.sent', ID, new Date().toISOString()));
    const health = await checkReceiver({ url: worker.url, token: TOKEN });
    expect(health).toMatchObject({ latest: 1, cursor: 0 });
    expect(Date.now() - Date.parse(health.lastEventAt!)).toBeLessThan(60_000);
    await expect(checkReceiver({ url: worker.url, token: 'nope' })).rejects.toThrow(/401.*TIDINGS_WEBHOOK_TOKEN differs/);

    // Set up half-way: no D1 binding and no signing secret. Resend is told to retry (5xx).
    const bare = await start({ token: TOKEN, withoutDb: true });
    expect(await checkReceiver({ url: bare.url, token: TOKEN })).toMatchObject({ database: false, webhookSecret: false });
    expect((await postEvent(bare.url, SECRET, 'msg_x', resendEvent('email.sent', ID, new Date().toISOString()))).status).toBe(500);
    const noToken = await start({ secret: SECRET });
    await expect(checkReceiver({ url: noToken.url, token: TOKEN })).rejects.toThrow(/503.*TIDINGS_WEBHOOK_TOKEN is not set/);

    const gone = bare.url;
    await bare.close();
    await expect(checkReceiver({ url: gone, token: TOKEN })).rejects.toThrow(/cannot reach the webhook receiver/);
  });
});
