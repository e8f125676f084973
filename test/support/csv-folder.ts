import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SheetRows } from '../../emails/preview-data.ts';

/** A CSV source folder on disk with the given tabs (and settings as key/value rows). */
export async function writeCsvFolder(tabs: SheetRows, settings: Record<string, string> = {}, dir?: string): Promise<string> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'tidings-csv-')));
  await mkdir(folder, { recursive: true });
  for (const [name, rows] of Object.entries(tabs)) {
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    await writeFile(join(folder, `${name}.csv`), stringify([header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]));
  }
  await writeFile(join(folder, 'settings.csv'), stringify([['key', 'value'], ...Object.entries(settings)]));
  if (!tabs.donations) await writeFile(join(folder, 'donations.csv'), 'donation_id,contact_id,date,amount\n');
  return folder;
}

export const SETTINGS = {
  org_name: '小小基金會', org_address: '100 臺北市中正區範例路 1 號', site_url: 'https://example.org',
  email_from: '小小基金會 <news@example.org>', email_reply_to: 'hello@example.org',
  unsubscribe_form_url: 'https://docs.google.com/forms/d/e/FORMID/formResponse', unsubscribe_form_field: 'entry.1234',
};
