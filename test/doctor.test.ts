import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GoogleAuth, JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Check, formatChecks } from '../emails/doctor/check.ts';
import { runDoctor } from '../emails/doctor/doctor.ts';
import { FakeResend } from './support/fake-resend-server.ts';
import { ROOT, tidings } from './support/cli.ts';
import { SAMPLE, tempDir, withFakeSheets } from './support/sheets.ts';
import { WorkerUnderTest } from './support/webhook-worker.ts';
import { GoogleSheetsSource } from '../sync/sources/google-sheets.ts';

const KEY = 're_FullAccessKey_doctor_test_1';
const SENDING_KEY = 're_SendingOnlyKey_doctor_test_2';
const TOKEN = 'receiver-token-doctor-test-3';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const UNSUBSCRIBE_SECRET = 'unsubscribe-secret-doctor-test-4';

/** What a finished setup has in the settings tab. */
const GOOD_SETTINGS: Record<string, string> = {
  email_from: 'Green Hills <news@greenhills.example.org>',
  unsubscribe_form_url: 'https://docs.google.com/forms/d/e/1FAIpQLSe-doctor/formResponse',
  unsubscribe_form_field: 'entry.123456789',
  site_url: 'https://greenhills.example.org',
  // The forms as staff paste them: pre-filled links whose answers are the field names (README, Sign-up and preference forms).
  signup_form: 'https://docs.google.com/forms/d/e/1FAIpQLSe-join/viewform?usp=pp_url&entry.1=email&entry.2=consent_version&entry.3=source&entry.4=confirm&entry.5=channels&entry.6=topics',
  preferences_form: 'https://docs.google.com/forms/d/e/1FAIpQLSe-prefs/viewform?usp=pp_url&entry.1=token&entry.2=channels&entry.3=topics&entry.4=frequency',
};

const sheets = withFakeSheets();
let resend: FakeResend;
let worker: WorkerUnderTest;
let workerWithoutDb: WorkerUnderTest;
/** A copy of the repository's workflows, for the tests that break them. */
let repo: string;

beforeAll(async () => {
  resend = await new FakeResend({ limit: 1000 }).start();
  resend.keys.set(SENDING_KEY, 'sending_access');
  resend.domains.push({ name: 'greenhills.example.org', status: 'verified' }, { name: 'pending.example.org', status: 'pending' });
  [worker, workerWithoutDb] = await Promise.all([
    new WorkerUnderTest({ secret: WEBHOOK_SECRET, token: TOKEN }).start(),
    new WorkerUnderTest({ secret: WEBHOOK_SECRET, token: TOKEN, withoutDb: true }).start(),
  ]);
  repo = await tempDir('doctor-repo');
  await cp(join(ROOT, '.github'), join(repo, '.github'), { recursive: true });
}, 60_000);

afterAll(async () => {
  await Promise.all([resend?.close(), worker?.close(), workerWithoutDb?.close()]);
});

const goodEnv = (): NodeJS.ProcessEnv => ({
  RESEND_API_KEY: KEY, RESEND_BASE_URL: resend.url,
  TIDINGS_WEBHOOK_URL: worker.url, TIDINGS_WEBHOOK_TOKEN: TOKEN,
  TIDINGS_UNSUBSCRIBE_SECRET: UNSUBSCRIBE_SECRET,
});

/** The sample spreadsheet with `settings` rows set (a value of '' removes the row). */
async function sheetWith(settings: Record<string, string> = GOOD_SETTINGS) {
  const { id } = await sheets.sampleSheet();
  sheets.fake.editRows(id, 'settings', (rows) => {
    const kept = rows.filter((r) => !(String(r[0]) in settings));
    for (const [key, value] of Object.entries(settings)) if (value !== '') kept.push([key, value]);
    return kept;
  });
  return id;
}

interface Setup {
  id?: string;
  env?: NodeJS.ProcessEnv;
  root?: string;
  source?: (id: string) => GoogleSheetsSource;
}

async function doctor(setup: Setup = {}) {
  const id = setup.id ?? (await sheetWith());
  const checks = await runDoctor({
    source: `sheets:${id}`, env: setup.env ?? goodEnv(), root: setup.root ?? ROOT,
    open: async () => (setup.source ?? ((i) => new GoogleSheetsSource(i, sheets.client())))(id),
  });
  const byTitle = (title: string) => checks.find((c) => c.title === title) as Check;
  return { id, checks, byTitle, output: formatChecks(checks).join('\n') };
}

