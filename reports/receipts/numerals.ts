import type { Minor } from '../../sync/cells/money.ts';

/**
 * Chinese financial numerals (大寫金額) as written on Taiwanese receipts and cheques:
 * 120000 minor units of TWD → 新臺幣壹仟貳佰元整. The capital forms exist so a figure cannot be
 * altered by adding strokes; the rules are the ones banks use:
 * - every digit is followed by its place (拾 佰 仟) and every non-zero 4-digit group by 萬 億 兆;
 *   a leading 1 is written 壹拾, never plain 拾;
 * - a run of zeros between two non-zero digits is written once as 零, also across group
 *   boundaries (100,100 → 壹拾萬零壹佰); trailing zeros are not written;
 * - 元 ends the whole part; 整 closes an amount with no 分 (壹佰元整, 壹佰元伍角整);
 *   cents are 角 (tenths) and 分 (hundredths), with 零 for a missing 角 (壹佰元零伍分).
 */
const DIGITS = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];
const GROUPS = ['', '萬', '億', '兆'];

/** What the currency is called in front of the amount; other codes are written as the code. */
const CURRENCY_NAMES: Record<string, string> = {
  TWD: '新臺幣', USD: '美元', HKD: '港幣', CNY: '人民幣', JPY: '日圓', EUR: '歐元', GBP: '英鎊',
};

/** The whole part in capital numerals, without 元: 1001 → 壹仟零壹. */
export function chineseInteger(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${n} is not a whole amount that can be written in numerals`);
  if (n === 0) return DIGITS[0];
  const digits = String(n);
  if (digits.length > GROUPS.length * 4) throw new RangeError(`${n} is too large to write in numerals`);
  let out = '';
  let zeroPending = false;
  for (let i = 0; i < digits.length; i++) {
    const position = digits.length - 1 - i; // 0 = ones
    const digit = Number(digits[i]);
    if (digit === 0) {
      zeroPending = out !== '';
    } else {
      if (zeroPending) out += DIGITS[0];
      out += DIGITS[digit] + PLACES[position % 4];
      zeroPending = false;
    }
    const groupEnds = position % 4 === 0 && position > 0;
    if (groupEnds && Number(digits.slice(Math.max(0, i - 3), i + 1)) > 0) out += GROUPS[position / 4];
  }
  return out;
}

/** An amount in minor units (hundredths) as written on a receipt: 新臺幣壹仟貳佰元整. */
export function chineseAmount(minor: Minor, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`${minor} is not an amount in minor units`);
  const whole = Math.floor(minor / 100);
  const jiao = Math.floor((minor % 100) / 10);
  const fen = minor % 10;
  let text = CURRENCY_NAMES[currency] ?? currency;
  if (whole > 0 || minor === 0) text += `${chineseInteger(whole)}元`;
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  else if (fen > 0 && whole > 0) text += DIGITS[0];
  if (fen > 0) text += `${DIGITS[fen]}分`;
  else text += '整';
  return text;
}
