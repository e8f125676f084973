import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSend } from '../../cli/commands/send.ts';
import { type LiveOptions, sendLive } from '../../emails/send/live.ts';
import { BatchSender, Pacer } from '../../emails/send/provider.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { loadDataset } from '../../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

const SECRET = 'live-secret';
const AS_OF = '2026-11-15';
const FAST = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20, maxRateLimitWaits: 50 };
const quiet = () => ({ advance: () => {} });
const noSegments = () => {
  throw new Error('only all is used here');
};

function contacts(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = `C${String(i + 1).padStart(4, '0')}`;
    return { contact_id: id, first_name: `Donor ${i + 1}`, email: `d${i + 1}@example.org`, email_opt_in: 'yes' };
  });
}

async function folder(n: number) {
  return writeCsvFolder(
    {
      contacts: contacts(n),
      mailings: [{ mailing_id: 'M1', name: 'Nov', subject: 'November news', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-15 11:00', public: 'yes' }],
      stories: [{ mailing_id: 'M1', position: '1', title: 'Tutoring', body: 'Hello **all**' }],
    },
    SETTINGS,
  );
}

async function ledger(dir: string) {
  return parse(await readFile(join(dir, 'email_events.csv'), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
}

async function mailingRow(dir: string) {
  return (parse(await readFile(join(dir, 'mailings.csv'), 'utf8'), { bom: true, columns: true }) as Record<string, string>[])[0];
}

/** Counts write-back calls, and can fail the nth one (a crash while recording). */
class CountingSource {
  writes = 0;
  constructor(readonly inner: CsvFolderSource, readonly failAt?: number) {}
  wrap(): WritableSource {
    const self = this;
    const guard = async <T>(call: () => Promise<T>): Promise<T> => {
      if (++self.writes === self.failAt) throw new Error('crash while writing the ledger');
      return call();
    };
    return {
      label: this.inner.label,
      writesBackByDefault: this.inner.writesBackByDefault,
      read: () => this.inner.read(),
      replaceTab: (...a) => guard(() => this.inner.replaceTab(...a)),
      appendRows: (...a) => guard(() => this.inner.appendRows(...a)),
      updateCells: (...a) => guard(() => this.inner.updateCells(...a)),
      deleteRows: (...a) => guard(() => this.inner.deleteRows(...a)),
    };
  }
}

async function sendOnce(server: FakeResend, dir: string, extra: Partial<LiveOptions> = {}, failAt?: number) {
  const counting = new CountingSource(new CsvFolderSource(dir), failAt);
  const synced = await loadDataset(counting.inner, AS_OF);
  const mailing = synced.dataset.mailings[0];
  const sender = new BatchSender(new Resend('re_test', { baseUrl: server.url }), new Pacer(FAST));
  const summary = await sendLive(synced.dataset, synced.asOf, mailing, {
    evaluateSegment: noSegments, secret: SECRET, source: counting.wrap(), sender, progress: quiet, ...extra,
  });
  return { summary, writes: counting.writes, sender };
}

function expectExactlyOnce(server: FakeResend, n: number) {
  expect(server.deliveries.size).toBe(n);
  expect([...server.deliveries.values()].every((count) => count === 1)).toBe(true);
}

describe('live send through the fake Resend', () => {
  let server: FakeResend;
  beforeEach(async () => {
    server = await new FakeResend({ limit: 1000, windowMs: 1000 }).start();
  });
  afterEach(() => server.close());

  it('sends in batches of 100, records every message id, and goes scheduled → sending → sent in few writes', async () => {
    const dir = await folder(250);
    const { summary, writes } = await sendOnce(server, dir);
    expectExactlyOnce(server, 250);
    expect(server.batchLog.map((b) => b.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(summary).toMatchObject({ sentNow: 250, batches: 3 });
    // plan, status sending, one flush of confirmations, status sent.
    expect(writes).toBe(4);
    const rows = await ledger(dir);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(server.emails.keys()));
    expect(rows.every((r) => r.mailing_id === 'M1' && r.last_event === 'sent' && r.sent_at)).toBe(true);
    const m = await mailingRow(dir);
    expect(m.status).toBe('sent');
    expect(m.sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A second run finds everyone in the ledger and sends nothing.
    const again = await sendOnce(server, dir);
    expect(again.summary.sentNow).toBe(0);
    expectExactlyOnce(server, 250);
  });

  it('flushes the ledger every few batches, not after each one', async () => {
    const dir = await folder(100);
    const { summary, writes } = await sendOnce(server, dir, { batchSize: 4, flushEveryBatches: 10, flushEveryMs: 60_000 });
    expect(summary.batches).toBe(25);
    expect(writes).toBe(1 + 1 + 3 + 1);
    expectExactlyOnce(server, 100);
  });

  it('retries 500s, dropped connections and 429s with the same idempotency key, without sending twice', async () => {
    const dir = await folder(300);
    server.faults.set(1, '500');
    server.faults.set(3, 'drop-after-accept');
    server.faults.set(5, '429');
    server.faults.set(6, 'drop');
    await sendOnce(server, dir);
    expectExactlyOnce(server, 300);
    const byKey = new Map<string, string[]>();
    for (const b of server.batchLog) byKey.set(b.key!, [...(byKey.get(b.key!) ?? []), b.outcome]);
    expect([...byKey.values()]).toEqual([
      ['500', 'accepted'],
      ['drop-after-accept', 'replayed'],
      ['429', 'drop', 'accepted'],
    ]);
    expect((await ledger(dir)).every((r) => server.emails.has(r.message_id))).toBe(true);
  });

  it('gives up after the bounded number of retries, and a re-run finishes the job', async () => {
    const dir = await folder(150);
    for (let n = 2; n <= 6; n++) server.faults.set(n, '500');
    await expect(sendOnce(server, dir)).rejects.toThrow(/after 5 attempts.*run again/);
    expect((await mailingRow(dir)).status).toBe('sending');
    await sendOnce(server, dir);
    expectExactlyOnce(server, 150);
    expect((await mailingRow(dir)).status).toBe('sent');
  });

  it('a crash while recording confirmations: the re-run replays the unrecorded batches by key and delivers everyone once', async () => {
    const dir = await folder(250);
    // Batches of 50. Writes: 1 plan, 2 status, 3 flush of batches 1-2, 4 flush of batches 3-4 (crashes).
    const options = { flushEveryBatches: 2, batchSize: 50 };
    await expect(sendOnce(server, dir, options, 4)).rejects.toThrow(/crash/);
    const before = await ledger(dir);
    expect(before.filter((r) => r.message_id.startsWith('pending:'))).toHaveLength(150);
    const requestsBefore = server.batchLog.length;
    const { summary } = await sendOnce(server, dir, options);
    expect(summary).toMatchObject({ alreadySent: 100, resumedBatches: 3, batches: 3 });
    expect(server.batchLog.slice(requestsBefore).map((b) => b.outcome)).toEqual(['replayed', 'replayed', 'accepted']);
    expectExactlyOnce(server, 250);
    const after = await ledger(dir);
    expect(after).toHaveLength(250);
    expect(after.every((r) => server.emails.has(r.message_id))).toBe(true);
  });

  it('a planned batch past the key window is never re-sent blindly', async () => {
    const dir = await folder(120);
    await expect(sendOnce(server, dir, { flushEveryBatches: 5 }, 3)).rejects.toThrow(/crash/);
    const later = () => new Date(Date.now() + 25 * 3600_000);
    await expect(sendOnce(server, dir, { now: later })).rejects.toThrow(/batch 1 of M1 was planned at .* never confirmed/);
    expectExactlyOnce(server, 120);
  });

  it('data changed between a crash and the re-run: the key conflict means Resend already sent it, so it is recorded, not re-sent', async () => {
    const dir = await folder(100);
    await expect(sendOnce(server, dir, {}, 3)).rejects.toThrow(/crash/);
    const stories = join(dir, 'stories.csv');
    await import('node:fs/promises').then((fs) => fs.writeFile(stories, 'mailing_id,position,title,body\nM1,1,Tutoring,Hello **everyone**\n'));
    await sendOnce(server, dir);
    expectExactlyOnce(server, 100);
    expect(server.batchLog.map((b) => b.outcome)).toEqual(['accepted', 'conflict']);
    const rows = await ledger(dir);
    expect(rows.every((r) => r.message_id.startsWith('accepted-earlier:M1:1:') && r.last_event === 'sent')).toBe(true);
  });
});

describe('pacing', () => {
  it('keeps under the rate limit from the headers alone (requests counted per window)', async () => {
    const server = await new FakeResend({ limit: 2, windowMs: 1000 }).start();
    try {
      const dir = await folder(60);
      await sendOnce(server, dir, { batchSize: 10 });
      expectExactlyOnce(server, 60);
      expect(server.rateLimited).toBe(0);
      expect(Math.max(...server.perWindow.values())).toBeLessThanOrEqual(2);
      expect(server.batchLog).toHaveLength(6);
    } finally {
      await server.close();
    }
  });
});

describe('killed mid-send (a real process, killed with SIGKILL)', () => {
  const cli = join(import.meta.dirname, '../../bin/tidings.js');
  const env = (server: FakeResend) => ({ ...process.env, RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url, TIDINGS_UNSUBSCRIBE_SECRET: SECRET });

  it.each([1, 2])('killed right after Resend accepted batch %i, before its answer arrived: the re-run delivers everyone exactly once', async (killAt) => {
    const server = await new FakeResend({ limit: 1000, windowMs: 1000 }).start();
    try {
      const dir = await folder(250);
      let child: ChildProcess | undefined;
      const exited = new Promise<number | null>((resolve) => {
        server.onAccept = async (n) => {
          if (n !== killAt || !child) return;
          child.kill('SIGKILL');
          await new Promise((r) => child!.once('exit', r));
        };
        child = spawn(process.execPath, [cli, 'send', 'M1', '--live', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', join(dir, 'out')], { env: env(server), stdio: 'ignore' });
        child.once('exit', (code) => resolve(code));
      });
      expect(await exited).toBeNull(); // killed, not finished
      expect(server.deliveries.size).toBe(killAt * 100);
      expect((await ledger(dir)).filter((r) => r.message_id.startsWith('pending:'))).toHaveLength(250);

      const saved = { ...process.env };
      Object.assign(process.env, env(server));
      try {
        await runSend('M1', { source: `csv:${dir}`, asOf: AS_OF, out: join(dir, 'out'), live: true }, () => {});
      } finally {
        process.env = saved;
      }
      expectExactlyOnce(server, 250);
      const rows = await ledger(dir);
      expect(rows).toHaveLength(250);
      expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(server.emails.keys()));
      expect((await mailingRow(dir)).status).toBe('sent');
    } finally {
      await server.close();
    }
  });
});
