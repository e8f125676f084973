import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../reports/dashboard/sections.ts';
import { renderDashboard } from '../../reports/dashboard/html.ts';
import { writeDashboard } from '../../reports/dashboard/write.ts';
import { segmentCatalog } from '../../reports/segments/catalog.ts';
import type { PublicCampaign, PublicImpactRow, PublicSite, PublicTotals } from '../../reports/public/types.ts';
import { CAMPAIGNS, DONATIONS, RECURRING, type Rows, bigGivers, fundraising } from './fundraising-fixture.ts';
import { tidings } from '../support/cli.ts';
import { buildDataset } from '../support/dataset.ts';

/** Every personal field of every contact holds a marker no aggregate may repeat. */
const marker = (field: string, id: string) => `ZZ${field.toUpperCase()}${id}QQ`;
const PERSONAL = ['first_name', 'last_name', 'organization', 'phone', 'country', 'region', 'city', 'postal_code', 'tags', 'source', 'notes', 'language'];
const CONTACTS: Rows = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((id, i) => ({
  contact_id: `C-${id}-ZZID`,
  ...Object.fromEntries(PERSONAL.map((f) => [f, marker(f, id)])),
  email: `zzemail${id.toLowerCase()}qq@example.org`,
  birth_date: `1901-02-0${i + 1}`,
  email_opt_in: 'yes', map_opt_in: 'yes',
}));
const cid = (id: string) => `C-${id}-ZZID`;

const TABS: Record<string, Rows> = {
  contacts: CONTACTS,
  donations: DONATIONS.map((d) => ({ ...d, contact_id: cid(d.contact_id), receipt_no: `ZZRECEIPT${d.donation_id}QQ`, notes: `ZZDONNOTE${d.donation_id}QQ` })),
  recurring: RECURRING.map((r) => ({ ...r, contact_id: cid(r.contact_id) })),
  campaigns: CAMPAIGNS,
  mailings: [
    { mailing_id: 'M1', name: 'May 2024', subject: 'May news', status: 'sent', created_by: 'Staff', sent_at: '2024-05-15 11:10' },
    { mailing_id: 'M0', name: 'May 2023', subject: 'Last May', status: 'sent', sent_at: '2023-05-15 11:10' },
    { mailing_id: 'M2', name: 'Bad list', subject: 'Nobody got this', status: 'sent', sent_at: '2024-06-01 11:10' },
  ],
  email_events: [
    ...['A', 'B', 'C', 'D'].map((id, i) => ({ message_id: `m1-${id}`, mailing_id: 'M1', contact_id: cid(id), email: `zzemail${id.toLowerCase()}qq@example.org`, sent_at: '2024-05-15 11:20', last_event: ['opened', 'clicked', 'delivered', 'bounced'][i] })),
    { message_id: 'm2-E', mailing_id: 'M2', contact_id: cid('E'), sent_at: '2024-06-01 11:20', last_event: 'bounced' },
    ...['A', 'B'].map((id, i) => ({ message_id: `m0-${id}`, mailing_id: 'M0', contact_id: cid(id), email: `zzemail${id.toLowerCase()}qq@example.org`, sent_at: '2023-05-15 11:20', last_event: ['opened', 'delivered'][i] })),
  ],
  unsubscribes: [{ timestamp: '2024-05-16 10:00', token: 'ZZTOKENQQ', email: 'zzemailcqq@example.org', reason: 'ZZREASONQQ' }],
  impact: [
    { period: '2023/24', metric: 'Meals served', value: '1,200', unit: 'meals', public: 'yes' },
    { period: '2023/24', metric: 'ZZPRIVATEIMPACTQQ', value: '3', public: 'no' },
  ],
  goals: [
    { metric: 'donor_retention', target: '60%', note: 'keep them' },
    { metric: 'amount', target: '20000' },
    { metric: 'lybunt', target: '1' }, // a segment of the registry
    { metric: 'happiness', target: '5' }, // not a metric: an error in problems.csv, left out
  ],
};
const SETTINGS = { org_name: 'Test Org', default_locale: 'en', fiscal_year_start: '07-01', currency: 'TWD', brand_color: '#1F6F5C', logo_url: 'https://example.org/logo.png' };

