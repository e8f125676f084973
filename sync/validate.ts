import type { z } from 'zod';
import type { GoalMetrics } from './schema/goal-metrics.ts';
import { type RawCell, isBlank } from './cells/result.ts';
import type { Dataset, EmailEvent } from './dataset.ts';
import { EmailEventColumns } from './email-event-rows.ts';
import { IdIndex } from './id-index.ts';
import { FatalSourceError, type Problem, type Severity, columnLetter, rawText } from './problems.ts';
import { type Whereabouts, regionProblems } from './regions/region.ts';
import { columnsOf, rowRulesOf } from './schema/cell.ts';
import type { Settings } from './schema/settings.ts';
import { ID_COLUMN, REQUIRED_TABS, type ReadContext, type RowTabName, TAB_ORDER, type TabSchemas, tabSchemas } from './schema/tabs.ts';
import { ROW_RAW, ROW_READ, type RawTab, type RawWorkbook, type ReadRows, type Source, type TabPart, normalizeName, visitWorkbook } from './sources/source.ts';
import { readSettings } from './sources/settings-tab.ts';
import { SUPPRESSIONS_TAB, readSuppressions } from './suppressions.ts';
import { topicProblem } from './topics.ts';

export interface TabSummary {
  tab: string;
  present: boolean;
  read: number;
  kept: number;
  errors: number;
  warnings: number;
}

export interface Validated {
  dataset: Dataset;
  problems: Problem[];
  summary: TabSummary[];
}

/** Which column of the raw tab each canonical column name is in. */
export function mapHeader(tab: Pick<RawTab, 'header'>, report: (p: Omit<Problem, 'tab'>) => void): Map<string, number> {
  const columns = new Map<string, number>();
  tab.header.forEach((cell, i) => {
    const name = normalizeName(rawText(cell));
    if (!name) return;
    if (columns.has(name)) {
      report({ severity: 'warning', row: 1, column: name, column_letter: columnLetter(i), value: rawText(cell), message: `the column ${name} appears twice; the first one (column ${columnLetter(columns.get(name)!)}) is read: rename or delete this one` });
      return;
    }
    columns.set(name, i);
  });
  return columns;
}

const isBlankRow = (row: RawCell[]) => row.every(isBlank);

/** A row as validated: its columns' values, and `row` (its row number in the sheet). */
type Row = Record<string, unknown>;

/** What is known of the tab being validated: its columns as found, and its rows so far. */
interface TabState {
  tab: RowTabName;
  raw: Pick<RawTab, 'name' | 'header'>;
  schema: z.ZodObject;
  header: Map<string, number>;
  columns: ReadColumn[];
  warnOnly: Set<string>;
  rowRules: z.ZodType | undefined;
  /** An empty row with the tab's columns and `row`, in that order. */
  template: Row;
  /** Per column, the strings read so far (see pooled). */
  pools: (Map<string, string> | undefined)[];
  /** The pooled strings of the tab's parts read on another thread (ReadRows.strings), by number. */
  strings: string[];
  /** How the send log's rows read on another thread are taken in (sendLogTakeIn). */
  sendLog?: SendLogTakeIn;
  /** The part read on another thread being taken in, and its ReadRows.cells by value index once a problem needs them. */
  reading?: { read: ReadRows; said: Map<number, RawCell> | undefined };
  idColumn: string | undefined;
  /** Every id read so far (of rows kept or not: a later row repeating one is an error either way). */
  ids: IdIndex | undefined;
  /** For a tab that other tabs refer to: per position in ids, the row kept with that id. */
  keptAt: (Row | undefined)[] | undefined;
  /** The tab's rows as the dataset holds them: an array, or for the send log its columns. */
  rows: Row[] | EmailEventColumns;
  stats: TabSummary;
  report: (p: Omit<Problem, 'tab'>) => void;
  /** Per column, how many errors and warnings were found there: past LISTED_PER_COLUMN they are only counted. */
  found: Map<string, { error: number; warning: number }>;
}

/**
 * Problems listed per tab, column and severity; the rest are counted in one summary problem, so a
 * tab of junk (a million bad rows pasted in) does not make a million problems to hold and write.
 * Rows are left out or kept exactly as when every problem is listed.
 */
export const LISTED_PER_COLUMN = 1000;

/**
 * Validates every cell of every tab into one typed dataset, a part of a tab at a time (so a
 * source can hand over a large tab in parts and its raw cells need not be held whole). Parts come
 * as Source.readInParts hands them: settings first, then the tabs in TAB_ORDER; other tabs are not
 * validated here. Bad rows are reported (and left out only when the problem is an error); a
 * missing required tab or column throws FatalSourceError.
 */