/** The output never shows a secret, a key or a donor's address. */
async function expectNoSecrets(output: string) {
  for (const secret of [KEY, SENDING_KEY, TOKEN, WEBHOOK_SECRET, UNSUBSCRIBE_SECRET]) expect(output).not.toContain(secret);
  const donors = (await readFile(join(SAMPLE, 'contacts.csv'), 'utf8')).match(/[^\s,@"]+@[^\s,"]+/g) ?? [];
  expect(donors.length).toBeGreaterThan(0);
  for (const address of donors) expect(output).not.toContain(address);
}

describe('tidings doctor: a finished setup', () => {
  it('passes: every check is ok (secrets are a list to check by hand from a laptop), nothing secret is printed', async () => {
    const { checks, output } = await doctor();
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    const statuses = Object.fromEntries(checks.map((c) => [c.title, c.status]));
    expect(statuses).toMatchObject({
      'Sheet access': 'ok', 'Cell budget': 'ok', 'Resend key': 'ok', 'Sending domain': 'ok',
      'Webhook receiver': 'ok', 'Unsubscribe form': 'ok', 'Sign-up and preferences': 'ok', 'Daily Action': 'ok', 'Action secrets': 'skip',
    });
    expect(output).toMatch(/✓ Sending domain: greenhills\.example\.org is verified/);
    expect(output).toMatch(/✓ Daily Action: runs daily at 03:17 UTC/);
    expect(output).toMatch(/doctor cannot see GitHub's secrets from this computer; the workflows use .*TIDINGS_WEBHOOK_TOKEN.*TIDINGS_WEBHOOK_URL/);
    await expectNoSecrets(output);
  });

  it('inside GitHub Actions, checks the secrets passed as variables are not empty', async () => {
    const inAction = { ...goodEnv(), GITHUB_ACTIONS: 'true', TIDINGS_SHEET_ID: 'x' };
    const { byTitle } = await doctor({ env: inAction });
    expect(byTitle('Action secrets')).toMatchObject({ status: 'ok' });
    const empty = await doctor({ env: { ...inAction, TIDINGS_UNSUBSCRIBE_SECRET: '' } });
    expect(empty.byTitle('Action secrets')).toMatchObject({ status: 'fail', detail: 'empty in this run: TIDINGS_UNSUBSCRIBE_SECRET' });
    expect(empty.byTitle('Action secrets').fix).toMatch(/Settings → Secrets and variables → Actions/);
  });
});

describe('tidings doctor: the sheet', () => {
  it('not shared with the service account: says whom to share it with', async () => {
    const id = await sheetWith();
    sheets.fake.spreadsheets.get(id)!.shared = false;
    const { byTitle, checks } = await doctor({ id });
    expect(byTitle('Sheet access')).toMatchObject({ status: 'fail', detail: `the spreadsheet ${id} is not shared with ${sheets.account.email}` });
    expect(byTitle('Sheet access').fix).toBe(`open it, click Share, and add ${sheets.account.email} as an Editor`);
    expect(byTitle('Tabs and columns').status).toBe('skip');
    // Without the settings, what depends on them is skipped rather than guessed.
    expect(byTitle('Unsubscribe form').status).toBe('skip');
    expect(checks.find((c) => c.title === 'Sending domain')?.status).toBe('skip');
  });

  it('credentials without the Sheets scope: names the scope to add', async () => {
    const key = JSON.parse(sheets.account.json);
    const jwt = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
    jwt.useJWTAccessWithScope = true;
    const source = (id: string) => new GoogleSheetsSource(id, sheets.client({ auth: new GoogleAuth({ authClient: jwt }) }));
    const { byTitle } = await doctor({ source });
    expect(byTitle('Sheet access')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/were not given the scope https:\/\/www\.googleapis\.com\/auth\/spreadsheets$/) });
    expect(byTitle('Sheet access').fix).toMatch(/gcloud auth application-default login --scopes=/);
  });

  it('the Sheets API not enabled in the project: says where to enable it', async () => {
    const id = await sheetWith();
    sheets.fake.apiEnabled = false;
    try {
      const { byTitle } = await doctor({ id });
      expect(byTitle('Sheet access')).toMatchObject({ status: 'fail', detail: 'the Google Sheets API is not enabled in the Cloud project of these credentials' });
      expect(byTitle('Sheet access').fix).toMatch(/APIs & Services → Library → Google Sheets API → Enable/);
    } finally {
      sheets.fake.apiEnabled = true;
    }
  });

  it('a required tab or column missing: names it', async () => {
    const id = await sheetWith();
    const sheet = sheets.fake.spreadsheets.get(id)!;
    sheet.tabs = sheet.tabs.filter((t) => t.title !== 'donations');
    const tab = await doctor({ id });
    expect(tab.byTitle('Sheet access').status).toBe('ok');
    expect(tab.byTitle('Tabs and columns')).toMatchObject({ status: 'fail', detail: expect.stringContaining('the required tab "donations" is missing') });

    const other = await sheetWith();
    sheets.fake.tab(other, 'contacts').cells[0][0] = 'id';
    const column = await doctor({ id: other });
    expect(column.byTitle('Tabs and columns')).toMatchObject({ status: 'fail', detail: expect.stringContaining('has no column "contact_id"') });
  });

  it('the grid at 9.5 million cells: fails with what to do; at 7.5 million, warns', async () => {
    const id = await sheetWith();
    const rest = sheets.fake.gridCells(id) - sheets.fake.tab(id, 'email_events').rowCount * sheets.fake.tab(id, 'email_events').columnCount;
    const columns = sheets.fake.tab(id, 'email_events').columnCount;
    sheets.fake.setGridSize(id, 'email_events', Math.ceil((9_500_000 - rest) / columns), columns);
    const high = await doctor({ id });
    expect(high.byTitle('Cell budget')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^cells: 9,50\d,\d{3} of 10,000,000 \(95\.0%\): past 90%, run `tidings compact`/) });
    expect(high.byTitle('Cell budget').fix).toMatch(/Do it now: .*tidings -- compact/);

    sheets.fake.setGridSize(id, 'email_events', Math.ceil((7_500_000 - rest) / columns), columns);
    const warm = await doctor({ id });
    expect(warm.byTitle('Cell budget')).toMatchObject({ status: 'warn', fix: expect.stringContaining('Plan to do it soon') });
  });
});

