import type { Problem } from './problems.ts';

/**
 * Google Sheets holds at most 10,000,000 cells per spreadsheet, counting every cell of every
 * tab's grid, blank ones included ("Files you can store in Google Drive": "Up to 10 million
 * cells or 18,278 columns for spreadsheets that are created in or converted to Google Sheets").
 * Past it every write that grows the grid fails, the send log's first append included.
 */
export const SHEETS_CELL_LIMIT = 10_000_000;

/** The shares of the limit at which sync warns: time to compact, then high time. */
export const BUDGET_WARNINGS = [0.7, 0.9] as const;

/** The highest warning level the grid has passed (0.7 or 0.9), or undefined below 70%. */
export function budgetLevel(cells: number, limit = SHEETS_CELL_LIMIT): number | undefined {
  return BUDGET_WARNINGS.filter((level) => cells >= level * limit).at(-1);
}

const percent = (cells: number, limit: number) => `${((100 * cells) / limit).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString('en-US');

/** The line sync prints: the grid's size against the limit, and what to do once it is high. */
export function budgetLine(cells: number, limit = SHEETS_CELL_LIMIT): string {
  const level = budgetLevel(cells, limit);
  const head = `cells: ${count(cells)} of ${count(limit)} (${percent(cells, limit)})`;
  return level === undefined ? head : `${head}: past ${level * 100}%, run \`tidings compact\` (README, The cell budget)`;
}

/** The warning problem sync reports once the grid passes 70% (again, more urgently, past 90%). */
export function budgetProblem(cells: number, limit = SHEETS_CELL_LIMIT): Problem | undefined {
  const level = budgetLevel(cells, limit);
  if (level === undefined) return undefined;
  const urgency = level >= 0.9 ? 'Do it now: at the limit every send fails at its first write.' : 'Plan to do it soon.';
  return {
    severity: 'warning', tab: '(spreadsheet)', value: `${count(cells)} cells`,
    message: `the spreadsheet's grid holds ${count(cells)} cells, ${percent(cells, limit)} of Google Sheets' limit of ${count(limit)} (blank cells count too). ${urgency} Run \`npm run tidings -- compact\` on a computer that keeps its archive/ folder: it moves the tracking rows of old mailings out of email_events into a gzipped archive and keeps their statistics; also delete blank rows and columns staff added below or beside the data`,
  };
}

/** Monthly sending, for projecting the grid's size. */
export interface BudgetPlan {
  /** Cells of every other tab (contacts, donations, …), assumed steady. */
  baseCells: number;
  /** Columns of email_events. */
  sendLogColumns: number;
  /** Messages sent each month (one email_events row each). */
  recipientsPerMonth: number;
  months: number;
  /** What compaction keeps: the rows of this many latest months (undefined: never compacts). */
  keepMonths?: number;
  /** When compaction runs, seeing the grid sync reports after the month's send (default: every month). */
  compactWhen?: (cells: number) => boolean;
  /** Columns of a _mailing_stats row; new _suppressions rows (3 columns) per month. */
  statsColumns: number;
  suppressionsPerMonth: number;
}

export interface BudgetMonth {
  month: number;
  /** The grid as the sync after the month's send sees it (what warnings are about). */
  cells: number;
  /** The grid after that month's compaction, if it ran. */
  after: number;
  compacted: boolean;
}

/**
 * The grid's size month by month: header rows, the send log rows kept, a stats row per compacted
 * mailing, the suppression rows. Pure arithmetic on grid sizes sized as Tidings sizes them (no
 * blank columns, one blank row), so ten years of a 20,000-person list are checked without 2.4 million rows.
 */
export function projectCells(plan: BudgetPlan): BudgetMonth[] {
  const out: BudgetMonth[] = [];
  // The header, the rows, and the blank row each tab is made with (Sheets cannot freeze every row of a
  // grid): appends insert rows above it (INSERT_ROWS), so it stays, below the table.
  const table = (rows: number, columns: number) => (rows > 0 ? (2 + rows) * columns : 0);
  let kept = 0;
  let compactedMonths = 0;
  let suppressions = 0;
  const size = () => plan.baseCells + table(kept * plan.recipientsPerMonth, plan.sendLogColumns)
    + table(compactedMonths, plan.statsColumns) + table(suppressions, 3);
  for (let month = 1; month <= plan.months; month++) {
    kept++;
    const cells = size();
    const compacted = plan.keepMonths !== undefined && kept > plan.keepMonths && (plan.compactWhen?.(cells) ?? true);
    if (compacted) {
      compactedMonths += kept - plan.keepMonths!;
      suppressions += (kept - plan.keepMonths!) * plan.suppressionsPerMonth;
      kept = plan.keepMonths!;
    }
    out.push({ month, cells, after: size(), compacted });
  }
  return out;
}
