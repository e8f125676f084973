import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../sync/dataset.ts';
import { type SampleResult, generateSample } from '../sample/generate.ts';
import { TAB_ORDER, tabColumns } from '../sync/schema/tabs.ts';
import { CsvFolderSource, parseCsvTab } from '../sync/sources/csv.ts';
import { type Validated, validateWorkbook } from '../sync/validate.ts';

const ANCHOR = '2026-11-22';
const scratch = mkdtempSync(join(tmpdir(), 'tidings-sample-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dirOf = (name: string) => join(scratch, name);
const generate = (name: string, contacts: number, seed: number, asOf = ANCHOR) =>
  generateSample({ contacts, seed, asOf, out: dirOf(name) });
const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
const validate = async (dir: string) => validateWorkbook(await new CsvFolderSource(dir).read());

describe('determinism', () => {
  it('gives byte-identical files for the same seed and anchor, and different files for another seed', () => {
    generate('a', 120, 42);
    generate('b', 120, 42);
    generate('c', 120, 43);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => filesOf(dirOf(n)));
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const file of Object.keys(a)) expect(a[file].equals(b[file]), file).toBe(true);
    expect(a['contacts.csv'].equals(c['contacts.csv'])).toBe(false);
    expect(a['donations.csv'].equals(c['donations.csv'])).toBe(false);
  });

  it('the committed data/sample is what `tidings sample --contacts 300 --seed 1 --as-of 2026-11-22` writes', () => {
    generate('committed', 300, 1);
    const fresh = filesOf(dirOf('committed'));
    const committed = filesOf('data/sample');
    expect(Object.keys(committed)).toEqual(Object.keys(fresh));
    for (const file of Object.keys(fresh)) expect(committed[file].equals(fresh[file]), file).toBe(true);
  });
});

describe('a generated folder', () => {
  let result: SampleResult;
  let validated: Validated;
  beforeAll(async () => {
    result = generate('small', 400, 7);
    validated = await validate(dirOf('small'));
  });

  it('has every tab, each with exactly the data model headers', () => {
    for (const tab of [...TAB_ORDER, 'settings']) {
      const text = readFileSync(join(dirOf('small'), `${tab}.csv`), 'utf8');
      const { header } = parseCsvTab(tab, text);
      expect(header, tab).toEqual(tab === 'settings' ? ['key', 'value'] : tabColumns(tab as (typeof TAB_ORDER)[number]));
    }
  });

  it('validates cleanly except for the planted mistakes, which are reported at their tab, row and column', () => {
    const reported = validated.problems.map((p) => ({ tab: p.tab, row: p.row, column: p.column, severity: p.severity }));
    expect(result.planted.length).toBeGreaterThan(0);
    expect(result.planted.length).toBeLessThanOrEqual(5);
    expect(reported).toEqual(result.planted);
    for (const s of validated.summary) {
      const written = result.files.find((f) => f.tab === s.tab)!.rows;
      const errors = result.planted.filter((p) => p.tab === s.tab && p.severity === 'error').length;
      expect(s.read, s.tab).toBe(written);
      expect(s.kept, s.tab).toBe(written - errors);
    }
  });

  it('writes amounts the way staff type them, and every one reads back to the exact amount', () => {
    const raw = readFileSync(join(dirOf('small'), 'donations.csv'), 'utf8');
    expect(raw).toMatch(/NT\$\d{1,3},\d{3}/);
    expect(raw).toMatch(/\d元/);
    expect(raw).toMatch(/,1\d\d\/\d{1,2}\/\d{1,2},/); // ROC date, 113/1/5
    expect(raw).toMatch(/[０-９]/);
    expect(raw).toMatch(/,(已完成|成功|失敗|授權失敗|退款|處理中),/);
    const totals: Record<string, number> = {};
    for (const d of validated.dataset.donations) totals[d.currency ?? 'TWD'] = (totals[d.currency ?? 'TWD'] ?? 0) + d.amount;
    expect(totals).toEqual(result.donationTotals);
  });

  it('dates everything relative to the anchor', () => {
    const ds = validated.dataset;
    expect(ds.donations.every((d) => d.date <= ANCHOR)).toBe(true);
    const scheduled = ds.mailings.filter((m) => m.status === 'scheduled');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0].scheduled_for! > `${ANCHOR}T23:59:59Z`).toBe(true);
    expect(scheduled[0].segment).toBe('all');
    expect([...ds.email_events].every((e) => (e.opened_at ?? '') <= `${ANCHOR}T16:00:00.000Z`)).toBe(true);
  });
});