describe('tidings doctor: Resend', () => {
  it('a sending-only key: warns that tracking needs the webhook receiver, and says where to check the domain', async () => {
    const { byTitle, checks } = await doctor({ env: { ...goodEnv(), RESEND_API_KEY: SENDING_KEY } });
    expect(byTitle('Resend key')).toMatchObject({ status: 'warn', detail: expect.stringContaining('sending access only') });
    expect(byTitle('Resend key').detail).toMatch(/tracking comes only from the webhook receiver/);
    expect(byTitle('Sending domain')).toMatchObject({ status: 'warn', fix: 'open resend.com/domains and check that greenhills.example.org shows "Verified"' });
    // The receiver is there, so the setup still passes.
    expect(byTitle('Webhook receiver').status).toBe('ok');
    expect(checks.some((c) => c.status === 'fail')).toBe(false);
  });

  it('a sending-only key and no receiver: fails, tracking would be empty', async () => {
    const { TIDINGS_WEBHOOK_URL: _, TIDINGS_WEBHOOK_TOKEN: __, ...env } = goodEnv();
    const { byTitle } = await doctor({ env: { ...env, RESEND_API_KEY: SENDING_KEY }, id: await sheetWith({ ...GOOD_SETTINGS, resend_plan: 'pro' }) });
    expect(byTitle('Webhook receiver')).toMatchObject({ status: 'fail', detail: expect.stringContaining('tracking will be empty') });
  });

  it('an unverified sending domain, or one Resend does not know: fails with the steps to verify', async () => {
    const pending = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, email_from: 'news@pending.example.org' }) });
    expect(pending.byTitle('Sending domain')).toMatchObject({ status: 'fail', detail: 'pending.example.org is pending, not verified: Resend refuses to send from it' });
    expect(pending.byTitle('Sending domain').fix).toMatch(/click pending\.example\.org, add the DNS records/);
    const unknown = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, email_from: 'Us <news@elsewhere.example.org>' }) });
    expect(unknown.byTitle('Sending domain')).toMatchObject({ status: 'fail', detail: expect.stringContaining('elsewhere.example.org (from email_from) is not a domain of this Resend account') });
    const none = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, email_from: '' }) });
    expect(none.byTitle('Sending domain')).toMatchObject({ status: 'fail', detail: expect.stringContaining('email_from is empty') });
  });

  it('no key: fails, saying where to create one', async () => {
    const { RESEND_API_KEY: _, ...env } = goodEnv();
    expect((await doctor({ env })).byTitle('Resend key')).toMatchObject({ status: 'fail', detail: 'RESEND_API_KEY is not set, so nothing can be sent' });
  });
});

