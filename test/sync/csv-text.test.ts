import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../sync/csv-text.ts';

// Values of every kind a row may hold, and text with what needs quoting where it can be.
const VALUES: unknown[] = [
  '', 'plain', '中文 名字', ' spaced ', 'a,b', 'say "hi"', '"', ',', '""', 'line\nbreak', 'cr\rhere', 'crlf\r\n', '\n', '=1+2', '-3', "it's", '\ufeffbom',
  0, -0, 1, -1.5, 1e21, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 10n, true, false, null, undefined, new Date(Date.UTC(2024, 4, 1)), { a: 1, b: 'x,y' }, ['a', 'b'],
];

describe('csvText', () => {
  it('writes what csv-stringify writes with its defaults, with and without a byte-order mark', () => {
    const records = [
      ['id', 'name', 'reason'],
      ...VALUES.map((v, i) => [v, VALUES[(i * 7 + 3) % VALUES.length], `${i}`]),
      ...VALUES.map((v) => [v]),
      VALUES,
      [],
    ];
    for (const bom of [true, false]) {
      expect(csvText(records, bom)).toBe(stringify(records, { bom }));
      expect(csvText([], bom)).toBe(stringify([], { bom }));
    }
  });
});