export class WorkbookValidation {
  private readonly problems: Problem[] = [];
  private readonly summary: TabSummary[] = [];
  private readonly byId = new Map<RowTabName, KeptRows>();
  private settingsTab: RawTab | undefined;
  private started: { settings: Settings; schemas: TabSchemas; dataset: Dataset } | undefined;
  private current: TabState | undefined;
  /** The suppression list, gathered whole (one short row per address) and read at the end. */
  private suppressions: RawTab | undefined;
  /** How many tabs of TAB_ORDER are behind us. */
  private next = 0;

  constructor(
    private readonly source?: Pick<Source, 'cellLink'>,
    private readonly goalMetrics?: GoalMetrics,
  ) {}

  /** The order parts must come in: settings, then every tab that is validated. */
  static readonly ORDER: readonly string[] = ['settings', ...TAB_ORDER];

  add(part: TabPart): void {
    if (part.key === 'settings') {
      if (this.started) throw new Error('the settings tab must be read before the other tabs');
      this.settingsTab ??= { name: part.name, header: part.header, rows: [] };
      for (const row of part.rows) this.settingsTab.rows.push(row);
      return;
    }
    if (part.key === SUPPRESSIONS_TAB) {
      this.suppressions ??= { name: part.name, header: part.header, rows: [] };
      for (const row of part.rows) this.suppressions.rows.push(row);
      return;
    }
    if (!(TAB_ORDER as readonly string[]).includes(part.key)) return;
    const tab = part.key as RowTabName;
    if (this.current?.tab !== tab) this.openTab(tab, part);
    const state = this.current!;
    if (part.read) this.addRead(state, part, part.read);
    else for (let i = 0; i < part.rows.length; i++) this.validateRow(state, part.rows[i], part.first + i + 2);
  }

  /** A part read on another thread: its read rows become rows here; its raw rows are validated as any other. */
  private addRead(state: TabState, part: TabPart, read: ReadRows): void {
    state.strings.length = read.stringsFrom;
    for (const text of read.strings) state.strings.push(text);
    state.reading = { read, said: undefined };
    const { kinds } = read;
    const width = state.columns.length;
    const sendLog = state.rows instanceof EmailEventColumns ? this.sendLogTakeIn(state) : undefined;
    let raw = 0;
    let at = 0;
    for (let i = 0; i < kinds.length; i++) {
      const rowNumber = part.first + i + 2;
      if (kinds[i] === ROW_RAW) this.validateRow(state, part.rows[raw++], rowNumber);
      if (kinds[i] !== ROW_READ) continue;
      state.stats.read++;
      const row = readRowOf(state, read, at, sendLog ? sendLog.row : { ...state.template });
      if (!row) throw new Error(`${part.name}, row ${rowNumber}: read on another thread but not here`);
      if (sendLog) shareSendLogReferences(sendLog, state, read, at, row);
      this.keep(state, row, rowNumber, at, undefined, sendLog !== undefined);
      at += width;
    }
    state.reading = undefined;
  }

  /**
   * How the send log's messages read on another thread are taken in. The send log is most of a
   * large sheet's rows and its columns copy each row in (email-event-rows.ts), so a message is
   * filled into one object used again, not made a million times; and its contact and mailing,
   * which it only shares (checkRow), are found once per id text (shareSendLogReferences).
   */
  private sendLogTakeIn(state: TabState): SendLogTakeIn {
    return (state.sendLog ??= {
      row: { ...state.template },
      references: state.columns.flatMap((c, j) => (isReference(c.name) ? [{ column: j, name: c.name, target: this.byId.get(REFERENCES[c.name]) }] : [])),
      shared: [],
    });
  }

  finish(): Validated {
    this.closeTabsBefore(TAB_ORDER.length);
    const suppressed = readSuppressions(this.suppressions, (p) => this.addProblem(p));
    return { dataset: { ...this.start().dataset, suppressed }, problems: this.problems, summary: this.summary };
  }

  private addProblem(p: Problem): void {
    if (p.row && p.column_letter && this.source?.cellLink) p.link = this.source.cellLink(p.tab, p.row, p.column_letter);
    this.problems.push(p);
  }

