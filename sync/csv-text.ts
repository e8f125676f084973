/**
 * CSV text exactly as csv-stringify writes it with its default options, without its per-field
 * option handling, which took most of the time of writing a large sheet's 200,000 segment rows:
 * a value cast to text (numbers as String does, booleans as 1 or empty, null and undefined
 * empty), quoted only when it holds a quote, a comma or a line break, quotes doubled, every record
 * ended by "\n", after a byte-order mark when `bom`. test/sync/csv-text.test.ts holds it to
 * csv-stringify's output for every kind of value.
 *
 * Every file written with it is meant to be opened in Excel or Google Sheets, so text that a
 * spreadsheet would run as a formula is neutralised (see neutralise). The files Tidings reads back
 * (a CSV source, backups, the sample) are written with csv-stringify itself and keep data as is.
 */
export function csvText(records: readonly (readonly unknown[])[], bom: boolean): string {
  let text = bom ? '\ufeff' : '';
  for (const record of records) {
    for (let i = 0; i < record.length; i++) {
      if (i) text += ',';
      text += csvField(record[i]);
    }
    text += '\n';
  }
  return text;
}

const NEEDS_QUOTES = /[",\n\r]/;

function csvField(value: unknown): string {
  const text = typeof value === 'string' ? value
    : typeof value === 'number' || typeof value === 'bigint' ? String(value)
    : typeof value === 'boolean' ? (value ? '1' : '')
    : value === null || value === undefined ? ''
    : value instanceof Date ? String(value.getTime())
    : JSON.stringify(value);
  const safe = typeof value === 'string' ? neutralise(text) : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

// OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection) and ASVS 1.2.10:
// a cell starting with = + - @ tab CR (or NUL) is read as a formula; a leading ' makes it text.
const FORMULA_START = /^[=+\-@\t\r\0]/;
// A plain signed number (-1200, -3.5, +886912345678 as a phone is written) cannot call anything,
// and a ' would make an export's amounts and phones text that platforms reject; numbers written as
// numbers (typeof number) are never touched.
const PLAIN_NUMBER = /^[+-]\d+(?:\.\d+)?$/;

/** Text a spreadsheet would run as a formula, with a leading ' so it reads as text. */
function neutralise(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