describe('a mid-size sample (3,000 contacts)', () => {
  let ds: Dataset;
  beforeAll(async () => {
    generate('mid', 3_000, 3);
    ds = (await validate(dirOf('mid'))).dataset;
  });
  const per = (n: number) => n / ds.contacts.length;
  const distinct = <T>(items: T[]) => new Set(items);

  it('has the proportions of issue 9 workload L (10 donations, 0.4 plans and 0.1 participants per contact)', () => {
    expect(ds.contacts).toHaveLength(3_000);
    expect(per(ds.donations.length)).toBeGreaterThan(8);
    expect(per(ds.donations.length)).toBeLessThan(12);
    expect(per(ds.recurring.length)).toBeGreaterThan(0.3);
    expect(per(ds.recurring.length)).toBeLessThan(0.5);
    expect(per(ds.participants.length)).toBeGreaterThan(0.07);
    expect(per(ds.participants.length)).toBeLessThan(0.13);
    // 12 monthly newsletters, the next one scheduled, and targeted mailings growing with contacts.
    expect(ds.mailings.length).toBe(13 + Math.round(3_000 / 467));
  });

  it('holds several years of gifts in every status, plans in every status, and more than one currency', () => {
    const years = distinct(ds.donations.map((d) => d.date.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(5);
    expect(distinct(ds.donations.map((d) => d.status))).toEqual(new Set(['completed', 'pending', 'failed', 'cancelled', 'refunded']));
    expect(distinct(ds.recurring.map((p) => p.status))).toEqual(new Set(['in_progress', 'completed', 'cancelled', 'failed', 'overdue', 'paused', 'pending']));
    expect(distinct(ds.recurring.map((p) => p.frequency))).toEqual(new Set(['monthly', 'quarterly', 'yearly']));
    expect(distinct(ds.donations.map((d) => d.currency))).toEqual(new Set(['TWD', 'USD']));
    const types = distinct(ds.donations.map((d) => d.financial_type?.toLowerCase()));
    for (const t of ['membership', 'event fee', '會費']) expect(types.has(t), t).toBe(true);
  });

  it('attributes gifts to campaigns and UTM sources', () => {
    expect(distinct(ds.donations.map((d) => d.utm_source))).toEqual(new Set([undefined, 'facebook', 'instagram', 'line', 'newsletter', 'google']));
    expect(distinct(ds.donations.map((d) => d.utm_medium))).toEqual(new Set([undefined, 'cpc', 'social', 'email']));
    const slugs = distinct(ds.campaigns.map((c) => c.slug));
    expect(ds.donations.filter((d) => d.campaign).every((d) => slugs.has(d.campaign!))).toBe(true);
    const published = ds.campaigns.filter((c) => c.published);
    expect(published.length).toBeGreaterThan(0);
    expect(published.length).toBeLessThan(ds.campaigns.length);
    for (const c of published) expect(c.payment_url).toBe(`https://donate.example.org/${c.slug}`);
  });

  it('has contacts the way staff record them: varied region spellings, abroad, opt-ins, a Feb 29 birthday', () => {
    const regions = distinct(ds.contacts.map((c) => c.region));
    for (const r of ['台北市', '臺北市', 'Taipei City', '新北市', '高雄市', '花蓮縣']) expect(regions.has(r), r).toBe(true);
    expect(ds.contacts.some((c) => c.country && !/^(台灣|臺灣|Taiwan|TW)$/.test(c.country))).toBe(true);
    expect(ds.contacts.some((c) => c.birth_date?.endsWith('-02-29'))).toBe(true);
    for (const flag of ['email_opt_in', 'sms_opt_in', 'map_opt_in', 'do_not_contact'] as const) {
      expect(distinct(ds.contacts.map((c) => c[flag])), flag).toEqual(new Set([true, false]));
    }
  });

  it('sends a newsletter on the 15th of each of the last 12 months, opens trending up, each with 2–4 stories', () => {
    const newsletters = ds.mailings.filter((m) => m.mailing_id.startsWith('nl-') && m.status === 'sent');
    expect(newsletters).toHaveLength(12);
    const rate = (id: string) => {
      const events = [...ds.email_events].filter((e) => e.mailing_id === id);
      const delivered = events.filter((e) => e.last_event !== 'bounced');
      return delivered.filter((e) => e.opened_at).length / delivered.length;
    };
    const rates = newsletters.map((m) => rate(m.mailing_id));
    for (const r of rates) expect(r).toBeGreaterThan(0.5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(rates.slice(9))).toBeGreaterThan(mean(rates.slice(0, 3)));
    expect(ds.mailings.some((m) => m.template === 'thank_you' && m.segment === 'first_time_donors')).toBe(true);
    for (const m of ds.mailings) {
      const stories = ds.stories.filter((s) => s.mailing_id === m.mailing_id).length;
      expect(stories, m.mailing_id).toBeGreaterThanOrEqual(2);
      expect(stories, m.mailing_id).toBeLessThanOrEqual(4);
    }
    const sent = distinct(ds.mailings.filter((m) => m.status === 'sent').map((m) => m.mailing_id));
    expect([...ds.email_events].every((e) => sent.has(e.mailing_id!))).toBe(true);
    expect(distinct([...ds.email_events].map((e) => e.last_event))).toEqual(new Set(['delivered', 'opened', 'clicked', 'bounced', 'complained']));
  });

  it('keeps personal data fictional: only reserved example domains', () => {
    expect(ds.contacts.filter((c) => c.email).every((c) => /@example\.(com|net|org)$/.test(c.email!))).toBe(true);
  });
});

describe('tidings sample', () => {
  it('writes the folder and prints each file with its row count', () => {
    const out = dirOf('cli');
    const printed = execFileSync(process.execPath, ['bin/tidings.js', 'sample', '--contacts', '40', '--seed', '5', '--as-of', ANCHOR, '--out', out], { encoding: 'utf8' });
    const contacts = parseCsvTab('contacts', readFileSync(join(out, 'contacts.csv'), 'utf8')).rows.length;
    expect(contacts).toBe(40);
    expect(printed).toMatch(new RegExp(`contacts\\.csv\\s+${contacts} rows`));
    expect(printed).toMatch(/settings\.csv\s+11 rows/);
  });
});
