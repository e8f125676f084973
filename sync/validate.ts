import type { z } from 'zod';
import type { GoalMetrics } from '../reports/metrics.ts';
import { type RawCell, isBlank } from './cells/result.ts';
import type { Dataset, Row } from './dataset.ts';
import { FatalSourceError, type Problem, type Severity, columnLetter, rawText } from './problems.ts';
import { type Whereabouts, regionProblems } from './regions/region.ts';
import { columnsOf, rowRulesOf } from './schema/cell.ts';
import { type Settings, settingsSchema } from './schema/settings.ts';
import { ID_COLUMN, REQUIRED_TABS, type RowTabName, TAB_ORDER, type TabSchemas, tabSchemas } from './schema/tabs.ts';
import { type RawTab, type RawWorkbook, type Source, normalizeName } from './sources/source.ts';

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
function mapHeader(tab: RawTab, report: (p: Omit<Problem, 'tab'>) => void): Map<string, number> {
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

/**
 * Validates every cell of every tab into one typed dataset. Bad rows are reported (and left out
 * only when the problem is an error); a missing required tab or column throws FatalSourceError.
 */
export function validateWorkbook(workbook: RawWorkbook, source?: Pick<Source, 'cellLink'>, goalMetrics?: GoalMetrics): Validated {
  const problems: Problem[] = [];
  const summary: TabSummary[] = [];
  const add = (p: Problem) => {
    if (p.row && p.column_letter && source?.cellLink) p.link = source.cellLink(p.tab, p.row, p.column_letter);
    problems.push(p);
  };

  const settings = readSettings(workbook.get('settings'), add);
  const schemas = tabSchemas({ timeZone: settings.timezone, currency: settings.currency, goalMetrics });
  const dataset = { settings } as Dataset;
  const byId = new Map<RowTabName, Map<string, Record<string, unknown>>>();

  for (const tabName of TAB_ORDER) {
    const raw = workbook.get(tabName);
    const stats: TabSummary = { tab: tabName, present: !!raw, read: 0, kept: 0, errors: 0, warnings: 0 };
    summary.push(stats);
    const rows: Row<typeof tabName>[] = [];
    (dataset as Record<string, unknown>)[tabName] = rows;
    if (!raw) {
      if (REQUIRED_TABS.includes(tabName)) {
        throw new FatalSourceError(`the required tab "${tabName}" is missing: add a tab (or ${tabName}.csv) with a header row`, { severity: 'error', tab: tabName, message: 'required tab is missing' });
      }
      continue;
    }
    const report = (p: Omit<Problem, 'tab'> & { tab?: string }) => {
      add({ ...p, tab: raw.name });
      if (p.severity === 'warning') stats.warnings++;
    };
    const schema = schemas[tabName] as unknown as z.ZodObject;
    const header = mapHeader(raw, report);
    const columns = columnsOf(schema).map((c) => ({ ...c, index: header.get(c.name) }));
    for (const { name, meta } of columns) {
      if (meta.required && !header.has(name)) {
        throw new FatalSourceError(`the tab "${raw.name}" has no column "${name}", which is required: add a header cell named ${name} in row 1`, { severity: 'error', tab: raw.name, column: name, message: 'required column is missing' });
      }
    }
    const warnOnly = new Set(columns.filter((c) => c.meta.warnOnly).map((c) => c.name));
    const rowRules = rowRulesOf(schema);
    const seen = new Set<string>();
    const idColumn = ID_COLUMN[tabName];

    /** The row read cell by cell with the schema's own readers, or undefined at the first problem. */
    const readClean = (cells: RawCell[]): z.ZodSafeParseResult<unknown> | undefined => {
      const data: Record<string, unknown> = {};
      for (const c of columns) {
        const result = c.read(c.index === undefined ? undefined : cells[c.index]);
        if (!result.ok) return undefined;
        data[c.name] = result.value;
      }
      const parsed = rowRules ? rowRules.safeParse(data) : { success: true as const, data };
      return parsed.success ? parsed : undefined;
    };

    /** Where a problem is: the cell as read (the zod input, once a warn-only value is dropped from it). */
    const where = (column: string, row: number, cells: RawCell[], input?: Record<string, RawCell>) => {
      const index = header.get(column);
      const value = input ? input[column] : index === undefined ? undefined : cells[index];
      return { row, column, column_letter: index === undefined ? undefined : columnLetter(index), value: rawText(value) };
    };

    raw.rows.forEach((cells, i) => {
      if (isBlankRow(cells)) return;
      stats.read++;
      const rowNumber = i + 2;
      // Most rows read cleanly; a row with any problem is parsed again by the whole zod schema,
      // which reports each problem in column order.
      let parsed = readClean(cells);
      let input: Record<string, RawCell> | undefined;
      if (!parsed) {
        input = Object.fromEntries(columns.map((c) => [c.name, c.index === undefined ? undefined : cells[c.index]]));
        parsed = schema.safeParse(input);
      }

      // A bad value in a warn-only column (an invalid email) is reported and the row kept without it.
      if (!parsed.success && input) {
        const soft = parsed.error.issues.filter((issue) => warnOnly.has(String(issue.path[0])));
        if (soft.length > 0) {
          for (const issue of soft) {
            const column = String(issue.path[0]);
            report({ severity: 'warning', ...where(column, rowNumber, cells, input), message: issue.message });
            input[column] = undefined;
          }
          parsed = schema.safeParse(input);
        }
      }
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? columns[0].name);
          report({ severity: 'error', ...where(column, rowNumber, cells, input), message: issue.message });
        }
        stats.errors++;
        return;
      }
      const row = { ...(parsed.data as object), row: rowNumber } as Row<typeof tabName>;
      const rowProblems = checkRow(tabName, row as unknown as Record<string, unknown>, byId, settings);
      if (idColumn) {
        const id = (row as unknown as Record<string, string>)[idColumn];
        if (seen.has(id)) rowProblems.push({ severity: 'error', column: idColumn, message: `the ${idColumn} ${id} is used by an earlier row; ids must be unique: give this row its own id (the first row with it is kept)` });
        seen.add(id);
      }
      for (const p of rowProblems) report({ ...where(p.column, rowNumber, cells, input), severity: p.severity, message: p.message });
      if (rowProblems.some((p) => p.severity === 'error')) {
        stats.errors++;
        return;
      }
      rows.push(row);
      stats.kept++;
    });
    if (idColumn) byId.set(tabName, new Map(rows.map((r) => [(r as unknown as Record<string, string>)[idColumn], r as unknown as Record<string, unknown>])));
  }
  return { dataset, problems, summary };
}

