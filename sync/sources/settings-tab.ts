import type { z } from 'zod';
import { FatalSourceError, type Problem, columnLetter, rawText } from '../problems.ts';
import { type Settings, settingsSchema } from '../schema/settings.ts';
import { type RawTab, normalizeName } from './source.ts';

/** The settings tab is key/value rows; a bad value is reported and its default used. */
export function readSettings(raw: RawTab | undefined, add: (p: Problem) => void): Settings {
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
