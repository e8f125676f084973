import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initSheet } from '../../cli/commands/init-sheet.ts';
import { dateTimeToSerial } from '../../sync/cells/dates.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { ROOT } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { type Cell, CELL_LIMIT } from '../support/fake-sheets-server.ts';
import { FakeResend } from '../support/fake-resend-server.ts';
import { startSheets, tempDir } from '../support/sheets.ts';
import { WorkerUnderTest, bounce, postEvent, resendEvent } from '../support/webhook-worker.ts';

/**
 * The production drill: the daily Action's own steps, read from .github/workflows/newsletter.yml
 * and run by bash as the runner runs them, against the fakes in strict mode: a spreadsheet laid
 * out by init-sheet with a chart sheet and a grid at 9.5 million cells, a sending-only key on
 * Resend's free plan (100 a day), a mailing with a Chinese id to 250 people (one on Resend's
 * suppression list), webhook events arriving while it sends, days passing, and staff reordering
 * rows between our read and a retried write.
 */

const SECRET = `whsec_${Buffer.from('tidings-drill-signing-secret').toString('base64')}`;
const TOKEN = 'drill-token-5f0c2a9e71b4';
const MAILING = '2026年12月電子報';
const NEXT = '2027年1月電子報';
const PEOPLE = 250;
const HISTORY = 20;
const DAY = 86_400_000;

const id = (n: number) => `C${String(n).padStart(4, '0')}`;
const address = (n: number) => `d${n}@example.org`;
const SUPPRESSED = 5;
const HARD = 10;
const SOFT = 20;

type Row = Record<string, string>;
/** Cells as the sheet holds them (numbers, booleans), as text, keyed by the header. */
const rowsOf = (values: Cell[][]): Row[] => {
  const [header = [], ...rows] = values;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [String(h), r[i] === undefined ? '' : String(r[i])])));
};