type RowProblem = { severity: Severity; column: string; message: string };

/** Checks that need other tabs: references to rows that exist (and were kept). */
function checkRow(tab: RowTabName, row: Record<string, unknown>, byId: Map<RowTabName, Map<string, Record<string, unknown>>>, settings: Settings): RowProblem[] {
  const out: RowProblem[] = [];
  const mustExist = (column: string, target: RowTabName) => {
    const value = row[column] as string | undefined;
    if (value === undefined) return;
    if (!byId.get(target)?.has(value)) {
      out.push({ severity: 'error', column, message: `${column} ${value} is not in the ${target} tab (or its row there has errors): add it there, or correct this id` });
    }
  };
  switch (tab) {
    case 'contacts':
      out.push(...regionProblems(row as Whereabouts, settings.default_country));
      break;
    case 'donations':
      mustExist('contact_id', 'contacts');
      mustExist('recurring_id', 'recurring');
      {
        const plan = row.recurring_id ? byId.get('recurring')?.get(row.recurring_id as string) : undefined;
        if (plan && plan.contact_id !== row.contact_id) {
          out.push({ severity: 'warning', column: 'recurring_id', message: `recurring plan ${row.recurring_id as string} belongs to contact ${plan.contact_id as string}, not ${row.contact_id as string}: check which is right` });
        }
      }
      break;
    case 'recurring':
      mustExist('contact_id', 'contacts');
      break;
    case 'participants':
      mustExist('event_id', 'events');
      mustExist('contact_id', 'contacts');
      break;
    case 'stories':
      mustExist('mailing_id', 'mailings');
      break;
  }
  return out;
}

/** The settings tab is key/value rows; a bad value is reported and its default used. */
function readSettings(raw: RawTab | undefined, add: (p: Problem) => void): Settings {
  const values: Record<string, string> = {};
  if (raw) {
    const header = raw.header.map((h) => normalizeName(rawText(h)));
    const [keyCol, valueCol] = [header.indexOf('key'), header.indexOf('value')];
    if (keyCol < 0 || valueCol < 0) {
      throw new FatalSourceError(`the tab "${raw.name}" needs the columns key and value in row 1`);
    }
    raw.rows.forEach((cells, i) => {
      const key = normalizeName(rawText(cells[keyCol]));
      if (!key) return;
      const value = rawText(cells[valueCol]).trim();
      const where = { tab: raw.name, row: i + 2, column: 'value', column_letter: columnLetter(valueCol), value };
      const field = (settingsSchema.shape as Record<string, z.ZodType>)[key];
      if (!field) {
        add({ ...where, column: 'key', column_letter: columnLetter(keyCol), value: key, severity: 'warning', message: `unknown setting "${key}" is ignored: check its spelling (known settings: ${Object.keys(settingsSchema.shape).join(', ')})` });
        return;
      }
      if (value === '') return;
      const check = field.safeParse(value);
      if (!check.success) {
        add({ ...where, severity: 'error', message: `${key}: ${check.error.issues[0].message}; the default is used until this is fixed` });
        return;
      }
      values[key] = value;
    });
  }
  return settingsSchema.parse(values);
}
