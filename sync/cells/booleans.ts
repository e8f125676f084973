import { type CellResult, type RawCell, fail, isBlank, normalizeWidth, ok } from './result.ts';

const YES = ['yes', 'y', 'true', '1', '是', '有', '要', '同意', '✓', '✔', '☑', 'v', 'x', 'on', 'checked'];
const NO = ['no', 'n', 'false', '0', '否', '無', '不', '不要', '不同意', '✗', '☐', 'off'];

/** Yes/no columns: yes/no, y/n, true/false, 1/0, 是/否, ✓, x (a mark in a box); blank = no. */
export function readBoolean(raw: RawCell): CellResult<boolean> {
  if (isBlank(raw)) return ok(false);
  if (typeof raw === 'boolean') return ok(raw);
  const key = normalizeWidth(String(raw)).trim().toLowerCase();
  if (YES.includes(key)) return ok(true);
  if (NO.includes(key)) return ok(false);
  return fail(`"${raw}" is not yes or no: write yes/no, y/n, true/false, 1/0, 是/否, ✓ or x (blank means no)`);
}
