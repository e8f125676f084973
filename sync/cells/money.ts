import { type CellResult, type RawCell, fail, isBlank, normalizeWidth, ok } from './result.ts';

/**
 * Money is kept exact as integer minor units (hundredths): 1,000.50 → 100050. Sums are integer
 * sums; amounts in different currencies are never added together.
 */
export type Minor = number;

const HINT = 'write a positive amount such as 1000, 1,000, NT$1,000 or 1000.50';
// Currency marks staff put around amounts: NT$1,000, US$ 20, 1000元, TWD 500, 500 NTD.
const PREFIX = /^(?:(?:NT|US|HK|A|C|S)?\$|NTD|TWD|USD|[A-Z]{3}(?=\s|\d)|¥|€|£)\s*/i;
const SUFFIX = /\s*(?:元|圓|塊|NTD|TWD|[A-Z]{3})$/i;

// Most cells hold a plain whole amount (1000): read it without the general clean-up below.
const PLAIN = /^[1-9]\d{0,12}$/;

export function readAmount(raw: RawCell): CellResult<Minor | undefined> {
  if (typeof raw === 'string' && PLAIN.test(raw)) return ok(Number(raw) * 100);
  if (isBlank(raw)) return ok(undefined);
  if (typeof raw === 'boolean') return fail(`${raw} is not an amount: ${HINT}`);
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(`${raw} is not an amount: ${HINT}`);
    text = String(raw);
  } else {
    text = normalizeWidth(String(raw)).trim().replace(PREFIX, '').replace(SUFFIX, '').replace(/[,\s]/g, '');
    text = text.replace(/^\((.*)\)$/, '-$1'); // accounting negatives: (500)
  }
  const m = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) {
    if (/^[+-]?\d+\.\d{3,}$/.test(text)) return fail(`"${raw}" has more than two decimals: ${HINT}`);
    return fail(`"${raw}" is not an amount: ${HINT}`);
  }
  const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (m[1] === '-') return fail(`"${raw}" is negative: amounts are positive; record a refund as the gift's amount with status refunded`);
  if (minor === 0) return fail(`"${raw}" is zero: an amount must be more than 0 (leave the row out if nothing was given)`);
  return ok(minor);
}

// Building an Intl.NumberFormat costs far more than formatting with one, and segments format
// hundreds of thousands of amounts: keep one per (locale, currency, whole or not).
const formats = new Map<string, Intl.NumberFormat>();

/** Format minor units for people, in the locale's style (NT$1,000 / $1,000.50). */
export function formatMoney(minor: Minor, currency: string, locale = 'zh-TW'): string {
  const whole = minor % 100 === 0;
  const key = `${locale} ${currency} ${whole}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2,
    });
    formats.set(key, format);
  }
  return format.format(minor / 100);
}
