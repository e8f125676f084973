import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RawCell } from './cells/result.ts';
import type { Dataset } from './dataset.ts';
import { rawText } from './problems.ts';
import { parseCsvTab, tabCsv } from './sources/csv.ts';
import { type RawTab, type RawWorkbook, type WritableSource, normalizeName } from './sources/source.ts';
import { privateDir } from './sync.ts';

/** What `forget` will do, worked out from the tabs as read, before anything changes. */
export interface ForgetPlan {
  contactIds: string[];
  emails: string[];
  /** How the contacts are named in the sheet (for the confirmation only). */
  names: string[];
  /** The anonymous contact their donations and plans are re-linked to. */
  anonId: string;
  participants: number;
  emailEvents: number;
  donations: string[];
  recurring: string[];
  /** Donation rows naming them with no donation_id: they cannot be found by id, so they are not re-linked. */
  donationsWithoutId: number[];
  /** Unsubscribe records with their email: kept, so the address is never emailed again. */
  unsubscribes: number;
  /** Their emails as email_events spells them (rows are removed by exact text). */
  eventEmails: string[];
  /** The rows removed from the sheet, as tab:row (problems.csv points at rows this way). */
  rowRefs: string[];
}

/** One local output file and what forget does to it. */
export interface OutputChange {
  path: string;
  action: 'delete-rows' | 'delete-file';
  rows?: number;
}

function columnIndex(tab: RawTab | undefined, column: string): number {
  return tab ? tab.header.findIndex((h) => normalizeName(rawText(h)) === column) : -1;
}

/** The trimmed values of one column, row by row (blank when the tab or column is missing). */
function columnValues(tab: RawTab | undefined, column: string): string[] {
  const i = columnIndex(tab, column);
  return tab ? tab.rows.map((cells) => (i < 0 ? '' : rawText(cells[i]).trim())) : [];
}

/**
 * Finds the contact by contact_id or email (every contact row with that email: duplicates are the
 * same person) and lists what will change. Undefined when no contact matches.
 */
export function planForget(workbook: RawWorkbook, who: string, anonId = `anon-${randomBytes(4).toString('hex')}`): ForgetPlan | undefined {
  const contacts = workbook.get('contacts');
  const target = who.trim();
  const ids = columnValues(contacts, 'contact_id');
  const mails = columnValues(contacts, 'email');
  const rows = ids.flatMap((id, i) => (id === target || (mails[i] && mails[i].toLowerCase() === target.toLowerCase()) ? [i] : []));
  if (rows.length === 0) return undefined;
  const contactIds = [...new Set(rows.map((i) => ids[i]).filter(Boolean))];
  const emails = [...new Set(rows.map((i) => mails[i].toLowerCase()).filter(Boolean))];
  const first = columnValues(contacts, 'first_name');
  const last = columnValues(contacts, 'last_name');
  const org = columnValues(contacts, 'organization');
  // 王小明 (family name first, no space) or Amy Chen.
  const fullName = (i: number) => (/\p{Script=Han}/u.test(first[i] + last[i]) ? last[i] + first[i] : [first[i], last[i]].filter(Boolean).join(' '));
  const names = rows.map((i) => fullName(i) || org[i]).filter(Boolean);

  const naming = (tab: string) => columnValues(workbook.get(tab), 'contact_id').map((id) => contactIds.includes(id));
  const emailed = (tab: string) => columnValues(workbook.get(tab), 'email').map((e) => emails.includes(e.toLowerCase()));
  const count = (flags: boolean[]) => flags.filter(Boolean).length;
  const idsWhere = (tab: string, idColumn: string) => {
    const keys = columnValues(workbook.get(tab), idColumn);
    return naming(tab).flatMap((yes, i) => (yes && keys[i] ? [keys[i]] : []));
  };
  const eventRows = naming('email_events').map((yes, i) => yes || emailed('email_events')[i]);
  const donationIds = columnValues(workbook.get('donations'), 'donation_id');
  const eventEmails = columnValues(workbook.get('email_events'), 'email').filter((e, i) => e && emailed('email_events')[i]);
  const refs = (tab: string, flags: boolean[]) => flags.flatMap((yes, i) => (yes ? [`${tab}:${i + 2}`] : []));
  return {
    contactIds, emails, names, anonId,
    eventEmails: [...new Set(eventEmails)],
    rowRefs: [...refs('contacts', ids.map((_, i) => rows.includes(i))), ...refs('participants', naming('participants')), ...refs('email_events', eventRows)],
    participants: count(naming('participants')),
    emailEvents: count(eventRows),
    donations: idsWhere('donations', 'donation_id'),
    recurring: idsWhere('recurring', 'recurring_id'),
    donationsWithoutId: naming('donations').flatMap((yes, i) => (yes && !donationIds[i] ? [i + 2] : [])),
    unsubscribes: count(emailed('unsubscribes')),
  };
}