/** A local date-time as staff type it into scheduled_for, `days` from now (Taipei, UTC+8). */
const taipei = (days: number) => new Date(Date.now() + days * DAY + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * What a fresh runner has after actions/checkout and `npm ci`: a copy of the repository (the
 * installed packages linked, not copied), and nothing from earlier runs (no backups/).
 */
async function checkout(): Promise<string> {
  const dir = await tempDir('drill-checkout');
  for (const entry of await readdir(ROOT)) {
    if (['backups', 'out', 'dist', 'archive', '.git', '.astro', 'test-artifacts'].includes(entry)) continue;
    if (entry === 'node_modules' || entry === '.tools') await symlink(join(ROOT, entry), join(dir, entry));
    else await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}

describe('production drill: the daily Action, day after day, against the strict fakes', () => {
  const workflow = parse(readFileSync(join(ROOT, '.github/workflows/newsletter.yml'), 'utf8'));
  const job = workflow.jobs.send;
  let sheets: Awaited<ReturnType<typeof startSheets>>;
  let resend: FakeResend;
  let worker: WorkerUnderTest;
  beforeAll(async () => {
    sheets = await startSheets();
    resend = await new FakeResend({ strict: true, plan: 'free', usageApi: false }).start();
    worker = await new WorkerUnderTest({ secret: SECRET, token: TOKEN }).start();
  });
  afterAll(async () => {
    await Promise.all([sheets?.fake.close(), resend?.close(), worker?.close()]);
  });

  it('sync, send --due --live, a later sync: everyone once, no ledger row lost, no cell on a wrong row', { timeout: 600_000 }, async () => {
    const { fake } = sheets;
    // The spreadsheet: init-sheet with 250 contacts, last month's mailing and its ledger rows.
    const contacts = Array.from({ length: PEOPLE }, (_, i) => ({ contact_id: id(i + 1), first_name: `捐款人${i + 1}`, email: address(i + 1), email_opt_in: 'yes' }));
    const history = Array.from({ length: HISTORY }, (_, i) => ({
      message_id: `7a1e0c4d-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, mailing_id: 'nl-2026-11', contact_id: id(i + 1), email: address(i + 1),
      sent_at: '2026-11-15T03:00:00.000Z', last_event: 'delivered', opened_at: '', clicked_at: '', updated_at: '2026-11-15T03:00:20.000Z', bounce_type: '',
    }));
    const folder = await writeCsvFolder({
      contacts,
      mailings: [
        { mailing_id: 'nl-2026-11', name: '11月電子報', subject: '好鄰居月報｜十一月', template: 'newsletter', segment: 'all', locale: 'zh-TW', scheduled_for: '2026-11-15 11:00', status: 'sent', sent_at: '2026-11-15T03:00:02.000Z', public: 'yes' },
        { mailing_id: MAILING, name: '12月電子報', subject: '好鄰居月報｜十二月', template: 'newsletter', segment: 'all', locale: 'zh-TW', scheduled_for: taipei(-1), status: 'scheduled', public: 'yes' },
      ],
      stories: [
        { mailing_id: 'nl-2026-11', position: '1', title: '課輔班', body: '謝謝**大家**' },
        { mailing_id: MAILING, position: '1', title: '冬季送暖', body: '一碗熱湯的**溫度**' },
      ],
      email_events: history,
    }, { ...SETTINGS, timezone: 'Asia/Taipei', resend_plan: 'free' });
    const sheetId = await initSheet(sheets.client(), { title: 'Donors', sample: await new CsvFolderSource(folder).read() });
    // Staff made a chart of the donations on its own sheet, and the grid has grown to 9.5M cells.
    fake.addChartSheet(sheetId, '捐款圖表');
    const donations = fake.tab(sheetId, 'donations');
    const others = fake.gridCells(sheetId) - donations.rowCount * donations.columnCount;
    fake.setGridSize(sheetId, 'donations', Math.ceil((9_500_000 - others) / donations.columnCount), donations.columnCount);
    const cells = fake.gridCells(sheetId);
    expect(cells).toBeGreaterThanOrEqual(9_500_000);
    const contactsBefore = rowsOf(fake.values(sheetId, 'contacts'));
    const historyBefore = rowsOf(fake.values(sheetId, 'email_events'));
    expect(historyBefore.map((r) => r.message_id)).toEqual(history.map((h) => h.message_id));

    // Resend: a key with sending access only; one address on the team's suppression list.
    const key = resend.sendingKey();
    resend.suppressed.add(address(SUPPRESSED));

    // The job's environment exactly as the workflow declares it, its secrets filled in; beside
    // them only what the runner and the auth step provide, and the fakes' addresses.
    const secrets: Record<string, string> = {
      TIDINGS_SHEET_ID: sheetId, RESEND_API_KEY: key, TIDINGS_UNSUBSCRIBE_SECRET: 'drill-unsubscribe-secret-0b3e',
      TIDINGS_WEBHOOK_URL: worker.url, TIDINGS_WEBHOOK_TOKEN: TOKEN,
    };
    const envOf = (declared: Record<string, string>) => {
      const jobEnv: Record<string, string> = {};
      for (const [name, value] of Object.entries(declared)) {
        const secret = /^\$\{\{ secrets\.(\w+) \}\}$/.exec(value)?.[1];
        jobEnv[name] = secret ? (secrets[secret] ?? '') : /inputs\./.test(value) ? '' : value; // a scheduled run has no inputs
      }
      return jobEnv;
    };
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TIDINGS_|RESEND_|GOOGLE_|NODE_ENV$|VITEST|npm_)/.test(k)));

    /** One run of the job (the newsletter's, or another workflow's): each `run` step in order, in bash as the runner starts it (README, The daily Action). */
    const runJob = async (label: string, which: Record<string, any> = job) => {
      const runner = await tempDir(`drill-${label}`);
      const cwd = await checkout();
      // A `sed` in front of the real one keeps a copy of what the sync step filters out of the log.
      const bin = join(runner, 'bin');
      await mkdir(bin);
      await writeFile(join(bin, 'sed'), `#!/bin/sh\ntee -a "${join(runner, 'unfiltered.txt')}" | /usr/bin/sed "$@"\n`);
      await chmod(join(bin, 'sed'), 0o755);
      const env = {
        ...base, ...envOf(which.env), PATH: `${bin}:${base.PATH}`, RUNNER_TEMP: runner, CI: 'true',
        // What google-github-actions/auth provides, and where the fakes listen.
        GOOGLE_SERVICE_ACCOUNT_JSON: sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON, TIDINGS_SHEETS_ROOT_URL: fake.rootUrl, RESEND_BASE_URL: resend.url,
      };
      const steps: Record<string, { code: number; log: string }> = {};
      for (const step of which.steps as Record<string, any>[]) {
        if (!step.run || /npm ci/.test(step.run)) continue;
        const script = join(runner, `${step.name}.sh`);
        await writeFile(script, step.run);
        // "unspecified: bash -e {0}; bash: bash --noprofile --norc -eo pipefail {0}" (docs.github.com,
        // workflow syntax, jobs.<job_id>.steps[*].shell).
        const shell = step.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', script] : ['-e', script];
        steps[step.name] = await new Promise((resolve) => {
          execFile('bash', shell, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, log: `${stdout}${stderr}` });
          });
        });
        expect(steps[step.name].code, `${label} ${step.name}:\n${steps[step.name].log}`).toBe(0);
      }
      const unfiltered = await readFile(join(runner, 'unfiltered.txt'), 'utf8');
      const send = steps.Send?.log ?? '';
      if (process.env.DRILL_LOG) await writeFile(join(process.env.DRILL_LOG, `${label}.txt`), `${unfiltered}\n---\n${steps.Sync.log}\n---\n${send}`);
      return { sync: steps.Sync.log, unfiltered, send };
    };

    const sheet = (tab: string) => rowsOf(fake.values(sheetId, tab));
    const isLedgerWrite = (method: string, path: string, body: string) => method === 'POST' && path.endsWith('/values:batchUpdate') && body.includes("'email_events'!");
    const isMailingsWrite = (method: string, path: string, body: string) => method === 'POST' && path.endsWith('/values:batchUpdate') && body.includes("'mailings'!");
    const reverse = (tab: string) => fake.editRows(sheetId, tab, (rows) => [...rows].reverse());
    const mailedBy = (subject: string) => [...resend.emails.values()].filter((e) => e.subject === subject);

    // Day 1. Webhook events arrive while the send is still going: Resend reports on the first
    // batch while Tidings is writing its confirmations.
    let posting: Promise<void> | undefined;
    fake.beforeHandling(isLedgerWrite, () => {
      posting = (async () => {
        const at = new Date(resend.now()).toISOString();
        for (const email of mailedBy('好鄰居月報｜十二月')) {
          const n = Number(email.to[0].replace(/^d(\d+)@.*$/, '$1'));
          const [type, extra] =
            n === SUPPRESSED ? ['email.suppressed', { suppressed: { message: 'on the account suppression list', type: 'OnAccountSuppressionList' } }]
            : n === HARD ? ['email.bounced', bounce('Permanent')]
            : n === SOFT ? ['email.bounced', bounce('Transient')]
            : n <= 3 ? ['email.opened', {}]
            : ['email.delivered', {}];
          const response = await postEvent(worker.url, SECRET, `msg_${email.id}`, resendEvent(type as string, email.id, at, extra as Record<string, unknown>));
          expect(response.status).toBe(200);
        }
      })();
    });
    const day1 = await runJob('day1');
    await posting;
    expect(posting).toBeDefined();
    const [cellsLine, annotation, ...more] = day1.sync.trim().split('\n');
    expect(cellsLine).toBe(`cells: ${cells.toLocaleString('en-US')} of 10,000,000 (95.0%): past 90%, run \`tidings compact\` (README, The cell budget)`);
    expect(annotation).toBe(`::warning title=Cell budget::${cellsLine}`);
    // Besides it only the Sheets client's notes (the chart sheet is skipped): no cell values.
    expect(more).toEqual(['sheets: skipping "捐款圖表": it is a chart sheet, not a table']);
    expect(day1.unfiltered).toContain('webhooks: 0 events received');
    // Stopped by the daily quota part-way: exit 0, what is left and when it goes on.
    expect(day1.send).toMatch(/sent 100 now in 1 batches/);
    expect(day1.send).toMatch(/stopped at Resend's daily quota: 150 recipients left, none sent twice; the mailing stays "sending" and the next run after \d{4}-\d\d-\d\dT/);
    expect(resend.batchLog.map((b) => b.outcome)).toEqual(['accepted', 'quota']);
    expect(sheet('mailings').find((m) => m.mailing_id === MAILING)?.status).toBe('sending');
    expect(sheet('email_events').filter((e) => e.mailing_id === MAILING)).toHaveLength(100);

    // Day 2. Staff sort email_events (and mailings) while sync writes the webhook events, and
    // again while send writes its confirmations (renaming rows: pending ids become Resend's);
    // Google answers both writes 429: each retry must find every row where it is now.
    resend.advanceDays(1);
    const isConfirmation = (method: string, path: string, body: string) => isLedgerWrite(method, path, body) && body.includes('"sent"');
    const isEventsWrite = (method: string, path: string, body: string) => isLedgerWrite(method, path, body) && !body.includes('"sent"');
    for (const when of [isEventsWrite, isConfirmation]) {
      fake.beforeHandling(when, () => {
        reverse('email_events');
        reverse('mailings');
      });
      fake.fail(429, { when, retryAfter: '1' });
    }
    const day2 = await runJob('day2');
    expect(day2.unfiltered).toMatch(/webhooks: 100 events received, 100 messages updated; 0 wait/);
    // The full report (kept on the runner) says once, clearly, what a sending-only key means.
    expect(day2.unfiltered.match(/RESEND_API_KEY has sending access only/g)).toHaveLength(1);
    expect(day2.unfiltered).toContain('Sending is not affected');
    expect(day2.send).toMatch(/already sent earlier \(skipped\): 100/);
    expect(day2.send).toMatch(/sent 100 now in 1 batches/);
    expect(day2.send).toMatch(/daily quota: 50 recipients left/);
    expect(day2.sync).toMatch(/write \d+ cells in email_events got 429/);
    expect(day2.send).toMatch(/write 400 cells in email_events got 429/);

    // Day 3. The last 50. Staff sort email_events between send's read and its confirmation
    // write, with no error to prompt a re-read: the write lands on the wrong rows and the read-back
    // must put it right. Then they reorder mailings while its status is written (a 429 first).
    resend.advanceDays(1);
    fake.beforeHandling(isConfirmation, () => reverse('email_events'));
    fake.beforeHandling(isMailingsWrite, () => reverse('mailings'));
    fake.fail(429, { when: isMailingsWrite, retryAfter: '1' });
    const day3 = await runJob('day3');
    expect(day3.send).toMatch(/sent 50 now in 1 batches/);
    expect(day3.send).toMatch(/rows of email_events moved while writing; \d+ cells put back and the writes redone where the rows are now/);
    expect(day3.send).not.toMatch(/quota/);
    expect(sheet('mailings').find((m) => m.mailing_id === MAILING)?.status).toBe('sent');

    // Day 4. Staff schedule the next mailing; the Action's sync and send run again.
    resend.advanceDays(1);
    const header = fake.values(sheetId, 'mailings')[0].map(String);
    const mailingRow = (m: Row) => header.map((h) => m[h] ?? '');
    fake.editRows(sheetId, 'mailings', (rows) => [...rows, mailingRow({ mailing_id: NEXT, name: '1月電子報', subject: '好鄰居月報｜一月', template: 'newsletter', segment: 'all', locale: 'zh-TW', scheduled_for: taipei(-0.5), status: 'scheduled', public: 'yes' })]);
    const storyHeader = fake.values(sheetId, 'stories')[0].map(String);
    fake.editRows(sheetId, 'stories', (rows) => [...rows, storyHeader.map((h) => ({ mailing_id: NEXT, position: 1, title: '新年計畫', body: '謝謝您' } as Record<string, Cell>)[h] ?? '')]);
    const day4 = await runJob('day4');
    expect(day4.send).toMatch(/sent 100 now in 1 batches/);

    // Every recipient was sent the December mailing exactly once (Resend's own record); all but
    // the suppressed address were delivered.
    const december = mailedBy('好鄰居月報｜十二月');
    const perAddress = new Map<string, number>();
    for (const email of december) for (const to of email.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(perAddress.size).toBe(PEOPLE);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    expect(december.filter((e) => e.last_event === 'suppressed').map((e) => e.to[0])).toEqual([address(SUPPRESSED)]);
    expect(resend.batchLog.filter((b) => b.outcome === 'accepted')).toHaveLength(4);

    // The ledger: no row lost (count and ids), every cell on the row of its id.
    const ledger = sheet('email_events');
    const ids = ledger.map((r) => r.message_id);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(ledger.map((r) => [r.message_id, r]));
    for (const h of historyBefore) expect(byId.get(h.message_id)).toEqual(h);
    const january = mailedBy('好鄰居月報｜一月');
    expect(ledger).toHaveLength(HISTORY + PEOPLE + january.length);
    for (const email of [...december, ...january]) {
      const row = byId.get(email.id);
      expect(row, `ledger row of ${email.to[0]}`).toBeDefined();
      const n = Number(email.to[0].replace(/^d(\d+)@.*$/, '$1'));
      expect(row).toMatchObject({ mailing_id: email.subject === '好鄰居月報｜十二月' ? MAILING : NEXT, contact_id: id(n), email: address(n) });
      expect(row!.sent_at).not.toBe('');
    }
    expect(ids.filter((m) => m.startsWith('pending:'))).toEqual([]);
    const dec = (n: number) => byId.get(december.find((e) => e.to[0] === address(n))!.id)!;
    expect(dec(SUPPRESSED)).toMatchObject({ last_event: 'suppressed' });
    expect(dec(HARD)).toMatchObject({ last_event: 'bounced', bounce_type: 'hard' });
    expect(dec(SOFT)).toMatchObject({ last_event: 'bounced', bounce_type: 'soft' });
    // The first day's batch (contacts 1-100) got its webhook events; the later ones are as sent.
    for (let n = 1; n <= PEOPLE; n++) {
      const expected = n === SUPPRESSED ? 'suppressed' : n === HARD || n === SOFT ? 'bounced' : n <= 3 ? 'opened' : n <= 100 ? 'delivered' : 'sent';
      expect(dec(n).last_event, address(n)).toBe(expected);
    }

    // The next mailing skips the hard bounce and the suppressed address; the soft bounce gets it.
    const januaryTo = new Set(january.flatMap((e) => e.to));
    expect(januaryTo.has(address(SOFT))).toBe(true);
    expect(januaryTo.has(address(HARD))).toBe(false);
    expect(januaryTo.has(address(SUPPRESSED))).toBe(false);

    // Mailings: each row's cells belong to its id; contacts untouched.
    const mailings = new Map(sheet('mailings').map((m) => [m.mailing_id, m]));
    expect(mailings.size).toBe(3);
    expect(mailings.get('nl-2026-11')).toMatchObject({ name: '11月電子報', status: 'sent' });
    expect(mailings.get(MAILING)).toMatchObject({ name: '12月電子報', subject: '好鄰居月報｜十二月', status: 'sent' });
    expect(mailings.get(MAILING)!.sent_at).not.toBe('');
    expect(mailings.get(NEXT)).toMatchObject({ name: '1月電子報', status: 'sending', sent_at: '' });
    const contactsAfter = new Map(sheet('contacts').map((c) => [c.contact_id, c]));
    for (const c of contactsBefore) expect(contactsAfter.get(c.contact_id)).toEqual(c);
    expect(fake.gridCells(sheetId)).toBeLessThan(CELL_LIMIT);

    // Day 5. Someone signs up on the site (the form's row lands in signups). The hourly sign-ups
    // workflow sends the confirmation; the person clicks it (the confirm page posts the token
    // through the form); the next hourly run records their consent. The log shows counts only.
    resend.advanceDays(1);
    const hourly = parse(readFileSync(join(ROOT, '.github/workflows/signups.yml'), 'utf8')).jobs.sync;
    const formHeader = fake.values(sheetId, 'signups')[0].map(String);
    const formRow = (answers: Record<string, Cell>) => formHeader.map((h) => answers[h] ?? '');
    const now = () => dateTimeToSerial(new Date().toISOString(), 'Asia/Taipei');
    const FRIEND = 'new.friend@example.org';
    fake.editRows(sheetId, 'signups', (rows) => [...rows, formRow({ timestamp: now(), email: FRIEND, first_name: '新朋友', channels: 'email', topics: 'newsletter', frequency: 'monthly', language: 'zh-TW', consent_version: '1', source: '/join/' })]);
    const hour1 = await runJob('hour1', hourly);
    expect(hour1.sync).toContain('sign-ups: 1 new, 1 pending, 0 confirmed, 0 expired, 0 junk\n');
    expect(hour1.sync).not.toContain(FRIEND);
    const confirmations = [...resend.emails.values()].filter((e) => e.to[0] === FRIEND);
    expect(confirmations).toHaveLength(1);
    const link = /href="(https:\/\/example\.org\/confirm\/\?t=[^"]+)"/.exec(confirmations[0].html)![1];
    fake.editRows(sheetId, 'signups', (rows) => [...rows, formRow({ timestamp: now(), confirm: new URL(link).searchParams.get('t')! })]);
    const hour2 = await runJob('hour2', hourly);
    expect(hour2.sync).toContain('sign-ups: 0 new, 0 pending, 1 confirmed, 0 expired, 0 junk\n');
    expect([...resend.emails.values()].filter((e) => e.to[0] === FRIEND)).toHaveLength(1);
    expect(sheet('contacts').filter((c) => c.email === FRIEND)).toEqual([
      expect.objectContaining({ email_opt_in: 'true', consent_source: '/join/', consent_version: '1', topics: 'newsletter', email_frequency: 'monthly', source: 'signup' }),
    ]);
  });
});