describe('tidings doctor: the webhook receiver', () => {
  it('none on the free plan: fails, saying tracking will be close to empty; on Scale, warns', async () => {
    const { TIDINGS_WEBHOOK_URL: _, TIDINGS_WEBHOOK_TOKEN: __, ...env } = goodEnv();
    const free = await doctor({ env });
    expect(free.byTitle('Webhook receiver')).toMatchObject({ status: 'fail', detail: expect.stringContaining("free plan keeps email data 1 day only") });
    expect(free.byTitle('Webhook receiver').fix).toMatch(/TIDINGS_WEBHOOK_URL and TIDINGS_WEBHOOK_TOKEN/);
    const scale = await doctor({ env, id: await sheetWith({ ...GOOD_SETTINGS, resend_plan: 'scale' }) });
    expect(scale.byTitle('Webhook receiver')).toMatchObject({ status: 'warn', detail: expect.stringContaining('keeps email data 7 days only') });
  });

  it('a wrong token: fails, naming the token', async () => {
    const { byTitle, output } = await doctor({ env: { ...goodEnv(), TIDINGS_WEBHOOK_TOKEN: 'not-the-token' } });
    expect(byTitle('Webhook receiver')).toMatchObject({ status: 'fail', detail: expect.stringContaining("401") });
    expect(byTitle('Webhook receiver').detail).toMatch(/TIDINGS_WEBHOOK_TOKEN differs from the Worker's/);
    expect(output).not.toContain('not-the-token');
  });

  it('no database bound: fails, saying where to bind it', async () => {
    const { byTitle } = await doctor({ env: { ...goodEnv(), TIDINGS_WEBHOOK_URL: workerWithoutDb.url } });
    expect(byTitle('Webhook receiver')).toMatchObject({ status: 'fail', detail: 'it answers, but no database is bound to it, so it cannot keep events' });
    expect(byTitle('Webhook receiver').fix).toMatch(/d1_databases/);
  });

  it('only one of its two variables set: names the missing one', async () => {
    const { TIDINGS_WEBHOOK_TOKEN: _, ...env } = goodEnv();
    expect((await doctor({ env })).byTitle('Webhook receiver')).toMatchObject({ status: 'fail', detail: 'TIDINGS_WEBHOOK_TOKEN is not set (the other one is)' });
  });
});

describe('tidings doctor: sign-up and preferences', () => {
  it('no forms yet: a warning naming both settings, not a failure (an org may not take sign-ups yet)', async () => {
    const { byTitle } = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, signup_form: '', preferences_form: '' }) });
    expect(byTitle('Sign-up and preferences')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^signup_form is not set; preferences_form is not set: /) });
    expect(byTitle('Sign-up and preferences').fix).toContain('pre-filled link');
  });

  it('a link that is not the form\'s pre-filled link, or a sign-up form with no site: fails with the reason', async () => {
    const edit = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, preferences_form: 'https://docs.google.com/forms/d/1abc/edit' }) });
    expect(edit.byTitle('Sign-up and preferences')).toMatchObject({ status: 'fail', detail: expect.stringContaining('preferences_form is refused: preferences_form: ') });
    const noSite = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, site_url: '' }) });
    expect(noSite.byTitle('Sign-up and preferences')).toMatchObject({ status: 'fail', detail: expect.stringContaining('site_url is not set, so confirmation emails have no page to link to') });
  });

  it('the hourly sign-ups workflow missing: a warning (confirmations would wait for the daily run)', async () => {
    const root = await tempDir('doctor-no-hourly');
    await cp(join(ROOT, '.github'), join(root, '.github'), { recursive: true });
    await rm(join(root, '.github/workflows/signups.yml'));
    const { byTitle } = await doctor({ root });
    expect(byTitle('Sign-up and preferences')).toMatchObject({ status: 'warn', detail: expect.stringContaining('.github/workflows/signups.yml is missing') });
  });
});

