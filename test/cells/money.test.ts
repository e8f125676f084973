import { describe, expect, it } from 'vitest';
import { formatMoney, readAmount } from '../../sync/cells/money.ts';

describe('readAmount: money as staff type it, kept as exact minor units', () => {
  it.each([
    ['1000', 100000], ['1,000', 100000], ['NT$1,000', 100000], ['NT$ 1,000', 100000], ['$1,000.50', 100050],
    ['１，０００', 100000], ['1000元', 100000], ['1,000 元', 100000], ['TWD 500', 50000], ['500 NTD', 50000],
    ['US$20', 2000], ['0.1', 10], ['12.34', 1234], ['1,234,567.89', 123456789],
  ])('%s is %i minor units', (raw, minor) => {
    expect(readAmount(raw)).toEqual({ ok: true, value: minor });
  });

  it('reads numbers from Google Sheets without float drift', () => {
    expect(readAmount(1000)).toEqual({ ok: true, value: 100000 });
    expect(readAmount(0.1 + 0.2)).toEqual({ ok: false, message: expect.stringMatching(/more than two decimals|not an amount/) });
    expect(readAmount(1000.5)).toEqual({ ok: true, value: 100050 });
  });

  it('sums of minor units are exact where float sums are not', () => {
    const tenCents = readAmount('0.10');
    expect(tenCents.ok && (tenCents.value ?? 0) * 3).toBe(30);
  });

  it('refuses zero and negative amounts, explaining refunds', () => {
    const zero = readAmount('0');
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.message).toMatch(/zero/);
    const negative = readAmount('-500');
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.message).toMatch(/status refunded/);
    expect(readAmount('(500)').ok).toBe(false);
  });

  it('refuses what is not an amount', () => {
    for (const raw of ['abc', '1.234', '12,34,5x', true]) expect(readAmount(raw).ok).toBe(false);
  });

  it('leaves a blank cell blank', () => {
    expect(readAmount('')).toEqual({ ok: true, value: undefined });
  });

  it('formats minor units for people', () => {
    expect(formatMoney(100000, 'TWD', 'en')).toMatch(/1,000(?!\.)/);
    expect(formatMoney(100050, 'USD', 'en')).toBe('$1,000.50');
  });
});