/** The row standing in for the forgotten contact: no name, no email, never contacted. */
function anonymousContact(plan: ForgetPlan, today: string): Record<string, RawCell> {
  return {
    contact_id: plan.anonId, organization: 'anonymous', email_opt_in: false, sms_opt_in: false, map_opt_in: false,
    do_not_contact: true, notes: `stands in for a contact removed by tidings forget on ${today}; keeps their gifts in the totals`,
  };
}

/**
 * Applies the plan through the source's write-back: the anonymous contact first and the gifts
 * re-linked to it, then the personal rows removed, the contact row last, so a run cut short
 * never leaves a gift pointing at nobody and can simply be run again.
 */
export async function applyForget(source: WritableSource, plan: ForgetPlan, contactsHeader: string[], today: string): Promise<string[]> {
  const done: string[] = [];
  const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
  if (plan.donations.length + plan.recurring.length > 0) {
    await source.appendRows('contacts', contactsHeader, [anonymousContact(plan, today)]);
    const relink = (ids: string[]) => ids.map((id) => ({ id, column: 'contact_id', value: plan.anonId }));
    const gifts = await source.updateCells('donations', 'donation_id', relink(plan.donations));
    const plans = await source.updateCells('recurring', 'recurring_id', relink(plan.recurring));
    done.push(`donations: ${rows(gifts.written)} re-linked to ${plan.anonId}`, `recurring: ${rows(plans.written)} re-linked to ${plan.anonId}`);
    const missing = [...gifts.refusedMissingId, ...plans.refusedMissingId].map((u) => u.id);
    if (missing.length) done.push(`not found at write time (removed meanwhile?): ${missing.join(', ')}`);
  }
  done.push(`participants: ${rows(await source.deleteRows('participants', 'contact_id', plan.contactIds))} deleted`);
  const events = (await source.deleteRows('email_events', 'contact_id', plan.contactIds))
    + (plan.eventEmails.length ? await source.deleteRows('email_events', 'email', plan.eventEmails) : 0);
  done.push(`email_events: ${rows(events)} deleted`);
  done.push(`contacts: ${rows(await source.deleteRows('contacts', 'contact_id', plan.contactIds))} deleted`);
  return done;
}

/** Donation totals per currency (minor units), to show forget changed none of them. */
export function donationTotals(dataset: Pick<Dataset, 'donations'>): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const d of dataset.donations) totals[d.currency ?? ''] = (totals[d.currency ?? ''] ?? 0) + d.amount;
  return totals;
}

async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Whether text names one of them: an email anywhere (any case), an id as a whole word. */
function namesThem(plan: Pick<ForgetPlan, 'contactIds' | 'emails'>): (text: string) => boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ids = plan.contactIds.map((id) => new RegExp(`(?<![\\w-])${escape(id)}(?![\\w-])`));
  return (text) => {
    const lower = text.toLowerCase();
    return plan.emails.some((e) => lower.includes(e)) || ids.some((re) => re.test(text));
  };
}

/**
 * Local outputs that hold them: rows of CSVs under <out>/private/ (segments, exports, problems)
 * that name them or point at their rows, and any other file under <out>/private/outbox/ that names them (a prepared
 * email). With `apply`, the rows are removed (file rewritten atomically) and the files deleted.
 */
export async function forgetInOutputs(out: string, plan: Pick<ForgetPlan, 'contactIds' | 'emails' | 'rowRefs'>, apply: boolean): Promise<OutputChange[]> {
  const root = privateDir(out);
  const outbox = join(root, 'outbox');
  const names = namesThem(plan);
  const changes: OutputChange[] = [];
  for (const path of (await filesUnder(root)).sort()) {
    if (/\.csv$/i.test(path)) {
      const tab = parseCsvTab(path, await readFile(path, 'utf8'));
      // A problem row points at a removed row by tab and row number, whatever value it quotes.
      const [tabCol, rowCol] = [columnIndex(tab, 'tab'), columnIndex(tab, 'row')];
      const pointsAtThem = (cells: RawCell[]) => tabCol >= 0 && rowCol >= 0 && plan.rowRefs.includes(`${normalizeName(rawText(cells[tabCol]))}:${rawText(cells[rowCol])}`);
      const kept = tab.rows.filter((cells) => !pointsAtThem(cells) && !cells.some((c) => names(rawText(c))));
      if (kept.length === tab.rows.length) continue;
      changes.push({ path, action: 'delete-rows', rows: tab.rows.length - kept.length });
      if (apply) {
        const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, tabCsv({ header: tab.header, rows: kept }, { bom: true }));
        await rename(temp, path);
      }
    } else if (!relative(outbox, path).startsWith('..') && names(await readFile(path, 'utf8'))) {
      changes.push({ path, action: 'delete-file' });
      if (apply) await rm(path);
    }
  }
  return changes;
}
