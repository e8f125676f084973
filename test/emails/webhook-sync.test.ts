import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedByEvents } from '../../reports/reachability.ts';
import { makePlan, recordConfirmations, recordPlan } from '../../emails/send/send-log.ts';
import { type ReceivedEvent, checkReceiver, planWebhookUpdates, pullWebhookEvents } from '../../emails/webhooks/pull.ts';
import type { EmailEvent } from '../../sync/dataset.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { SourceError } from '../../sync/sources/source.ts';
import { loadDataset } from '../../sync/load.ts';
import { ROOT } from '../support/cli.ts';
import { WorkerUnderTest, bounce, click, postEvent, resendEvent } from '../support/webhook-worker.ts';

const SECRET = `whsec_${Buffer.from('tidings-sync-test-signing-secret').toString('base64')}`;
const TOKEN = 'sync-token-8d1e55b0c3a9';
const AS_OF = '2026-11-22';
const T = Date.parse('2026-11-15T03:00:00.000Z');
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const LATE_ID = '0f7d3c1e-5b2a-4c8e-9d6f-1a2b3c4d5e6f';

type Row = Record<string, string>;
const ledger = async (dir: string) => parse(await readFile(join(dir, 'email_events.csv'), 'utf8'), { bom: true, columns: true, relax_column_count: true }) as Row[];

