import { describe, expect, it } from 'vitest';
import { chineseAmount } from '../../reports/receipts/numerals.ts';

// Amounts are minor units (hundredths): NT$1 = 100. Each expected text is written out by hand
// from the cheque-writing rules (digit + place, one 零 per run of zeros, 萬/億 per group, 元…整).
const twd = (dollars: number) => chineseAmount(dollars * 100, 'TWD');

describe('Chinese financial numerals (大寫金額)', () => {
  it('writes the textbook cases', () => {
    expect(twd(0)).toBe('新臺幣零元整');
    expect(twd(10)).toBe('新臺幣壹拾元整'); // a leading 1 keeps its 壹: never plain 拾
    expect(twd(1_001)).toBe('新臺幣壹仟零壹元整'); // two zeros in between: one 零
    expect(twd(1_200)).toBe('新臺幣壹仟貳佰元整'); // trailing zeros are not written
    expect(twd(10_000)).toBe('新臺幣壹萬元整');
    expect(twd(100_000_000)).toBe('新臺幣壹億元整'); // empty 萬 group: no 萬
  });

  it('writes one 零 for zeros that cross a 萬/億 group boundary', () => {
    expect(twd(110)).toBe('新臺幣壹佰壹拾元整');
    expect(twd(10_010)).toBe('新臺幣壹萬零壹拾元整'); // 1|0010
    expect(twd(100_100)).toBe('新臺幣壹拾萬零壹佰元整'); // 10|0100
    expect(twd(1_000_001)).toBe('新臺幣壹佰萬零壹元整'); // 100|0001
    expect(twd(100_000_001)).toBe('新臺幣壹億零壹元整'); // 1|0000|0001: a whole empty group is still one 零
    expect(twd(100_010_000)).toBe('新臺幣壹億零壹萬元整'); // 1|0001|0000
    expect(twd(2_030_405)).toBe('新臺幣貳佰零參萬零肆佰零伍元整'); // 203|0405
    expect(twd(99_999)).toBe('新臺幣玖萬玖仟玖佰玖拾玖元整');
  });

  it('writes cents as 角 and 分 (整 only when there is no 分)', () => {
    expect(chineseAmount(120_050, 'TWD')).toBe('新臺幣壹仟貳佰元伍角整');
    expect(chineseAmount(10_005, 'TWD')).toBe('新臺幣壹佰元零伍分');
    expect(chineseAmount(10_055, 'TWD')).toBe('新臺幣壹佰元伍角伍分');
    expect(chineseAmount(50, 'TWD')).toBe('新臺幣伍角整');
  });

  it('names other currencies and refuses what is not an amount', () => {
    expect(chineseAmount(2_000, 'USD')).toBe('美元貳拾元整');
    expect(chineseAmount(2_000, 'SGD')).toBe('SGD貳拾元整');
    expect(() => chineseAmount(-100, 'TWD')).toThrow(RangeError);
    expect(() => chineseAmount(100.5, 'TWD')).toThrow(RangeError);
  });
});
