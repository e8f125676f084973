/** A raw cell as a source hands it over: CSV gives text, Google Sheets may give numbers and booleans. */
export type RawCell = string | number | boolean | null | undefined;

/** What reading one cell gives: a value, or a message telling staff what to fix. */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

// Blank cells are most of a sheet: they share one result instead of each allocating its own.
const BLANK: CellResult<undefined> = { ok: true, value: undefined };
export const ok = <T>(value: T): CellResult<T> => (value === undefined ? (BLANK as CellResult<T>) : { ok: true, value });
export const fail = (message: string): CellResult<never> => ({ ok: false, message });

/** Full-width digits and punctuation (１，０００ / 2024／1／5) read as their ASCII forms. */
export function normalizeWidth(text: string): string {
  // ASCII is already in NFKC form, and most cells are ASCII: skip the costly normalize.
  return ASCII.test(text) ? text : text.normalize('NFKC');
}

const ASCII = /^[\x00-\x7f]*$/;

export function isBlank(raw: RawCell): boolean {
  if (typeof raw !== 'string') return raw === null || raw === undefined;
  // Most cells start with a visible ASCII character: no need to trim them to know they hold something.
  const first = raw.charCodeAt(0);
  return !(first > 32 && first < 127) && raw.trim() === '';
}

/** Text of a cell, trimmed; numbers from Sheets become their plain decimal text. */
export function cellText(raw: RawCell): string {
  if (raw === null || raw === undefined) return '';
  return String(raw).trim();
}