/** The real CLI, as the monthly Action runs it, pointed at the Worker. */
async function sync(dir: string, out: string, url: string): Promise<string> {
  const env = { ...process.env, TIDINGS_WEBHOOK_URL: url, TIDINGS_WEBHOOK_TOKEN: TOKEN, RESEND_API_KEY: '' };
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/tidings.js'), 'sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--no-backup'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe('sync applies the receiver\'s events to email_events', () => {
  let worker: WorkerUnderTest;
  beforeAll(async () => {
    worker = await new WorkerUnderTest({ secret: SECRET, token: TOKEN }).start();
  });
  afterAll(() => worker.close());

  it('opens, clicks, hard and soft bounces, complaints, out of order and twice, late ledger rows, a busy sheet', { timeout: 240_000 }, async () => {
    // A copy of the sample with nine delivered messages set back to just sent.
    const dir = await mkdtemp(join(tmpdir(), 'tidings-webhooks-'));
    const out = await mkdtemp(join(tmpdir(), 'tidings-webhooks-out-'));
    await cp(join(ROOT, 'data/sample'), dir, { recursive: true });
    const rows = await ledger(dir);
    const seen = new Set<string>();
    const picked = rows.filter((r) => r.last_event === 'delivered' && r.contact_id && !seen.has(r.contact_id) && seen.add(r.contact_id)).slice(0, 9);
    for (const r of picked) Object.assign(r, { last_event: 'sent', opened_at: '', clicked_at: '' });
    await writeFile(join(dir, 'email_events.csv'), stringify(rows, { header: true, columns: Object.keys(rows[0]) }));
    const [a, b, c, d, e, f, g, h, i] = picked.map((r) => r.message_id);

    // A send in progress: the plan is recorded, the confirmation (Resend's id) not yet.
    const source = new CsvFolderSource(dir);
    const late = { contact_id: picked[0].contact_id, email: picked[0].email };
    const plan = makePlan('nl-2026-01', [late], 1, at(-5));
    await recordPlan(source, 'nl-2026-01', plan);

    const post = async (id: string, body: unknown) => expect((await postEvent(worker.url, SECRET, id, body)).status).toBe(200);
    await post('a1', resendEvent('email.opened', a, at(120)));
    await post('a2', resendEvent('email.delivered', a, at(1))); // arrives after the open it preceded
    await post('a1', resendEvent('email.opened', a, at(120))); // Resend's retry
    await post('a3', resendEvent('email.opened', a, at(300))); // a second open
    await post('b1', resendEvent('email.clicked', b, at(181), click(at(180))));
    await post('b2', resendEvent('email.opened', b, at(179)));
    await post('b3', resendEvent('email.delivered', b, at(200))); // reported after the click
    await post('c1', resendEvent('email.bounced', c, at(2), bounce('Permanent')));
    await post('d1', resendEvent('email.bounced', d, at(2), bounce('Transient')));
    await post('e1', resendEvent('email.bounced', e, at(2), bounce('Undetermined')));
    await post('e2', resendEvent('email.bounced', e, at(90), bounce('Permanent', 'NoEmail')));
    await post('f1', resendEvent('email.opened', f, at(60)));
    await post('f2', resendEvent('email.complained', f, at(61)));
    await post('g1', resendEvent('email.delivery_delayed', g, at(30)));
    await post('h1', resendEvent('email.failed', h, at(0), { failed: { reason: 'reached_daily_quota' } }));
    await post('i1', resendEvent('email.suppressed', i, at(0), { suppressed: { message: 'on the account suppression list', type: 'OnAccountSuppressionList' } }));
    await post('late1', resendEvent('email.opened', LATE_ID, at(45))); // before its row is confirmed
    await post('a4', resendEvent('email.delivery_delayed', a, at(0)));

    const first = await sync(dir, out, worker.url);
    expect(first).toContain('webhooks: 17 events received, 9 messages updated; 1 wait for their message to be recorded');
    let byId = new Map((await ledger(dir)).map((r) => [r.message_id, r]));
    expect(byId.get(a)).toMatchObject({ last_event: 'opened', opened_at: at(120), clicked_at: '', bounce_type: '' });
    expect(byId.get(b)).toMatchObject({ last_event: 'clicked', opened_at: at(179), clicked_at: at(180) });
    expect(byId.get(c)).toMatchObject({ last_event: 'bounced', bounce_type: 'hard' });
    expect(byId.get(d)).toMatchObject({ last_event: 'bounced', bounce_type: 'soft' });
    expect(byId.get(e)).toMatchObject({ last_event: 'bounced', bounce_type: 'hard' });
    expect(byId.get(f)).toMatchObject({ last_event: 'complained', opened_at: at(60) });
    expect(byId.get(g)).toMatchObject({ last_event: 'delivery_delayed' });
    expect(byId.get(h)).toMatchObject({ last_event: 'failed' });
    expect(byId.get(i)).toMatchObject({ last_event: 'suppressed' });
    // The cursor stops before the waiting event, so it is read again.
    expect(await checkReceiver({ url: worker.url, token: TOKEN })).toMatchObject({ cursor: 16, latest: 18 });

    // Hard bounces, complaints and Resend's suppressions are never mailed again; a soft bounce is.
    const { dataset } = await loadDataset(source, AS_OF);
    const suppressed = blockedByEvents(dataset);
    const contactOf = (id: string) => picked.find((r) => r.message_id === id)!.contact_id;
    for (const id of [c, e, i]) expect(suppressed.get(`id:${contactOf(id)}`)).toBe('hard_bounced');
    expect(suppressed.get(`id:${contactOf(f)}`)).toBe('complained');
    for (const id of [a, b, d, g, h]) expect(suppressed.has(`id:${contactOf(id)}`)).toBe(false);

    // The send run records the confirmation; the next sync applies the open that waited, and
    // reading the later events again changes nothing else (not even updated_at).
    await recordConfirmations(source, [{ batch: plan[0], messageIds: [LATE_ID], sentAt: at(-4) }]);
    const before = await ledger(dir);
    const second = await sync(dir, out, worker.url);
    expect(second).toContain('webhooks: 2 events received, 1 messages updated; 0 wait');
    const after = await ledger(dir);
    expect(after.find((r) => r.message_id === LATE_ID)).toMatchObject({ last_event: 'opened', opened_at: at(45) });
    expect(after.filter((r) => r.message_id !== LATE_ID)).toEqual(before.filter((r) => r.message_id !== LATE_ID));
    expect(await checkReceiver({ url: worker.url, token: TOKEN })).toMatchObject({ cursor: 18 });

    // The sheet is busy when we write: nothing is acknowledged, so nothing is lost.
    await post('a5', resendEvent('email.clicked', a, at(400), click(at(400))));
    const busy = Object.assign(Object.create(source) as CsvFolderSource, {
      updateCells: async () => {
        throw new SourceError('the spreadsheet is busy');
      },
    });
    const current = (await loadDataset(source, AS_OF)).dataset.email_events;
    await expect(pullWebhookEvents(current, { url: worker.url, token: TOKEN }, busy, new Date())).rejects.toThrow('busy');
    expect(await checkReceiver({ url: worker.url, token: TOKEN })).toMatchObject({ cursor: 18, latest: 19 });
    const third = await sync(dir, out, worker.url);
    expect(third).toContain('webhooks: 1 events received, 1 messages updated');
    expect((await ledger(dir)).find((r) => r.message_id === a)).toMatchObject({ last_event: 'clicked', opened_at: at(120), clicked_at: at(400) });

    // Nothing new: a further sync leaves the file byte for byte as it was.
    const settled = await readFile(join(dir, 'email_events.csv'), 'utf8');
    expect(await sync(dir, out, worker.url)).toContain('webhooks: 0 events received, 0 messages updated');
    expect(await readFile(join(dir, 'email_events.csv'), 'utf8')).toBe(settled);
  });

  it('lets go of events for messages Tidings never sent once they are a week old', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    const row = { message_id: 'm1', last_event: 'sent', row: 2 } as EmailEvent;
    const event = (seq: number, email_id: string, received_at: string): ReceivedEvent => ({ seq, id: `s${seq}`, type: 'email.opened', email_id, occurred_at: received_at, detail: null, received_at });
    const plan = planWebhookUpdates([row], [event(1, 'receipt-1', '2026-11-25T00:00:00Z'), event(2, 'receipt-2', '2026-11-27T00:00:00Z'), event(3, 'm1', '2026-12-01T00:00:00Z')], now);
    expect(plan.expired).toBe(1);
    expect(plan.waiting.map((e) => e.seq)).toEqual([2]);
    expect(plan.updates).toContainEqual({ id: 'm1', column: 'last_event', value: 'opened' });
  });
});
