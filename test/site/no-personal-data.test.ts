import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePublicNewsletters } from '../../emails/public.ts';
import { writePublicAggregates } from '../../reports/public/write.ts';
import type { PublicRegions } from '../../reports/public/types.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { PREFERENCE_FIELDS, SIGNUP_FIELDS } from '../../sync/schema/google-form.ts';
import { loadDataset } from '../../sync/load.ts';
import { buildSite, filesUnder } from '../support/site.ts';

/**
 * No personal data, by construction: every personal field of the dataset holds a unique marker,
 * the public JSON is derived from it, the site is built, and no marker may appear anywhere in dist.
 */
const markers: string[] = [];
const mark = (field: string, i: number) => {
  const m = `mkr${field}${String(i).padStart(3, '0')}q`;
  markers.push(m);
  return m;
};
/** Birth dates are dates, so their marker is a date no page would show. */
const birthDate = (i: number) => {
  const d = `1931-0${1 + (i % 9)}-${String(10 + i).padStart(2, '0')}`;
  markers.push(d);
  return d;
};

/** [region, country, map_opt_in] per contact: 6 in Taipei, 3 in Hualien, 2 in Japan, 1 not opted in. */
const PLACES: [string, string, string][] = [
  ...Array.from({ length: 6 }, (): [string, string, string] => ['台北市', '', 'yes']),
  ...Array.from({ length: 3 }, (): [string, string, string] => ['Hualien', 'Taiwan', '是']),
  ['', 'Japan', 'y'], ['Tokyo', '日本', 'y'],
  ['高雄', '', 'no'],
];

function writeDataset(dir: string) {
  const contacts = PLACES.map(([region, country, optIn], i) => ({
    contact_id: `C${i + 1}`,
    first_name: mark('first', i), last_name: mark('last', i), organization: mark('org', i),
    email: `${mark('email', i)}@example.test`, phone: mark('phone', i), birth_date: birthDate(i),
    country, region, city: mark('city', i), postal_code: mark('postal', i), language: 'zh-TW',
    email_opt_in: 'yes', map_opt_in: optIn, tags: mark('tag', i), source: mark('source', i), notes: `${mark('street', i)} 路 12 號`,
  }));
  const donations = contacts.map((c, i) => ({
    donation_id: `D${i + 1}`, contact_id: c.contact_id, date: '2026-03-01', amount: '1000',
    campaign: 'winter-meals-2026', receipt_no: mark('receipt', i), notes: mark('giftnote', i),
  }));
  // The sign-up and preference forms are set up, so /join/ and /preferences/ are built in full.
  const form = 'https://docs.google.com/forms/d/e/1FAIpQLSmarker/viewform?usp=pp_url';
  const settings = [
    { key: 'org_name', value: 'Marker Test Org' }, { key: 'map_min_supporters', value: '4' },
    { key: 'signup_form', value: `${form}&${SIGNUP_FIELDS.map((f, i) => `entry.${100 + i}=${f}`).join('&')}` },
    { key: 'preferences_form', value: `${form}&${PREFERENCE_FIELDS.map((f, i) => `entry.${200 + i}=${f}`).join('&')}` },
    { key: 'topics', value: 'newsletter, events=活動與講座' },
  ];
  const campaigns = [{ slug: 'winter-meals-2026', title: 'Winter meals', goal: '100000', payment_url: 'https://pay.example.org/winter', published: 'yes', end_date: '2026-12-31' }];
  const mailings = [{ mailing_id: 'M1', name: 'October news', subject: 'October news', status: 'sent', sent_at: '2026-10-15 11:00', public: 'yes', segment: 'all' }];
  const stories = [{ mailing_id: 'M1', position: '1', title: 'Meals served', body: 'We served **1,200** meals.' }];
  return Promise.all([
    writeFile(join(dir, 'campaigns.csv'), stringify(campaigns, { header: true })),
    writeFile(join(dir, 'mailings.csv'), stringify(mailings, { header: true })),
    writeFile(join(dir, 'stories.csv'), stringify(stories, { header: true })),
    writeFile(join(dir, 'contacts.csv'), stringify(contacts, { header: true })),
    writeFile(join(dir, 'donations.csv'), stringify(donations, { header: true })),
    writeFile(join(dir, 'settings.csv'), stringify(settings, { header: true })),
  ]);
}

/** The public JSON the site is built from, written by the same stages as `tidings run`. */
async function writePublic(dataset: Dataset, out: string) {
  await writePublicAggregates(out, dataset, AS_OF, new Date());
  await writePublicNewsletters(out, dataset, AS_OF);
}
const AS_OF = '2026-10-31';

let dir: string;
let dataset: Dataset;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-private-'));
  await mkdir(join(dir, 'sheet'));
  await writeDataset(join(dir, 'sheet'));
  ({ dataset } = await loadDataset(new CsvFolderSource(join(dir, 'sheet')), AS_OF));
  await writePublic(dataset, join(dir, 'out'));
  await buildSite(join(dir, 'out'), join(dir, 'dist'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('no personal data, by construction', () => {
  it('reads every marker into the dataset (so their absence from dist means something)', () => {
    const everything = JSON.stringify(dataset);
    for (const m of markers) expect(everything, m).toContain(m);
  });

  it('counts supporters by region from opted-in contacts only, hiding small counts', async () => {
    const regions = JSON.parse(await readFile(join(dir, 'out', 'public', 'regions.json'), 'utf8')) as PublicRegions;
    expect(regions).toEqual({
      min_supporters: 4,
      regions: [
        { key: 'TW-TPE', name_zh: '臺北市', name_en: 'Taipei City', count: 6 },
        { key: 'TW-HUA', name_zh: '花蓮縣', name_en: 'Hualien County', count: null },
        { key: 'JPN', name_zh: '日本', name_en: 'Japan', count: null },
      ],
    });
  });

  it('leaves no marker anywhere in dist (HTML, JS, CSS, JSON, source maps)', async () => {
    const files = await filesUnder(join(dir, 'dist'));
    expect(files.some((f) => f.endsWith('.html'))).toBe(true);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of files) {
      const text = await readFile(join(dir, 'dist', file), 'utf8');
      const lower = text.toLowerCase();
      for (const m of [...markers, 'example.test']) expect(lower.includes(m), `${m} in ${file}`).toBe(false);
    }
  });

  it('built the sign-up and preference pages with their forms, from settings alone', async () => {
    const signup = await readFile(join(dir, 'dist', 'join', 'index.html'), 'utf8');
    expect(signup).toContain('action="https://docs.google.com/forms/d/e/1FAIpQLSmarker/formResponse"');
    expect(signup).toContain('活動與講座');
    const preferences = await readFile(join(dir, 'dist', 'en', 'preferences', 'index.html'), 'utf8');
    expect(preferences).toContain('name="entry.200"');
  });

  it('built the pages that show aggregates: a donation page and the public newsletter', async () => {
    const files = await filesUnder(join(dir, 'dist'));
    expect(files).toContain(join('donate', 'winter-meals-2026', 'index.html'));
    const archive = await readFile(join(dir, 'dist', 'newsletters', 'index.html'), 'utf8');
    expect(archive).toContain('October news');
  });
});