describe('tidings doctor: unsubscribe', () => {
  it('the form missing: fails, naming the setting', async () => {
    const { byTitle } = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, unsubscribe_form_url: '' }) });
    expect(byTitle('Unsubscribe form')).toMatchObject({ status: 'fail', detail: 'unsubscribe_form_url is not set: recipients could not unsubscribe' });
    expect(byTitle('Unsubscribe form').fix).toMatch(/^in the settings tab set unsubscribe_form_url to https:\/\/docs\.google\.com\/forms\/d\/e\/<form id>\/formResponse/);
  });

  it('the form not https, or not its formResponse address: fails with the reason', async () => {
    const plain = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, unsubscribe_form_url: 'http://docs.google.com/forms/d/e/x/formResponse' }) });
    expect(plain.byTitle('Unsubscribe form')).toMatchObject({ status: 'fail', detail: expect.stringContaining('unsubscribe_form_url is refused: unsubscribe_form_url: write the full address of the Google Form, ending in /formResponse, starting with https://') });
    const viewForm = await doctor({ id: await sheetWith({ ...GOOD_SETTINGS, unsubscribe_form_url: 'https://docs.google.com/forms/d/e/x/viewform' }) });
    expect(viewForm.byTitle('Unsubscribe form').detail).toMatch(/^unsubscribe_form_url does not end in \/formResponse/);
  });

  it('no secret, no field, no site: lists each', async () => {
    const { TIDINGS_UNSUBSCRIBE_SECRET: _, ...env } = goodEnv();
    const { byTitle, output } = await doctor({ env, id: await sheetWith({ ...GOOD_SETTINGS, unsubscribe_form_field: '', site_url: '' }) });
    const check = byTitle('Unsubscribe form');
    expect(check.status).toBe('fail');
    for (const part of ['unsubscribe_form_field is not set', 'site_url is not set', 'TIDINGS_UNSUBSCRIBE_SECRET is not set']) expect(check.detail).toContain(part);
    expect(output).not.toContain(UNSUBSCRIBE_SECRET);
  });
});

describe('tidings doctor: the daily Action', () => {
  const newsletter = () => join(repo, '.github/workflows/newsletter.yml');
  const original = () => readFile(join(ROOT, '.github/workflows/newsletter.yml'), 'utf8');

  it('without a schedule: fails, mailings would never go out by themselves', async () => {
    await writeFile(newsletter(), (await original()).replace(/  schedule:\n(?:    .*\n)*?    - cron: '[^']*'\n/, ''));
    const { byTitle } = await doctor({ root: repo });
    expect(byTitle('Daily Action')).toMatchObject({ status: 'fail', detail: expect.stringContaining('it has no daily schedule') });
    expect(byTitle('Daily Action').fix).toMatch(/cron: '17 3 \* \* \*'/);
  });

  it('on the hour: fails, GitHub may drop the run', async () => {
    await writeFile(newsletter(), (await original()).replace("cron: '17 3 * * *'", "cron: '0 3 * * *'"));
    expect((await doctor({ root: repo })).byTitle('Daily Action').detail).toMatch(/runs at minute 0, the busiest time/);
  });

  it('without the heartbeat job: fails, naming the 60 days', async () => {
    const text = await original();
    await writeFile(newsletter(), text.slice(0, text.indexOf('  # "In a public repository')).trimEnd() + '\n');
    const { byTitle } = await doctor({ root: repo });
    expect(byTitle('Daily Action')).toMatchObject({ status: 'fail', detail: expect.stringContaining('no heartbeat job') });
    expect(byTitle('Daily Action').detail).toMatch(/60 days/);
  });

  it('sync not given the webhook receiver: fails with the lines to add', async () => {
    await writeFile(newsletter(), (await original()).replace(/ +TIDINGS_WEBHOOK_URL: .*\n +TIDINGS_WEBHOOK_TOKEN: .*\n/g, ''));
    const { byTitle } = await doctor({ root: repo });
    expect(byTitle('Daily Action').detail).toMatch(/sync step is not given TIDINGS_WEBHOOK_URL and TIDINGS_WEBHOOK_TOKEN/);
    expect(byTitle('Daily Action').fix).toContain('TIDINGS_WEBHOOK_URL: ${{ secrets.TIDINGS_WEBHOOK_URL }}');
  });

  it('no workflow at all: fails', async () => {
    const empty = await tempDir('doctor-empty');
    await mkdir(join(empty, '.github'));
    const { byTitle } = await doctor({ root: empty });
    expect(byTitle('Daily Action')).toMatchObject({ status: 'fail', detail: expect.stringContaining('newsletter.yml is missing') });
  });
});

describe('tidings doctor: the command', () => {
  it('prints one line per check and the fixes, and exits 1 when something fails', async () => {
    // The sample folder has no unsubscribe form set: that alone fails.
    const { code, stdout } = await tidings('doctor', '--source', `csv:${SAMPLE}`);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✓ Sheet access: csv:.* can be read$/m);
    expect(stdout).toMatch(/^- Cell budget: this source has no cell limit/m);
    expect(stdout).toMatch(/^✗ Unsubscribe form: /m);
    expect(stdout).toMatch(/\nWhat to fix:\n1\. /);
  }, 60_000);
});
