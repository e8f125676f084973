import { budgetLevel, budgetLine, budgetProblem } from '../../sync/cell-budget.ts';
import { FatalSourceError } from '../../sync/problems.ts';
import { SourceError } from '../../sync/sources/source.ts';
import type { Source } from '../../sync/sources/source.ts';
import { type Synced, loadDataset } from '../../sync/load.ts';
import { type Check, ok } from './check.ts';

export interface SheetFindings {
  checks: Check[];
  /** The validated data, when it could be read (the other checks need its settings). */
  synced?: Synced;
}

/**
 * The source's errors read "cannot <what>: <what is wrong>: <what to do>" (sync/sources/sheets-client.ts
 * tells each 403 apart: not shared, scope missing, API not enabled): split into detail and fix.
 */
function fromSourceError(title: string, message: string): Check {
  const parts = message.split(': ');
  if (parts.length > 2 && parts[0].startsWith('cannot ')) parts.shift();
  const [wrong, ...todo] = parts;
  return { status: 'fail', title, detail: wrong, fix: todo.length > 0 ? todo.join(': ') : 'see the README, "Google Sheets", for each step of the setup' };
}

/** Reads the whole source as sync does: access, then tabs and columns, then the grid against the cell limit. */
export async function checkSheet(open: () => Promise<Source>, asOf?: string): Promise<SheetFindings> {
  const access = 'Sheet access';
  const tabs = 'Tabs and columns';
  const budget = 'Cell budget';
  const skipped = (title: string): Check => ({ status: 'skip', title, detail: 'not checked: the data could not be read', fix: '' });
  let source: Source;
  let synced: Synced;
  try {
    source = await open();
    synced = await loadDataset(source, asOf);
  } catch (error) {
    if (error instanceof FatalSourceError) {
      return { checks: [ok(access, 'the data can be read'), { status: 'fail', title: tabs, detail: error.message, fix: 'add the tab or column named (row 1 holds the column names; `tidings init-sheet` lays out a new sheet); see the README, "The data model"' }, skipped(budget)] };
    }
    if (error instanceof SourceError) return { checks: [fromSourceError(access, error.message), skipped(tabs), skipped(budget)] };
    throw error;
  }
  const checks: Check[] = [ok(access, `${source.label} can be read`)];
  const errors = synced.problems.filter((p) => p.severity === 'error').length;
  checks.push(errors === 0
    ? ok(tabs, 'every tab and column Tidings needs is there, and no row has an error')
    : { status: 'warn', title: tabs, detail: `every tab and column is there; ${errors} ${errors === 1 ? 'cell has' : 'cells have'} an error (a row with one is left out, a setting with one uses its default)`, fix: 'run `tidings sync` and correct the rows listed in the _problems tab (or out/private/problems.csv)' });
  const cells = source.gridCells?.();
  if (cells === undefined) checks.push({ status: 'skip', title: budget, detail: 'this source has no cell limit (only a Google Sheet has one)', fix: '' });
  else {
    const level = budgetLevel(cells);
    // Past 90% the next months of sending meet the limit, and then every send fails at its first write.
    checks.push(level === undefined ? ok(budget, budgetLine(cells)) : { status: level >= 0.9 ? 'fail' : 'warn', title: budget, detail: budgetLine(cells), fix: budgetProblem(cells)!.message });
  }
  return { checks, synced };
}
