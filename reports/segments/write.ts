import { join } from 'node:path';
import type { Contact, Dataset } from '../../sync/dataset.ts';
import { writePrivateFile } from '../../sync/private-files.ts';
import { privateDir, privateFolder, writeCsv } from '../../sync/output.ts';
import { displayName } from '../contacts.ts';
import { SEGMENTS, compareContactIds, evaluateSegment } from './index.ts';
import { RFM_CELLS, computeRfm } from './rfm.ts';
import type { SegmentMember } from './segment.ts';

export const SEGMENT_COLUMNS = ['contact_id', 'display_name', 'email', 'phone', 'region', 'reason'];
const RFM_COLUMNS = ['contact_id', 'display_name', 'last_gift', 'recency_days', 'frequency', 'monetary', 'currency', 'r_score', 'f_score', 'm_score', 'rfm_code', 'cell', 'cell_name'];

export interface SegmentSummary {
  id: string;
  title: { 'zh-TW': string; en: string };
  description: { 'zh-TW': string; en: string };
  parameters: Record<string, unknown>;
  count: number;
  /** The members with contact details, as written to the segment's CSV. */
  rows: Record<string, string>[];
}

export const segmentsDir = (out: string) => join(privateDir(out), 'segments');

const contactsById = (dataset: Dataset) => new Map<string, Contact>(dataset.contacts.map((c) => [c.contact_id, c]));

/** A member with the contact details staff need to reach them (`contacts` by id, when the caller writes several segments). */
export function memberRows(dataset: Dataset, members: SegmentMember[], contacts = contactsById(dataset)): Record<string, string>[] {
  return members.map((m) => {
    const c = contacts.get(m.contact_id);
    return {
      contact_id: m.contact_id,
      display_name: c ? displayName(c) : '',
      email: c?.email ?? '',
      phone: c?.phone ?? '',
      region: c?.region ?? '',
      reason: m.reason,
    };
  });
}

/**
 * Writes `<out>/private/segments/`: one `<id>.csv` per segment (with its default parameters;
 * header only when empty), `rfm.csv` and `summary.json`. Returns the summary.
 */
export async function writeSegments(out: string, dataset: Dataset, asOf: string): Promise<SegmentSummary[]> {
  const dir = await privateFolder(out, 'segments');
  const summary: SegmentSummary[] = [];
  const contacts = contactsById(dataset);
  for (const s of SEGMENTS) {
    const members = evaluateSegment(dataset, asOf, s.id);
    const rows = memberRows(dataset, members, contacts);
    await writeCsv(join(dir, `${s.id}.csv`), SEGMENT_COLUMNS, rows);
    summary.push({ id: s.id, title: s.title, description: s.description, parameters: s.params.parse({}) as Record<string, unknown>, count: members.length, rows });
  }
  await writeRfm(join(dir, 'rfm.csv'), dataset, asOf);
  const segments = summary.map(({ rows, ...s }) => s);
  await writePrivateFile(join(dir, 'summary.json'), `${JSON.stringify({ as_of: asOf, segments }, null, 2)}\n`);
  return summary;
}

async function writeRfm(path: string, dataset: Dataset, asOf: string): Promise<void> {
  const { currency, default_locale: locale } = dataset.settings;
  const names = new Map(dataset.contacts.map((c) => [c.contact_id, displayName(c)]));
  const rows = computeRfm(dataset, asOf).map((r) => ({
    contact_id: r.contact_id,
    display_name: names.get(r.contact_id) ?? '',
    last_gift: r.last_gift,
    recency_days: r.recency_days,
    frequency: r.frequency,
    monetary: (r.monetary / 100).toFixed(r.monetary % 100 ? 2 : 0),
    currency,
    r_score: r.r_score,
    f_score: r.f_score,
    m_score: r.m_score,
    rfm_code: r.code,
    cell: r.cell,
    cell_name: RFM_CELLS[r.cell][locale],
  }));
  rows.sort((a, b) => compareContactIds(a.contact_id, b.contact_id));
  await writeCsv(path, RFM_COLUMNS, rows);
}
