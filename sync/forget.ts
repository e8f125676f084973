import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { RawCell } from './cells/result.ts';
import type { Dataset } from './dataset.ts';
import { rawText } from './problems.ts';
import { parseCsvTab, tabCsv } from './sources/csv.ts';
import { type RawTab, type RawWorkbook, type WritableSource, normalizeName } from './sources/source.ts';
import { SUPPRESSIONS_TAB, SUPPRESSION_COLUMNS, emailHash } from './suppressions.ts';
import { privateDir } from './output.ts';
import { PROBLEMS_TAB, SEGMENTS_TAB } from './write-back.ts';

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
  /** Unsubscribe rows with their email: deleted (the suppression list keeps the promise instead), by exact text. */
  unsubscribeEmails: string[];
  unsubscribes: number;
  /** Their addresses not yet on the suppression list: each gets a hashed row, reason forgotten. */
  newSuppressions: string[];
  /** Their donations whose notes are not blank (notes may say anything about them): blanked. */
  donationNotes: string[];
  /** The receipt numbers of their gifts: receipt pages and PDFs carrying them are theirs. */
  receiptNos: string[];
  /** The rows of the tool's own tabs (_segments, _problems) that name them or point at their rows, by tab. */
  toolTabRows: Map<string, number>;
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
  const unsubscribeEmails = columnValues(workbook.get('unsubscribes'), 'email').filter((e, i) => e && emailed('unsubscribes')[i]);
  const onList = new Set(columnValues(workbook.get(SUPPRESSIONS_TAB), 'email_sha256').map((h) => h.toLowerCase()));
  const theirGifts = naming('donations');
  const giftValues = (column: string) => columnValues(workbook.get('donations'), column).filter((v, i) => v && theirGifts[i]);
  const giftsWithNotes = columnValues(workbook.get('donations'), 'notes').flatMap((note, i) => (note && theirGifts[i] && donationIds[i] ? [donationIds[i]] : []));
  const refs = (tab: string, flags: boolean[]) => flags.flatMap((yes, i) => (yes ? [`${tab}:${i + 2}`] : []));
  const rowRefs = [
    ...refs('contacts', ids.map((_, i) => rows.includes(i))), ...refs('participants', naming('participants')), ...refs('email_events', eventRows),
    ...refs('unsubscribes', emailed('unsubscribes')),
  ];
  const receiptNos = [...new Set(giftValues('receipt_no'))];
  const donations = idsWhere('donations', 'donation_id');
  const theirs = rowNamesThem({ contactIds, emails, rowRefs, receiptNos, donations });
  const toolTabRows = new Map<string, number>();
  for (const key of TOOL_TABS_NAMING_PEOPLE) {
    const tab = workbook.get(key);
    const n = tab ? tab.rows.length - rowsKept(tab, theirs).length : 0;
    if (n) toolTabRows.set(key, n);
  }
  return {
    contactIds, emails, names, anonId, rowRefs, receiptNos, toolTabRows,
    eventEmails: [...new Set(eventEmails)],
    unsubscribeEmails: [...new Set(unsubscribeEmails)],
    newSuppressions: emails.filter((e) => !onList.has(emailHash(e))),
    donationNotes: giftsWithNotes,
    participants: count(naming('participants')),
    emailEvents: count(eventRows),
    donations,
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
 * Applies the plan (made from `workbook`) through the source's write-back: their addresses onto
 * the suppression list first, so no send or export reaches them from then on; the anonymous
 * contact and the gifts re-linked to it (their notes blanked); then the personal rows removed,
 * the contact row last, so a run cut short never leaves a gift pointing at nobody and can simply
 * be run again.
 */
export async function applyForget(source: WritableSource, workbook: RawWorkbook, plan: ForgetPlan, today: string): Promise<string[]> {
  const done: string[] = [];
  const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
  if (plan.newSuppressions.length) {
    const added_at = new Date().toISOString();
    await source.appendRows(SUPPRESSIONS_TAB, [...SUPPRESSION_COLUMNS], plan.newSuppressions.map((e) => ({ email_sha256: emailHash(e), reason: 'forgotten', added_at })));
    done.push(`${SUPPRESSIONS_TAB}: ${rows(plan.newSuppressions.length)} added (hashed addresses, never mailed again)`);
  }
  if (plan.donations.length + plan.recurring.length > 0) {
    const contactsHeader = (workbook.get('contacts')?.header ?? []).map(rawText);
    await source.appendRows('contacts', contactsHeader, [anonymousContact(plan, today)]);
    const relink = (ids: string[]) => ids.map((id) => ({ id, column: 'contact_id', value: plan.anonId }));
    const gifts = await source.updateCells('donations', 'donation_id', relink(plan.donations));
    const plans = await source.updateCells('recurring', 'recurring_id', relink(plan.recurring));
    done.push(`donations: ${rows(gifts.written)} re-linked to ${plan.anonId}`, `recurring: ${rows(plans.written)} re-linked to ${plan.anonId}`);
    const missing = [...gifts.refusedMissingId, ...plans.refusedMissingId].map((u) => u.id);
    if (missing.length) done.push(`not found at write time (removed meanwhile?): ${missing.join(', ')}`);
    if (plan.donationNotes.length) {
      const notes = await source.updateCells('donations', 'donation_id', plan.donationNotes.map((id) => ({ id, column: 'notes', value: '' })));
      done.push(`donations: notes blanked on ${rows(notes.written)}`);
    }
  }
  done.push(`participants: ${rows(await source.deleteRows('participants', 'contact_id', plan.contactIds))} deleted`);
  const events = (await source.deleteRows('email_events', 'contact_id', plan.contactIds))
    + (plan.eventEmails.length ? await source.deleteRows('email_events', 'email', plan.eventEmails) : 0);
  done.push(`email_events: ${rows(events)} deleted`);
  if (plan.unsubscribeEmails.length) done.push(`unsubscribes: ${rows(await source.deleteRows('unsubscribes', 'email', plan.unsubscribeEmails))} deleted`);
  for (const line of await forgetInToolTabs(source, workbook, plan)) done.push(line);
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

/** What identifies them in a file or a row. `hashes`: their email and phone as hashed in ad lists. */
export type Identifiers = Pick<ForgetPlan, 'contactIds' | 'emails' | 'rowRefs' | 'receiptNos' | 'donations'> & { hashes?: string[] };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether text names one of them: an email or a hash anywhere (any case), an id or a receipt number as a whole word. */
function namesThem(who: Identifiers): (text: string) => boolean {
  const words = [...who.contactIds, ...who.receiptNos].map((id) => new RegExp(`(?<![\\w-])${escape(id)}(?![\\w-])`));
  const anywhere = [...who.emails, ...(who.hashes ?? [])].map((e) => e.toLowerCase());
  return (text) => {
    const lower = text.toLowerCase();
    return anywhere.some((e) => lower.includes(e)) || words.some((re) => re.test(text));
  };
}

/** Whether a row of a tab names them, or (a problem row) points at one of their rows by tab and row number. */
function rowNamesThem(who: Identifiers): (tab: RawTab) => (cells: RawCell[]) => boolean {
  const names = namesThem(who);
  const refs = new Set(who.rowRefs);
  return (tab) => {
    const [tabCol, rowCol] = [columnIndex(tab, 'tab'), columnIndex(tab, 'row')];
    return (cells) => (tabCol >= 0 && rowCol >= 0 && refs.has(`${normalizeName(rawText(cells[tabCol]))}:${rawText(cells[rowCol])}`)) || cells.some((c) => names(rawText(c)));
  };
}

/** The rows of a tab that do not name them. */
const rowsKept = (tab: RawTab, theirs: ReturnType<typeof rowNamesThem>) => {
  const isTheirs = theirs(tab);
  return tab.rows.filter((cells) => !isTheirs(cells));
};

/** The tool's tabs that list people (sync rebuilds them): their rows go, the others stay. */
const TOOL_TABS_NAMING_PEOPLE = [PROBLEMS_TAB, SEGMENTS_TAB];

/**
 * File names that are theirs whatever the file holds: a prepared email (outbox/<mailing>/0001-<id>.html),
 * an annual receipt summary (receipts/summary-<year>-<id>.pdf) and a receipt for one of their gifts
 * (receipts/receipt-<donation_id>.pdf and .html, and the copy in receipts/print/), as those writers
 * name them; a receipt PDF holds its receipt number only as binary, so its name is what finds it.
 */
function fileNamedForThem(who: Identifiers): (name: string) => boolean {
  const safe = (id: string) => escape(id.replace(/[^\w.-]/g, '_'));
  const patterns = who.contactIds.map((id) => new RegExp(`^(\\d{4}|summary-.+)-${safe(id)}\\.\\w+$`));
  const receipts = new Set(who.donations.flatMap((id) => [`receipt-${id}.pdf`, `receipt-${id}.html`]));
  return (name) => receipts.has(name) || patterns.some((re) => re.test(name));
}

/** Files read for their text; a PDF or a font is binary (an id could turn up by chance): PDFs go with their page. */
const TEXT_FILE = /\.(html?|eml|txt|json|md)$/i;

const stem = (path: string) => basename(path).replace(/\.[^.]*$/, '');

/**
 * Local outputs that hold them, everywhere under <out>/private/: rows of CSVs (segments, exports,
 * problems, receipts lists) that name them or point at their rows, and any other file that names
 * them (a prepared email and its index page, a receipt page) or is named for them, with the files
 * sharing its name in the same folder and below (the email's HTML preview, the receipt's PDF and
 * its copy in print/). With `apply`, the rows are removed (file rewritten atomically) and the files deleted.
 */
export async function forgetInOutputs(out: string, who: Identifiers, apply: boolean): Promise<OutputChange[]> {
  const names = namesThem(who);
  const theirs = rowNamesThem(who);
  const namedForThem = fileNamedForThem(who);
  const changes: OutputChange[] = [];
  const condemned: string[] = [];
  const files = (await filesUnder(privateDir(out))).sort();
  for (const path of files) {
    if (/\.csv$/i.test(path)) {
      const text = await readFile(path, 'utf8');
      const tab = parseCsvTab(path, text);
      const kept = rowsKept(tab, theirs);
      if (kept.length === tab.rows.length) continue;
      changes.push({ path, action: 'delete-rows', rows: tab.rows.length - kept.length });
      if (apply) {
        const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, tabCsv({ header: tab.header, rows: kept }, { bom: text.startsWith('\uFEFF') }));
        await rename(temp, path);
      }
    } else if (namedForThem(basename(path)) || (TEXT_FILE.test(path) && names(await readFile(path, 'utf8')))) {
      condemned.push(path);
    }
  }
  const siblings = files.filter((path) => !/\.csv$/i.test(path) && condemned.some((c) => stem(c) === stem(path) && !relative(dirname(c), path).startsWith('..')));
  for (const path of new Set([...condemned, ...siblings])) {
    changes.push({ path, action: 'delete-file' });
    if (apply) await rm(path, { force: true });
  }
  return changes;
}

/**
 * Their rows out of the tool's own tabs in the source (_segments and _problems, which staff see in
 * the spreadsheet), each tab rewritten as read at plan time; sync rebuilds them anyway.
 */
async function forgetInToolTabs(source: WritableSource, workbook: RawWorkbook, who: Identifiers): Promise<string[]> {
  const theirs = rowNamesThem(who);
  const done: string[] = [];
  for (const key of TOOL_TABS_NAMING_PEOPLE) {
    const tab = workbook.get(key);
    if (!tab) continue;
    const kept = rowsKept(tab, theirs);
    if (kept.length === tab.rows.length) continue;
    await source.replaceTab(tab.name, tab.header.map(rawText), kept);
    const n = tab.rows.length - kept.length;
    done.push(`${tab.name}: ${n} ${n === 1 ? 'row' : 'rows'} deleted`);
  }
  return done;
}