  /** One problem per tab, column and severity that had more than LISTED_PER_COLUMN, counting those not listed. */
  private countUnlisted({ raw, header, found }: TabState): void {
    for (const [column, counts] of found) {
      for (const severity of ['error', 'warning'] as const) {
        const more = counts[severity] - LISTED_PER_COLUMN;
        if (more <= 0) continue;
        const index = header.get(column);
        const rows = severity === 'error' ? 'those rows are left out too' : 'those rows are kept, as the listed ones are';
        this.addProblem({
          severity, tab: raw.name, column: column || undefined, column_letter: index === undefined ? undefined : columnLetter(index),
          message: `${more.toLocaleString('en-US')} more ${severity}s ${column ? `in column ${column} ` : ''}are not listed (only the first ${LISTED_PER_COLUMN.toLocaleString('en-US')} are): ${rows}. Many at once are usually pasted or imported junk: fix or delete those rows and sync again`,
        });
      }
    }
  }

  /** How cells read (settings' time zone and currency), for reading a tab elsewhere: known once settings are in. */
  readContext(): ReadContext {
    const { settings } = this.start();
    return { timeZone: settings.timezone, currency: settings.currency };
  }

  /** Settings decide how cells read (time zone, currency): they are read once the first other tab arrives. */
  private start() {
    if (!this.started) {
      const settings = readSettings(this.settingsTab, (p) => this.addProblem(p));
      const schemas = tabSchemas({ timeZone: settings.timezone, currency: settings.currency, goalMetrics: this.goalMetrics });
      this.started = { settings, schemas, dataset: { settings } as Dataset };
    }
    return this.started;
  }

  /** Ends the tabs of TAB_ORDER before position `end`: the open one is indexed by id, the missing ones are empty. */
  private closeTabsBefore(end: number): void {
    const { dataset } = this.start();
    while (this.next < end) {
      const tab = TAB_ORDER[this.next++];
      if (this.current?.tab === tab) {
        const { ids, keptAt, rows } = this.current;
        if (ids && keptAt) this.byId.set(tab, { ids, rows: keptAt });
        if (rows instanceof EmailEventColumns) rows.seal();
        this.countUnlisted(this.current);
        this.current = undefined;
        continue;
      }
      this.summary.push({ tab, present: false, read: 0, kept: 0, errors: 0, warnings: 0 });
      (dataset as Record<string, unknown>)[tab] = [];
      if (REQUIRED_TABS.includes(tab)) {
        throw new FatalSourceError(`the required tab "${tab}" is missing: add a tab (or ${tab}.csv) with a header row`, { severity: 'error', tab, message: 'required tab is missing' });
      }
    }
  }

  private openTab(tab: RowTabName, raw: Pick<RawTab, 'name' | 'header'>): void {
    const position = TAB_ORDER.indexOf(tab);
    if (position < this.next) throw new Error(`the tab ${tab} came out of order: tabs are validated in TAB_ORDER, each in one run of parts`);
    this.closeTabsBefore(position);
    const { schemas, dataset } = this.start();
    const stats: TabSummary = { tab, present: true, read: 0, kept: 0, errors: 0, warnings: 0 };
    this.summary.push(stats);
    // The send log, the one tab of a million rows, is held as columns (sync/email-event-rows.ts).
    const rows = tab === 'email_events' ? new EmailEventColumns() : [];
    (dataset as Record<string, unknown>)[tab] = rows;
    const found = new Map<string, { error: number; warning: number }>();
    const report = (p: Omit<Problem, 'tab'>) => {
      if (p.severity === 'warning') stats.warnings++;
      const column = p.column ?? '';
      let counts = found.get(column);
      if (!counts) found.set(column, (counts = { error: 0, warning: 0 }));
      if (++counts[p.severity] <= LISTED_PER_COLUMN) this.addProblem({ ...p, tab: raw.name });
    };
    const schema = schemas[tab] as unknown as z.ZodObject;
    const header = mapHeader(raw, report);
    const columns = readColumns(schema, header);
    for (const { name, meta } of columns) {
      if (meta.required && !header.has(name)) {
        throw new FatalSourceError(`the tab "${raw.name}" has no column "${name}", which is required: add a header cell named ${name} in row 1`, { severity: 'error', tab: raw.name, column: name, message: 'required column is missing' });
      }
    }
    this.current = {
      tab, raw, schema, header, columns, rows, stats, report, found,
      warnOnly: new Set(columns.filter((c) => c.meta.warnOnly).map((c) => c.name)),
      rowRules: rowRulesOf(schema),
      template: rowTemplate([...columns.map((c) => c.name), 'row']),
      // A tab's own ids are unique by rule, and references share the id text of the row they name (mustExist).
      pools: columns.map((c) => (isPooled(tab, c.name) ? new Map() : undefined)),
      strings: [],
      idColumn: ID_COLUMN[tab],
      ids: ID_COLUMN[tab] ? new IdIndex() : undefined,
      // Only tabs that rows refer to are looked up by id (a million email events need no rows by id).
      keptAt: ID_COLUMN[tab] && REFERENCED.has(tab) ? [] : undefined,
    };
  }

