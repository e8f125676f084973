/**
 * CSV text exactly as csv-stringify writes it with its default options, without its per-field
 * option handling, which took most of the time of writing a large sheet's 200,000 segment rows:
 * a value cast to text (numbers as String does, booleans as 1 or empty, null and undefined
 * empty), quoted only when it holds a quote, a comma or a line break, quotes doubled, every record
 * ended by "\n", after a byte-order mark when `bom`. test/sync/csv-text.test.ts holds it to
 * csv-stringify's output for every kind of value.
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
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
