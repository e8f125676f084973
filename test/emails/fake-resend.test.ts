import { Resend } from 'resend';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeResend, LAST_EVENTS } from '../support/fake-resend-server.ts';

/** The fake behaves as Resend's documentation says (each behaviour's source is cited in the fake). */
const servers: FakeResend[] = [];
async function fake(options: ConstructorParameters<typeof FakeResend>[0] = {}) {
  const server = await new FakeResend({ strict: true, limit: 1000, ...options }).start();
  servers.push(server);
  return { server, resend: new Resend('re_full', { baseUrl: server.url }) };
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
const email = (to: string) => ({ from: 'News <news@example.org>', to: [to], subject: 'Hello', html: '<p>Hi</p>' });

describe('the fake Resend', () => {
  it('rate limit: 2 requests a second by default, stated in ratelimit-* headers; past it 429 rate_limit_exceeded with retry-after', async () => {
    const { resend } = await fake({ limit: undefined });
    expect((await resend.emails.send(email('a@example.org'))).headers).toMatchObject({ 'ratelimit-limit': '2' });
    // A minute-long window, so the third request surely falls in the same one.
    const slow = await fake({ limit: 2, windowMs: 60_000 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await slow.resend.emails.send(email(`a${i}@example.org`)));
    expect(answers.map((a) => a.headers?.['ratelimit-remaining'])).toEqual(['1', '0', '0']);
    expect(answers[2].error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(Number(answers[2].headers!['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('a sending-only key sends, and gets 401 restricted_api_key on everything else but /usage', async () => {
    const { server } = await fake();
    const key = new Resend(server.sendingKey(), { baseUrl: server.url });
    const { data } = await key.emails.send(email('a@example.org'));
    expect(data?.id).toBeTruthy();
    expect((await key.emails.list()).error).toMatchObject({ statusCode: 401, name: 'restricted_api_key' });
    expect((await key.emails.get(data!.id)).error).toMatchObject({ statusCode: 401, name: 'restricted_api_key' });
    expect((await key.usage.get()).data?.emails.daily).toMatchObject({ used: 1, limit: 100 });
  });

  it('free plan: 100 a day over a rolling 24 hours and 3,000 a calendar month, each email of a batch counting', async () => {
    const { server, resend } = await fake({ plan: 'free' });
    // Start at 01:00 UTC on the 1st of a 31-day month, so 30 days of 100 fit in it.
    const start = new Date(server.now());
    do start.setUTCMonth(start.getUTCMonth() + 1, 1);
    while (new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate() !== 31);
    start.setUTCHours(1, 0, 0, 0);
    server.advance(start.getTime() - server.now());
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => email(`r${from + i}@example.org`));
    expect((await resend.batch.send(batch(99, 0))).data?.data).toHaveLength(99);
    expect((await resend.batch.send(batch(2, 99))).error).toMatchObject({ statusCode: 429, name: 'daily_quota_exceeded' });
    expect((await resend.emails.send(email('last@example.org'))).data).toBeTruthy();
    expect((await resend.emails.send(email('more@example.org'))).error).toMatchObject({ name: 'daily_quota_exceeded' });
    server.advance(24 * 3600_000 + 1000);
    expect((await resend.usage.get()).data?.emails).toMatchObject({ daily: { used: 0, limit: 100 }, monthly: { used: 100, limit: 3000 } });
    for (let day = 1; day < 30; day++) {
      expect((await resend.batch.send(batch(100, day * 100))).error).toBeNull();
      server.advance(24 * 3600_000 + 1000);
    }
    expect(server.usage()).toEqual({ daily: 0, monthly: 3000 });
    expect((await resend.emails.send(email('day31@example.org'))).error).toMatchObject({ statusCode: 429, name: 'monthly_quota_exceeded' });
  });

  it('retention: 1 day on free; then GET is 404 not_found and the list leaves the email out', async () => {
    const { server, resend } = await fake({ plan: 'free' });
    const { data } = await resend.emails.send(email('a@example.org'));
    expect((await resend.emails.get(data!.id)).data?.last_event).toBe('sent');
    server.advanceDays(1.1);
    expect((await resend.emails.get(data!.id)).error).toMatchObject({ statusCode: 404, name: 'not_found' });
    expect((await resend.emails.list()).data?.data).toEqual([]);
  });

  it('idempotency: same key and body replays, another body is 409 invalid_idempotent_request, keys are 1-256 ASCII, kept 24 hours', async () => {
    const { server, resend } = await fake({ plan: 'pro' });
    const first = await resend.emails.send(email('a@example.org'), { idempotencyKey: 'k/1' });
    const again = await resend.emails.send(email('a@example.org'), { idempotencyKey: 'k/1' });
    expect(again.data?.id).toBe(first.data?.id);
    expect(server.deliveries.get('a@example.org')).toBe(1);
    expect((await resend.emails.send(email('b@example.org'), { idempotencyKey: 'k/1' })).error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect((await resend.emails.send(email('b@example.org'), { idempotencyKey: 'x'.repeat(257) })).error).toMatchObject({ statusCode: 400, name: 'invalid_idempotency_key' });
    server.advanceDays(1.01);
    expect((await resend.emails.send(email('a@example.org'), { idempotencyKey: 'k/1' })).data?.id).not.toBe(first.data?.id);
  });

  it('idempotency: a second request while the first is in progress is 409 concurrent_idempotent_requests', async () => {
    const { server, resend } = await fake({ plan: 'pro' });
    let release!: () => void;
    server.onAccept = () => new Promise<void>((r) => (release = r));
    const first = resend.emails.send(email('a@example.org'), { idempotencyKey: 'k/2' });
    await new Promise((r) => setTimeout(r, 100));
    const second = await resend.emails.send(email('a@example.org'), { idempotencyKey: 'k/2' });
    expect(second.error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    release();
    expect((await first).data?.id).toBeTruthy();
  });

  it('batch validation: strict (default) refuses the whole batch with 422; permissive sends the valid ones and lists the others by index', async () => {
    const { server, resend } = await fake({ plan: 'pro' });
    const batch = [email('ok@example.org'), email('not-an-address'), email('fine@example.org')];
    expect((await resend.batch.send(batch)).error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(server.deliveries.size).toBe(0);
    const { data } = await resend.batch.send(batch, { batchValidation: 'permissive' });
    expect(data?.data).toHaveLength(2);
    expect(data?.errors).toEqual([{ index: 1, message: expect.stringContaining('`to`') }]);
    expect([...server.deliveries.keys()]).toEqual(['ok@example.org', 'fine@example.org']);
  });

  it('a suppressed address is accepted, never delivered, and its last_event is suppressed (one of the documented values)', async () => {
    const { server, resend } = await fake({ plan: 'pro' });
    server.suppressed.add('gone@example.org');
    const { data } = await resend.emails.send(email('gone@example.org'));
    expect((await resend.emails.get(data!.id)).data?.last_event).toBe('suppressed');
    expect(server.deliveries.size).toBe(0);
    expect(LAST_EVENTS).toContain('suppressed');
  });
});