let dir: string;
let out: string;
let browser: Browser;
let cliOutput: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-report-'));
  const source = join(dir, 'sheet');
  out = join(dir, 'out');
  await mkdir(source);
  for (const [tab, rows] of Object.entries({ ...TABS, settings: Object.entries(SETTINGS).map(([key, value]) => ({ key, value })) })) {
    await writeFile(join(source, `${tab}.csv`), stringify(rows, { header: true, columns: [...new Set(rows.flatMap((r) => Object.keys(r)))] }));
  }
  const run = await tidings('run', '--source', `csv:${source}`, '--as-of', '2024-06-30', '--out', out, '--dist', join(dir, 'dist'), '--no-backup');
  expect(run.stderr).toBe('');
  cliOutput = run.stdout;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tidings run → report', () => {
  it('writes the dashboard, a CSV per table and the public aggregates', async () => {
    expect(cliOutput).toContain('report: dashboard');
    const files = (await readdir(join(out, 'private', 'reports'))).sort();
    expect(files).toEqual(expect.arrayContaining(['index.html', 'kpis.csv', 'mailings.csv', 'open_rate_by_month.csv', 'best_and_worst.csv', 'goals.csv', 'campaigns.csv', 'fiscal_years.csv', 'attribution_utm_source.csv', 'attribution_utm_medium.csv', 'attribution_utm_campaign.csv', 'attribution_campaign.csv']));
    // newsletters.json is the email stage's; the other five are the report's.
    expect((await readdir(join(out, 'public'))).sort()).toEqual(['campaigns.json', 'impact.json', 'newsletters.json', 'regions.json', 'site.json', 'totals.json']);
    const all: Record<string, string>[] = parse(await readFile(join(out, 'private', 'problems.csv'), 'utf8'), { bom: true, columns: true });
    // The marker "countries" are warnings from the supporter map; the one error is the goal's.
    const problems = all.filter((p) => p.severity === 'error');
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', tab: 'goals', row: '5', column: 'metric', column_letter: 'A', value: 'happiness' })]);
    expect(problems[0].message).toMatch(/^"happiness" is not a metric a goal can track: write one of donors, .*recurring_new, .*lybunt/);
    expect(problems[0].message.match(/recurring_new/g)).toHaveLength(1); // the KPI; the segment of that id is shadowed
    const goals = (await readFile(join(out, 'private', 'reports', 'goals.csv'), 'utf8')).trim().split('\n');
    expect(goals).toHaveLength(4); // header + the three good goals
    // LYBUNT at 2024-06-30: last year's donors B and E have not given this year (a membership fee is not a gift).
    expect(goals[3]).toMatch(/^LYBUNT[^,]*,2023\/24,1,2,/);
    // The CSV holds the same KPIs: this year 4 donors, 9,000.00 TWD (hand-computed in kpis.test.ts).
    const kpis = await readFile(join(out, 'private', 'reports', 'kpis.csv'), 'utf8');
    expect(kpis).toContain('Donors,4,4,4');
    expect(kpis).toContain('Amount,9000.00,6500.00,6500.00');
    expect(kpis).toContain('Donor retention,50.0%,50.0%,50.0%');
  });

  it('opens from disk in chromium with no network, no console errors, every chart drawn, tables sortable', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(join(out, 'private', 'reports', 'index.html')).href);
    await page.waitForLoadState('load');
    const canvases = await page.$$eval('canvas', (list) => list.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return { id: canvas.id, width: canvas.width, painted };
    }));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // goals, donor mix, amount by year, campaign progress, segment sizes, open rate by month, rates by mailing, sign-ups by week, amount by source.
    expect(canvases.map((c) => c.id).sort()).toEqual(['chart-amount_by_source', 'chart-amount_by_year', 'chart-campaign_progress', 'chart-donor_mix', 'chart-goal_progress', 'chart-open_rate_by_month', 'chart-rates_by_mailing', 'chart-segment_sizes', 'chart-signups_by_week']);
    for (const c of canvases) {
      expect(c.width, c.id).toBeGreaterThan(0);
      expect(c.painted, c.id).toBeGreaterThan(500);
    }
    // Sorting the utm_source table by amount ascending, then descending.
    const amounts = () => page.$$eval('#table-attribution_utm_source tbody tr', (rows) => rows.map((r) => Number((r.children[4] as HTMLElement).dataset.v)));
    await page.click('#table-attribution_utm_source th:nth-child(5)');
    expect(await amounts()).toEqual([50000, 400000, 450000]);
    await page.click('#table-attribution_utm_source th:nth-child(5)');
    expect(await amounts()).toEqual([450000, 400000, 50000]);
    // M2 reached nobody: its open rate has no denominator and reads "—", not 0% or NaN.
    const m2 = await page.$$eval('#table-mailings tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)).find((cells) => cells[0] === 'M2'));
    expect(m2?.slice(8, 12)).toEqual(['1', '0', '0', '—']);
    await page.close();
  });

  it('publishes aggregates that match the contract and name nobody', async () => {
    const read = async <T>(name: string) => JSON.parse(await readFile(join(out, 'public', name), 'utf8')) as T;
    const site = await read<PublicSite>('site.json');
    expect(site).toMatchObject({ org_name: 'Test Org', default_locale: 'en', currency: 'TWD', brand_color: '#1f6f5c', logo_url: 'https://example.org/logo.png', as_of: '2024-06-30' });
    const campaigns = await read<PublicCampaign[]>('campaigns.json');
    expect(campaigns).toEqual([expect.objectContaining({ slug: 'spring-2024', raised_minor: 250000, donors: 2, goal_minor: 1000000, days_left: 10, suggested_amounts_minor: [], allow_recurring: false })]);
    expect(await read<PublicImpactRow[]>('impact.json')).toEqual([{ period: '2023/24', metric: 'Meals served', value: 1200, unit: 'meals' }]);
    const totals = await read<PublicTotals>('totals.json');
    // All TWD gifts to D: 1,000 + 500 + 6,500 (P) + 9,000 (Y) = 17,000; 12 gifts (d1–d12), 6 donors (A–F).
    expect(totals).toMatchObject({ currency: 'TWD', raised_minor: 1700000, gifts: 12, donors: 6, recurring_donors: 5 });
    expect(totals.by_year.map((y) => [y.year, y.raised_minor, y.donors, y.donor_retention])).toEqual([['2021/22', 150000, 2, null], ['2022/23', 650000, 4, 0.5], ['2023/24', 900000, 4, 0.5]]);
    expect(totals.by_month[0]).toEqual({ month: '2021-12', raised_minor: 50000, gifts: 1, donors: 1 });
    expect(totals.by_month.at(-1)).toEqual({ month: '2024-06', raised_minor: 0, gifts: 1, donors: 1 });

    const personal = [
      ...CONTACTS.flatMap((c) => Object.entries(c).filter(([k]) => !['email_opt_in', 'map_opt_in'].includes(k)).map(([, v]) => v)),
      ...TABS.donations.flatMap((d) => [d.receipt_no, d.notes]),
      'ZZTOKENQQ', 'ZZREASONQQ', 'ZZPRIVATEIMPACTQQ', 'ZZID', 'zzemail',
    ];
    for (const file of await readdir(join(out, 'public'))) {
      const text = (await readFile(join(out, 'public', file), 'utf8')).toLowerCase();
      for (const value of personal) expect(text, `${file} contains ${value}`).not.toContain(value.toLowerCase());
    }
  });
});

