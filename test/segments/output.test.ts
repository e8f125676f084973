import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../cli/commands/sync.ts';
import { SEGMENTS } from '../../reports/segments/index.ts';
import { SEGMENT_COLUMNS } from '../../reports/segments/write.ts';

async function syncFolder(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-segments-'));
  await mkdir(join(dir, 'data'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'data', name), text);
  const lines: string[] = [];
  await runSync({ source: `csv:${join(dir, 'data')}`, asOf: '2024-06-30', out: join(dir, 'out') }, (l) => lines.push(l));
  return { segments: join(dir, 'out', 'private', 'segments'), lines };
}

const readCsv = async (path: string) => parse(await readFile(path, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];

describe('sync writes the segments', () => {
  it('one CSV per segment (header only when empty), rfm.csv and summary.json, and says where', async () => {
    const { segments, lines } = await syncFolder({
      'settings.csv': 'key,value\ndefault_locale,en\n',
      'contacts.csv': 'contact_id,first_name,last_name,email,phone,region\nC10,Ann,Lee,ann@example.org,0912345678,Taipei\nC2,小明,王,,,\nC1,Bo,,bo@example.org,,\n',
      'donations.csv': 'donation_id,contact_id,date,amount\nD1,C10,2024-06-01,"1,000"\nD2,C2,2024-05-01,500\nD3,C1,2020-01-01,500\n',
    });
    expect(lines.at(-1)).toBe(`segments: ${SEGMENTS.length} segments, rfm.csv and summary.json → ${segments}`);
    expect((await readdir(segments)).sort()).toEqual([...SEGMENTS.map((s) => `${s.id}.csv`), 'rfm.csv', 'summary.json'].sort());

    const recent = await readCsv(join(segments, 'recent_donors.csv'));
    expect(recent).toEqual([
      { contact_id: 'C2', display_name: '王小明', email: '', phone: '', region: '', reason: 'last gift NT$500 on 2024-05-01; 1 gift(s) totalling NT$500 in the last 6 months (since 2023-12-31)' },
      { contact_id: 'C10', display_name: 'Ann Lee', email: 'ann@example.org', phone: '0912345678', region: 'Taipei', reason: 'last gift NT$1,000 on 2024-06-01; 1 gift(s) totalling NT$1,000 in the last 6 months (since 2023-12-31)' },
    ]);
    expect(await readFile(join(segments, 'recurring_loyal.csv'), 'utf8')).toBe(`\uFEFF${SEGMENT_COLUMNS.join(',')}\n`);

    const rfm = await readCsv(join(segments, 'rfm.csv'));
    expect(rfm.map((r) => [r.contact_id, r.recency_days, r.frequency, r.monetary, r.rfm_code, r.cell_name])).toEqual([
      ['C1', '1642', '1', '500', '111', 'Hibernating, small'],
      ['C2', '60', '1', '500', '211', 'New, small'],
      ['C10', '29', '1', '1000', '414', 'New, small'],
    ]);

    const summary = JSON.parse(await readFile(join(segments, 'summary.json'), 'utf8'));
    expect(summary.as_of).toBe('2024-06-30');
    expect(summary.segments.find((s: { id: string }) => s.id === 'recent_donors')).toEqual({
      id: 'recent_donors',
      title: { 'zh-TW': '最近捐款人', en: 'Recent donors' },
      description: { 'zh-TW': '最近 N 個月內有捐款的人', en: 'Contacts with a gift in the last N months' },
      parameters: { months: 6 },
      count: 2,
    });
    expect(summary.segments.find((s: { id: string }) => s.id === 'sybunt').count).toBe(1);
  });
});
