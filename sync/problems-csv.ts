import { join } from 'node:path';
import { privateFolder, writeCsv } from './output.ts';
import type { Problem } from './problems.ts';

export const PROBLEM_COLUMNS: (keyof Problem)[] = ['severity', 'tab', 'row', 'column', 'column_letter', 'value', 'message', 'link'];

/** <out>/private/problems.csv: every problem of a run, for staff to work through. */
export async function writeProblems(out: string, problems: Problem[]): Promise<string> {
  const path = join(await privateFolder(out), 'problems.csv');
  await writeCsv(path, PROBLEM_COLUMNS, problems as unknown as Record<string, unknown>[]);
  return path;
}
