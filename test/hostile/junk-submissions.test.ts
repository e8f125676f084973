import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../emails/unsubscribe.ts';
import { ROOT, tidings } from '../support/cli.ts';

const SECRET = 'junk-test-secret';
const AS_OF = '2026-11-22';
// The child's heap is capped: a run that held every junk row several times over would die here
// with "JavaScript heap out of memory" instead of passing.
const HEAP_MB = 1536;
// Alone each takes under 30 s; with the whole suite running on two shared cores, several times that.
const SLOW_MS = 300_000;

/** Writes `count` lines made by `line(i)` to `path` (appending), a few thousand at a time, never the whole file in memory. */
async function writeLines(path: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path, { flags: 'a' });
  for (let i = 0; i < count; ) {
    let chunk = '';
    for (const end = Math.min(count, i + 5000); i < end; i++) chunk += `${line(i)}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const folders: string[] = [];
async function sampleCopy(): Promise<{ dir: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-junk-'));
  folders.push(dir);
  await cp(join(ROOT, 'data/sample'), dir, { recursive: true });
  return { dir, out: join(dir, 'out') };
}

const env = { ...process.env };
beforeAll(() => {
  process.env.TIDINGS_UNSUBSCRIBE_SECRET = SECRET;
  process.env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_MB}`.trim();
});
afterAll(async () => {
  process.env = env;
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

const readCsv = async (path: string): Promise<Record<string, string>[]> => parse(await readFile(path, 'utf8'), { columns: true, bom: true });

describe('junk posted to the public unsubscribe form', () => {
  it('a million junk rows: sync counts them, lists the first 20, still applies the one real unsubscribe (exit 0)', async () => {
    const { dir, out } = await sampleCopy();
    const contacts = await readCsv(join(dir, 'contacts.csv'));
    const real = contacts.find((c) => c.email && c.email_opt_in !== 'no' && c.email_opt_in !== 'FALSE')!;
    const junk = (i: number) => {
      const token = i % 3 === 0 ? unsubscribeToken('a-guessed-secret', `C${i}`) : i % 3 === 1 ? `junk-${i}` : `<script>${'x'.repeat(i % 200)}</script>`;
      return `2026-11-2${i % 2} 0${i % 10}:00,${token},spam${i}@example.com,`;
    };
    await writeLines(join(dir, 'unsubscribes.csv'), 1_000_000, junk);
    await writeLines(join(dir, 'unsubscribes.csv'), 1, () => `2026-11-21 10:00,${unsubscribeToken(SECRET, real.contact_id)},${real.email},`);

    const started = performance.now();
    const result = await tidings('sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--no-backup');
    const seconds = (performance.now() - started) / 1000;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('unsubscribes: 1 contacts opted out now; 1,000,000 invalid tokens (the first 20 listed in problems)');
    // On a shared 2-core machine this takes well under a minute; a crash or quadratic work would not.
    expect(seconds).toBeLessThan(150);

    const problems = (await readCsv(join(out, 'private/problems.csv'))).filter((p) => p.tab === 'unsubscribes');
    expect(problems).toHaveLength(21);
    expect(problems.slice(0, 20).map((p) => Number(p.row))).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(problems[20].row).toBe('');
    expect(problems[20].message).toMatch(/^1,000,000 invalid unsubscribe tokens \(666,666 malformed, 333,334 forged\); the first 20 are listed: none was applied/);

    const after = await readCsv(join(dir, 'contacts.csv'));
    expect(after.find((c) => c.contact_id === real.contact_id)!.email_opt_in).toBe('no');
  }, SLOW_MS);

  it('sync --assign-receipts numbers 150,000 waiting gifts (exit 0)', async () => {
    const { dir, out } = await sampleCopy();
    const header = (await readFile(join(dir, 'donations.csv'), 'utf8')).split(/\r?\n/, 1)[0].replace(/^\uFEFF/, '').split(',');
    const gift = (i: number) => header.map((h) => ({ donation_id: `J${i}`, contact_id: 'C00001', date: '2026-10-01', amount: '100', status: 'completed' })[h] ?? '').join(',');
    await writeLines(join(dir, 'donations.csv'), 150_000, gift);

    const result = await tidings('sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--no-backup', '--assign-receipts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The sample's own few gifts without a number are numbered too.
    expect(Number(/receipt numbers: (\d+) assigned/.exec(result.stdout)?.[1])).toBeGreaterThanOrEqual(150_000);
    const numbered = (await readCsv(join(dir, 'donations.csv'))).filter((d) => d.donation_id.startsWith('J'));
    expect(numbered).toHaveLength(150_000);
    expect(new Set(numbered.map((d) => d.receipt_no)).size).toBe(150_000);
    expect(numbered.every((d) => /^2026-\d+$/.test(d.receipt_no))).toBe(true);
  }, SLOW_MS);
});
