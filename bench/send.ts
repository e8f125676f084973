/**
 * A live send of many recipients through the real sender (sendLive: plan, send log, batches of 100
 * with idempotency keys, confirmations) against the local Resend-speaking test server limited to
 * 2 requests per second: at 100 emails a request, the ceiling is 200 emails per second.
 */
import { rm } from 'node:fs/promises';
import { Resend } from 'resend';
import { sendLive } from '../emails/send/live.ts';
import { BatchSender, Pacer } from '../emails/send/provider.ts';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import { loadDataset } from '../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../test/support/csv-folder.ts';
import { FakeResend } from '../test/support/fake-resend-server.ts';
import { timed } from './measure.ts';

const AS_OF = '2026-11-15';
export const REQUESTS_PER_SECOND = 2;
export const BATCH = 100;

export interface SendResult {
  recipients: number;
  ms: number;
  perSecond: number;
  ceiling: number;
  requests: number;
  rateLimited: number;
  delivered: number;
}

async function folder(n: number): Promise<string> {
  const contacts = Array.from({ length: n }, (_, i) => ({
    contact_id: `C${String(i + 1).padStart(5, '0')}`, first_name: `Donor ${i + 1}`, email: `d${i + 1}@example.org`, email_opt_in: 'yes',
  }));
  return writeCsvFolder(
    {
      contacts,
      mailings: [{ mailing_id: 'M1', name: 'Nov', subject: 'November news', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-15 11:00', public: 'yes' }],
      stories: [{ mailing_id: 'M1', position: '1', title: 'Tutoring', body: 'Hello **all**' }],
    },
    SETTINGS,
  );
}

export async function sendRate(recipients: number): Promise<SendResult> {
  const dir = await folder(recipients);
  const server = await new FakeResend({ limit: REQUESTS_PER_SECOND, windowMs: 1000 }).start();
  try {
    const source = new CsvFolderSource(dir);
    const { dataset, asOf } = await loadDataset(source, AS_OF);
    const sender = new BatchSender(new Resend('re_bench', { baseUrl: server.url }), new Pacer());
    const noSegments = () => {
      throw new Error('the benchmark mailing goes to all');
    };
    // Timed from the plan to the last confirmation written: what `tidings send --live` does after sync.
    const { ms, value: summary } = await timed(() =>
      sendLive(dataset, asOf, dataset.mailings[0], { evaluateSegment: noSegments, secret: 'bench', source, sender, batchSize: BATCH, progress: () => ({ advance: () => {} }) }),
    );
    return {
      recipients, ms, perSecond: (summary.sentNow / ms) * 1000, ceiling: REQUESTS_PER_SECOND * BATCH,
      requests: summary.requests, rateLimited: server.rateLimited, delivered: server.deliveries.size,
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