  private validateRow(state: TabState, cells: RawCell[], rowNumber: number): void {
    if (isBlankRow(cells)) return;
    const { schema, columns, warnOnly, stats, report } = state;
    stats.read++;
    // Most rows read cleanly, cell by cell; a row with any problem is parsed again by the whole
    // zod schema, which reports each problem in column order.
    let row = readClean(state, cells);
    let input: Record<string, RawCell> | undefined;
    if (!row) {
      input = Object.fromEntries(columns.map((c) => [c.name, c.index === undefined ? undefined : cells[c.index]]));
      let parsed = schema.safeParse(input);
      // A bad value in a warn-only column (an invalid email) is reported and the row kept without it.
      if (!parsed.success) {
        const soft = parsed.error.issues.filter((issue) => warnOnly.has(String(issue.path[0])));
        if (soft.length > 0) {
          for (const issue of soft) {
            const column = String(issue.path[0]);
            report({ severity: 'warning', ...where(state, column, rowNumber, cells, input), message: issue.message });
            input[column] = undefined;
          }
          parsed = schema.safeParse(input);
        }
      }
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? columns[0].name);
          report({ severity: 'error', ...where(state, column, rowNumber, cells, input), message: issue.message });
        }
        stats.errors++;
        return;
      }
      row = Object.assign({ ...state.template }, parsed.data);
    }
    this.keep(state, row, rowNumber, cells, input);
  }

  /**
   * A row read: checked against the other tabs and its id, then kept unless that found an error.
   * `cells`: the row's cells, or for a row read on another thread where its values start;
   * `shared`: its references share their rows' id texts already (a message: shareSendLogReferences).
   */
  private keep(state: TabState, row: Row, rowNumber: number, cells: RawCell[] | number, input?: Record<string, RawCell>, shared = false): void {
    const { tab, idColumn, ids, keptAt, stats, report } = state;
    row.row = rowNumber;
    const rowProblems = checkRow(tab, row, this.byId, this.start().settings, shared);
    let position = -1;
    if (ids && idColumn) {
      const id = row[idColumn] as string;
      position = ids.add(id);
      if (position < 0) rowProblems.push({ severity: 'error', column: idColumn, message: `the ${idColumn} ${id} is used by an earlier row; ids must be unique: give this row its own id (the first row with it is kept)` });
    }
    let error = false;
    for (const p of rowProblems) {
      report({ ...where(state, p.column, rowNumber, typeof cells === 'number' ? readCellsAt(state, cells) : cells, input), severity: p.severity, message: p.message });
      error ||= p.severity === 'error';
    }
    if (keptAt && position >= 0) keptAt[position] = error ? undefined : row;
    if (error) {
      stats.errors++;
      return;
    }
    state.rows.push(row as Row & EmailEvent);
    stats.kept++;
  }
}

/**
 * An empty row with these keys, every one held in the object itself. Built key by key (as
 * Object.fromEntries does) an object keeps all but its first four keys in a separate array, which
 * costs every row of a large sheet some 50 bytes more; JSON.parse sizes an object for its keys.
 */
function rowTemplate(keys: string[]): Row {
  const row: Row = JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, null]))));
  for (const k of keys) row[k] = undefined;
  return row;
}

/** The row read cell by cell with the schema's own readers, or undefined at the first problem. */
function readClean(state: TabState, cells: RawCell[]): Row | undefined {
  const values = readCells(state.columns, cells);
  return values && rowOf(state, values, 0);
}

/** A tab's columns with where each is in the tab as read (index: undefined when it is not there). */
export type ReadColumn = ReturnType<typeof columnsOf>[number] & { index: number | undefined };

/** The columns of `schema` found in a tab with this header row. */
export function readColumns(schema: z.ZodObject, header: Map<string, number>): ReadColumn[] {
  return columnsOf(schema).map((c) => ({ ...c, index: header.get(c.name) }));
}

