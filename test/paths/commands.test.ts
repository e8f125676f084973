import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runReceipts } from '../../cli/commands/receipts.ts';
import { runSend } from '../../cli/commands/send.ts';
import { runSync } from '../../cli/commands/sync.ts';
import { writePublicAggregates } from '../../reports/public/write.ts';
import { UsageError } from '../../sync/errors.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

const AS_OF = '2026-11-20';
let data: string;
let out: string;
const quiet = () => undefined;

/** What a user has in out/private before a command runs: it must all be there after. */
async function privateFiles(): Promise<string[]> {
  return (await readdir(join(out, 'private'), { recursive: true })).sort();
}

beforeEach(async () => {
  data = await writeCsvFolder(
    {
      contacts: [{ contact_id: 'C1', first_name: '美玲', email: 'meiling@example.org', email_opt_in: 'yes' }],
      donations: [{ donation_id: 'D1', contact_id: 'C1', date: '2026-03-01', amount: '1000' }],
      mailings: [
        { mailing_id: '..', name: 'bad', subject: 'Hi', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-15 11:00', public: 'yes' },
        { mailing_id: '十一月-2026', name: '十一月電子報', subject: '十一月的消息', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-16 11:00' },
      ],
      stories: [{ mailing_id: '十一月-2026', position: '1', title: '課輔開學', body: '大家好' }],
    },
    SETTINGS,
  );
  out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
  await mkdir(join(out, 'private/receipts'), { recursive: true });
  await writeFile(join(out, 'private/receipts/receipt-D0.pdf'), 'last year’s receipt');
});

describe('no command writes or deletes outside its own folder', () => {
  it('tidings send .. is a usage error (exit 2) and deletes nothing', async () => {
    const before = await privateFiles();
    const result = await tidings('send', '..', '--source', `csv:${data}`, '--out', out, '--as-of', AS_OF);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidings: send \.\.: not a mailing id \(it starts or ends with a dot/);
    expect(await privateFiles()).toEqual(before);
  });

  it('send ../../x and a 301-character id are refused before anything is read or written', async () => {
    const before = await privateFiles();
    for (const id of ['../../x', 'x'.repeat(301), '../private', '.']) {
      await expect(runSend(id, { source: `csv:${data}`, out, asOf: AS_OF }, quiet), id).rejects.toThrow(UsageError);
    }
    await expect(runSend('x'.repeat(301), { source: `csv:${data}`, out, asOf: AS_OF }, quiet)).rejects.toThrow(/301 characters long/);
    expect(await privateFiles()).toEqual(before);
  });

  it('a mailing id .. in the sheet is a sync problem, and the other mailing’s dry run still works', async () => {
    const lines: string[] = [];
    await runSync({ source: `csv:${data}`, out, asOf: AS_OF, backup: false }, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/error: mailings, row 2, column A \(mailing_id\) \[\.\.\]: "\.\." cannot be an id/);
    await runSend('十一月-2026', { source: `csv:${data}`, out, asOf: AS_OF }, quiet);
    expect(await readdir(join(out, 'private/outbox/十一月-2026'))).toContain('0001-C1.eml');
    expect(await readFile(join(out, 'private/receipts/receipt-D0.pdf'), 'utf8')).toBe('last year’s receipt');
    await expect(runSend('..', { source: `csv:${data}`, out, asOf: AS_OF }, quiet)).rejects.toThrow(UsageError);
    expect(await readdir(join(out, 'private/outbox'))).toEqual(['十一月-2026']);
  });

  it('export --out-file .. is a usage error, and nothing is written outside exports/', async () => {
    const before = await privateFiles();
    const result = await tidings('export', 'recent_donors', '--channel', 'email', '--out-file', '..', '--source', `csv:${data}`, '--out', out, '--as-of', AS_OF);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out-file "\.\." is not a plain name inside .*exports: nothing was written/);
    expect(await privateFiles()).toEqual(before);
  });
});

describe('private outputs are owner-only; public ones stay readable', () => {
  const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

  it('out/private/** and backups/** are 0700 folders and 0600 files, even when they were there before', async () => {
    await writeFile(join(out, 'private/problems.csv'), 'old');
    const backups = join(out, 'backups');
    const synced = await runSync({ source: `csv:${data}`, out, asOf: AS_OF, backupDir: backups }, quiet);
    await writePublicAggregates(out, synced.dataset, AS_OF, new Date());
    await runReceipts({ source: `csv:${data}`, out, asOf: AS_OF, backup: false, assignReceipts: true, since: '2026-01-01' }, quiet);
    await runSend('十一月-2026', { source: `csv:${data}`, out, asOf: AS_OF }, quiet);

    expect(await mode(join(out, 'private'))).toBe('700');
    for (const dir of ['receipts', 'receipts/print', 'receipts/fonts', 'outbox', 'outbox/receipts', 'outbox/十一月-2026', 'segments']) {
      expect(await mode(join(out, 'private', dir)), dir).toBe('700');
    }
    for (const file of ['problems.csv', 'receipts/receipt-D1.pdf', 'receipts/receipt-D1.html', 'receipts/print/print-list.csv', 'outbox/receipts/0001-C1.eml', 'outbox/receipts/index.html', 'outbox/十一月-2026/0001-C1.html', 'segments/summary.json', 'segments/rfm.csv']) {
      expect(await mode(join(out, 'private', file)), file).toBe('600');
    }
    // Aggregates for the web: as readable as any file and folder the user makes (their umask).
    await mkdir(join(out, 'plain'));
    await writeFile(join(out, 'plain/file'), '');
    expect(await mode(join(out, 'public'))).toBe(await mode(join(out, 'plain')));
    expect(await mode(join(out, 'public/site.json'))).toBe(await mode(join(out, 'plain/file')));
    expect(await mode(join(out, 'public/site.json'))).not.toBe('600');
    expect(await mode(backups)).toBe('700');
    const [snapshot] = await readdir(backups);
    expect(await mode(join(backups, snapshot))).toBe('700');
    for (const file of await readdir(join(backups, snapshot))) expect(await mode(join(backups, snapshot, file)), file).toBe('600');
  });
});
