import { z } from 'zod';
import { MAX_ID_LENGTH, idProblem } from './id-rule.ts';
import { type CellResult, type RawCell, cellText, fail, isBlank, normalizeWidth, ok } from './result.ts';

export function readText(raw: RawCell): CellResult<string | undefined> {
  const text = cellText(raw);
  return ok(text === '' ? undefined : text);
}

/** Phones and postal codes stay text, so leading zeros survive. */
export const readCode = readText;

const emailCheck = z.email();

export function readEmail(raw: RawCell): CellResult<string | undefined> {
  if (isBlank(raw)) return ok(undefined);
  const text = normalizeWidth(cellText(raw)).replace(/^mailto:/i, '');
  return emailCheck.safeParse(text).success
    ? ok(text)
    : fail(`"${raw}" is not a valid email address; the contact is kept without it: correct it to name@example.org`);
}

/** Tags are separated by commas, semicolons or 、 (as zh-TW lists are written). */
export function readList(raw: RawCell): CellResult<string[]> {
  return ok(
    cellText(raw)
      .split(/[,;，；、\n]/)
      .map((t) => t.trim())
      .filter(Boolean),
  );
}

export function readWholeNumber(raw: RawCell): CellResult<number | undefined> {
  if (isBlank(raw)) return ok(undefined);
  const text = normalizeWidth(cellText(raw)).replace(/,/g, '');
  if (!/^\d+$/.test(text)) return fail(`"${raw}" is not a whole number: write it as 12`);
  return ok(Number(text));
}

export function readNumber(raw: RawCell): CellResult<number | undefined> {
  if (isBlank(raw)) return ok(undefined);
  if (typeof raw === 'number') return ok(raw);
  const text = normalizeWidth(cellText(raw)).replace(/,/g, '').replace(/%$/, '');
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? ok(n) : fail(`"${raw}" is not a number: write it as 1200 or 3.5`);
}

// Plain http is for trying a site or a form out on this machine; anything else public must be
// https. javascript:, data:, file: and the rest never reach a page, an email or a form's action.
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether text is a full web address a page or an email may point to: https, or http on this machine. */
export function isWebAddress(text: string): boolean {
  const url = URL.parse(text);
  return !!url && (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)));
}

export function readUrl(raw: RawCell): CellResult<string | undefined> {
  if (isBlank(raw)) return ok(undefined);
  const text = cellText(raw);
  return isWebAddress(text) ? ok(text) : fail(`"${raw}" is not a secure web address: write it in full, starting with https://; the row is kept without it`);
}

/** Ids are trimmed; a Sheets number id (1001) reads as the text "1001". */
export function readId(raw: RawCell): CellResult<string | undefined> {
  return readText(raw);
}

const shown = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);

/** A record's own id (contact_id, donation_id, mailing_id…): readId, and it must pass idProblem. */
export function readKey(raw: RawCell): CellResult<string | undefined> {
  const text = readId(raw);
  if (!text.ok || text.value === undefined) return text;
  const why = idProblem(text.value);
  return why ? fail(`"${shown(text.value)}" cannot be an id: ${why}. Ids name files and web pages: use letters (any language), digits, - _ and ., at most ${MAX_ID_LENGTH} characters, e.g. C0001 or 電子報-2024-06`) : text;
}

// Unicode's control characters (Cc): C0, DEL and C1, spelled out (faster than \p{Cc} on every receipt number).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A receipt number as typed: any text (2024/25-00001, 收字第 12 號) but short and without control characters. */
export function readReceiptNo(raw: RawCell): CellResult<string | undefined> {
  const text = readText(raw);
  if (!text.ok || text.value === undefined) return text;
  if (text.value.length > MAX_ID_LENGTH) return fail(`a receipt number of ${text.value.length} characters is not a receipt number: at most ${MAX_ID_LENGTH}; clear the cell and Tidings assigns one`);
  if (CONTROL.test(text.value)) return fail(`"${shown(text.value)}" holds a control character (a line break or tab): retype the receipt number`);
  return text;
}