/** A row's cells read with its columns' readers, in column order, or undefined at the first problem. */
export function readCells(columns: readonly ReadColumn[], cells: RawCell[]): unknown[] | undefined {
  const values = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const result = c.read(c.index === undefined ? undefined : cells[c.index]);
    if (!result.ok) return undefined;
    values[i] = result.value;
  }
  return values;
}

/** The row with these values (the tab's columns from `start`), or undefined when a rule across its columns fails. */
function rowOf(state: TabState, values: unknown[], start: number): Row | undefined {
  const { columns, pools } = state;
  // A copy of the template has every column (and row) in place: each row is one compact object, not grown key by key.
  const data: Row = { ...state.template };
  for (let i = 0; i < columns.length; i++) {
    const value = values[start + i];
    data[columns[i].name] = typeof value === 'string' && pools[i] ? pooled(pools, i, value) : value;
  }
  return withRowRules(state, data);
}

/** rowOf for a row read on another thread, its strings pooled there, filled into `data` (a copy of the template). */
function readRowOf(state: TabState, read: ReadRows, start: number, data: Row): Row | undefined {
  const { columns } = state;
  for (let i = 0; i < columns.length; i++) data[columns[i].name] = valueAt(state, read, start + i);
  return withRowRules(state, data);
}

/** A row read on another thread as its cells were, for a problem's value (ReadRows.cells: spaces around a text). */
function readCellsAt(state: TabState, start: number): RawCell[] {
  const reading = state.reading!;
  reading.said ??= new Map(reading.read.cells);
  const cells: RawCell[] = [];
  state.columns.forEach((c, j) => {
    if (c.index !== undefined) cells[c.index] = reading.said!.has(start + j) ? reading.said!.get(start + j) : (valueAt(state, reading.read, start + j) as RawCell);
  });
  return cells;
}

const valueAt = ({ strings }: TabState, { values, pooled }: ReadRows, at: number) => (pooled[at] >= 0 ? strings[pooled[at]] : values[at]);

function withRowRules({ rowRules, template }: TabState, data: Row): Row | undefined {
  if (!rowRules) return data;
  const parsed = rowRules.safeParse(data);
  if (!parsed.success) return undefined;
  // A rule that only checks gives the row back as it was; one that transforms gives a new object.
  return parsed.data === data ? data : Object.assign({ ...template }, parsed.data);
}

/** Whether a column's strings are pooled: not a tab's own ids (unique by rule) nor references (they share the id text of the row they name: mustExist). */
export const isPooled = (tab: RowTabName, column: string) => column !== ID_COLUMN[tab] && !isReference(column);

/** Whether a column names a row of another tab (contact_id, recurring_id, event_id, mailing_id). */
export const isReference = (column: string) => column in REFERENCES;

/** What taking in the send log's rows read on another thread keeps (sendLogTakeIn). */
interface SendLogTakeIn {
  /** Each message is filled into this one object: the columns copy it, nothing keeps it. */
  row: Row;
  /** Its reference columns: where each is among the tab's columns, and the rows it names. */
  references: { column: number; name: string; target: KeptRows | undefined }[];
  /** By the number of a text the other thread pooled, the text a reference to it holds. */
  shared: (string | undefined)[];
}

/**
 * One string per distinct value of a column: a million rows naming 120 mailings or ten campaigns
 * then hold ten strings, not a million (the dataset of a large sheet is mostly such strings). A
 * column found to hold more than POOL_LIMIT distinct values (ids, notes) stops being pooled.
 */
function pooled(pools: (Map<string, string> | undefined)[], column: number, value: string): string {
  const pool = pools[column]!;
  const held = pool.get(value);
  if (held !== undefined) return held;
  pool.set(value, value);
  if (pool.size > POOL_LIMIT) pools[column] = undefined;
  return value;
}

export const POOL_LIMIT = 4096;

/** Where a problem is: the cell as read (the zod input, once a warn-only value is dropped from it). */
function where({ header }: TabState, column: string, row: number, cells: RawCell[], input?: Record<string, RawCell>) {
  const index = header.get(column);
  const value = input ? input[column] : index === undefined ? undefined : cells[index];
  return { row, column, column_letter: index === undefined ? undefined : columnLetter(index), value: rawText(value) };
}

/** Validates a whole workbook (every tab as one part): see WorkbookValidation. */
export function validateWorkbook(workbook: RawWorkbook, source?: Pick<Source, 'cellLink'>, goalMetrics?: GoalMetrics): Validated {
  const validation = new WorkbookValidation(source, goalMetrics);
  visitWorkbook(workbook, WorkbookValidation.ORDER, (part) => validation.add(part));
  return validation.finish();
}