describe('segment sizes on the dashboard', () => {
  it('draws each segment at the last 12 month ends (a fake segment stands in for the registry)', async () => {
    const segOut = join(dir, 'segments');
    const { html } = await writeDashboard(segOut, buildDashboard(fundraising(), '2024-06-15', { utmPeriod: { start: '2023-07-01', end: '2024-06-15' }, catalog: bigGivers }));
    const csv = await readFile(join(segOut, 'private', 'reports', 'segment_sizes.csv'), 'utf8');
    // Sizes hand-computed in goals.test.ts: 2 at 2023-06-30, 3 from July, 4 from March.
    expect(csv).toContain('大額,2,3,3,3,3,3,3,3,3,4,4,4'); // the fixture org's locale is zh-TW
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
    const painted = await page.$eval('#chart-segment_sizes', (c) => {
      const canvas = c as HTMLCanvasElement;
      return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data.filter((v, i) => i % 4 === 3 && v > 0).length;
    });
    expect(errors).toEqual([]);
    expect(painted).toBeGreaterThan(500);
    await page.close();
  });
});

describe('dashboard locale', () => {
  it('labels everything in zh-TW when that is the org locale', () => {
    const ds = buildDataset({ contacts: [{ contact_id: 'A', first_name: 'A' }], donations: [{ donation_id: 'd1', contact_id: 'A', date: '2024-01-02', amount: '100' }], settings: { default_locale: 'zh-TW' } });
    const html = renderDashboard(buildDashboard(ds, '2024-06-30', { utmPeriod: { start: '2024-01-01', end: '2024-06-30' }, catalog: segmentCatalog }), '/* chart.js */');
    expect(html).toContain('<html lang="zh-TW">');
    expect(html).toContain('募款指標');
    expect(html).toContain('開信率');
    expect(html).not.toContain('Fundraising KPIs');
  });

  it('shows mailing statuses in the org locale', () => {
    const mailings = [{ mailing_id: 'M1', name: 'N', subject: 'S', status: 'sent' }, { mailing_id: 'M2', name: 'N', subject: 'S', status: 'scheduled' }];
    const table = (locale: string) => {
      const ds = buildDataset({ contacts: [{ contact_id: 'A', first_name: 'A' }], donations: [], mailings, settings: { default_locale: locale } });
      const dashboard = buildDashboard(ds, '2024-06-30', { utmPeriod: { start: '2024-01-01', end: '2024-06-30' }, catalog: segmentCatalog });
      return dashboard.sections.flatMap((s) => s.tables).find((t) => t.id === 'mailings')!;
    };
    expect(table('zh-TW').rows.map((r) => r.status)).toEqual(['已寄送', '已排程']);
    expect(table('en').rows.map((r) => r.status)).toEqual(['Sent', 'Scheduled']);
  });
});