type RowProblem = { severity: Severity; column: string; message: string };

/** Checks that need other tabs: references to rows that exist (and were kept). */
function checkRow(tab: RowTabName, row: Row, byId: Map<RowTabName, KeptRows>, settings: Settings, shared: boolean): RowProblem[] {
  const out: RowProblem[] = [];
  switch (tab) {
    case 'contacts':
      for (const p of regionProblems(row as Whereabouts, settings.default_country)) out.push(p);
      break;
    case 'donations': {
      mustExist(out, row, 'contact_id', byId.get('contacts'));
      const plan = mustExist(out, row, 'recurring_id', byId.get('recurring'));
      if (plan && plan.contact_id !== row.contact_id) {
        out.push({ severity: 'warning', column: 'recurring_id', message: `recurring plan ${row.recurring_id as string} belongs to contact ${plan.contact_id as string}, not ${row.contact_id as string}: check which is right` });
      }
      break;
    }
    case 'recurring':
      mustExist(out, row, 'contact_id', byId.get('contacts'));
      break;
    case 'participants':
      mustExist(out, row, 'event_id', byId.get('events'));
      mustExist(out, row, 'contact_id', byId.get('contacts'));
      break;
    case 'stories':
      mustExist(out, row, 'mailing_id', byId.get('mailings'));
      break;
    case 'mailings': {
      // A warning: the row is kept (sent mailings stay in reports); sending it is refused until fixed.
      // Mailings already sent or cancelled are history: a topic since removed from settings is no matter.
      const topic = ['sent', 'cancelled'].includes(row.status as string) ? undefined : topicProblem(row as { topic?: string }, settings);
      if (topic) out.push({ severity: 'warning', column: 'topic', message: topic });
      break;
    }
    case 'email_events':
      // A message may outlive its contact (forget removes contacts, not the send log): no check, only sharing.
      if (shared) break;
      shareReference(row, 'contact_id', byId.get('contacts'));
      shareReference(row, 'mailing_id', byId.get('mailings'));
      break;
  }
  return out;
}

/** A referenced tab's ids (of rows kept or not) and, by their positions, its kept rows. */
interface KeptRows {
  ids: IdIndex;
  rows: (Row | undefined)[];
}

/** The position of the kept row of `target` with this id, or -1. */
function keptPosition(target: KeptRows | undefined, id: unknown): number {
  if (!target || typeof id !== 'string') return -1;
  const position = target.ids.find(id);
  return position >= 0 && target.rows[position] ? position : -1;
}

/**
 * A message's contact and mailing given the id texts of the rows they name, as checkRow shares them
 * for a row read here. The other thread numbers those texts (read-rows.ts), so the text a number
 * stands for is looked up once, not again for each of a contact's messages.
 */
function shareSendLogReferences({ references, shared }: SendLogTakeIn, state: TabState, read: ReadRows, at: number, row: Row): void {
  for (const { column, name, target } of references) {
    const number = read.pooled[at + column];
    if (number >= 0) row[name] = shared[number] ??= sharedId(target, state.strings[number]);
    else shareReference(row, name, target);
  }
}

/** The text a reference to `id` holds: the id text of the kept row of `target` it names, else `id` itself. */
function sharedId(target: KeptRows | undefined, id: string): string {
  const position = keptPosition(target, id);
  return position < 0 ? id : target!.ids.idAt(position);
}

/** A reference to another tab (`target`, by id) must name a row there that was kept: that row, when it does. */
function mustExist(out: RowProblem[], row: Row, column: string, target: KeptRows | undefined): Row | undefined {
  const value = row[column] as string | undefined;
  if (value === undefined) return undefined;
  const found = shareReference(row, column, target);
  if (!found) out.push({ severity: 'error', column, message: `${column} ${value} is not in the ${REFERENCES[column]} tab (or its row there has errors): add it there, or correct this id` });
  return found;
}

/**
 * When a reference names a kept row of `target`, the row takes that row's id text: a contact's id
 * is then one string however many gifts and messages name it. The row it names, if any.
 */
function shareReference(row: Row, column: string, target: KeptRows | undefined): Row | undefined {
  const position = keptPosition(target, row[column]);
  if (position < 0) return undefined;
  row[column] = target!.ids.idAt(position);
  return target!.rows[position];
}

const REFERENCES: Record<string, RowTabName> = { contact_id: 'contacts', recurring_id: 'recurring', event_id: 'events', mailing_id: 'mailings' };
const REFERENCED = new Set(Object.values(REFERENCES));
