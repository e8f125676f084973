import { describe, expect, it } from 'vitest';
import { readBoolean } from '../../sync/cells/booleans.ts';
import { DONATION_STATUS, FREQUENCY, PARTICIPANT_STATUS, RECURRING_STATUS, enumReader, enumReaderWithDefault } from '../../sync/cells/enums.ts';
import { readCode, readEmail, readList, readUrl } from '../../sync/cells/text.ts';
import { isBlank } from '../../sync/cells/result.ts';

describe('readBoolean', () => {
  it.each(['yes', 'Y', 'TRUE', 'true', '1', '是', '✓', 'x', 'X', true])('%s is yes', (raw) => {
    expect(readBoolean(raw)).toEqual({ ok: true, value: true });
  });
  it.each(['no', 'N', 'false', '0', '否', '', '  ', null, false])('%s is no', (raw) => {
    expect(readBoolean(raw)).toEqual({ ok: true, value: false });
  });
  it('says which values are allowed for anything else', () => {
    const r = readBoolean('maybe');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/yes\/no.*是\/否/);
  });
});

describe('enumerations', () => {
  const status = enumReaderWithDefault(DONATION_STATUS);
  it('reads case-insensitively, with variants and zh-TW words', () => {
    expect(status('Completed')).toEqual({ ok: true, value: 'completed' });
    expect(status('已完成')).toEqual({ ok: true, value: 'completed' });
    expect(status('失敗')).toEqual({ ok: true, value: 'failed' });
    expect(status('取消')).toEqual({ ok: true, value: 'cancelled' });
    expect(status('Canceled')).toEqual({ ok: true, value: 'cancelled' });
    expect(status('退款')).toEqual({ ok: true, value: 'refunded' });
    expect(enumReader(RECURRING_STATUS)('進行中')).toEqual({ ok: true, value: 'in_progress' });
    expect(enumReader(RECURRING_STATUS)('In Progress')).toEqual({ ok: true, value: 'in_progress' });
    expect(enumReader(RECURRING_STATUS)('in-progress')).toEqual({ ok: true, value: 'in_progress' });
    expect(enumReader(PARTICIPANT_STATUS)('No Show')).toEqual({ ok: true, value: 'no_show' });
  });
  it('uses the documented default for a blank cell', () => {
    expect(status('')).toEqual({ ok: true, value: 'completed' });
    expect(enumReaderWithDefault(FREQUENCY)(undefined)).toEqual({ ok: true, value: 'monthly' });
    expect(enumReader(RECURRING_STATUS)('')).toEqual({ ok: true, value: undefined });
  });
  it('lists the allowed values for anything else', () => {
    expect(status('done-ish')).toEqual({ ok: false, message: '"done-ish" is not one of the allowed values: completed, pending, failed, cancelled, refunded' });
  });
});

describe('text cells', () => {
  it('keeps phones and postal codes as text so leading zeros survive', () => {
    expect(readCode('0912345678')).toEqual({ ok: true, value: '0912345678' });
    expect(readCode(' 010 ')).toEqual({ ok: true, value: '010' });
  });
  it('trims emails and rejects invalid ones with a message', () => {
    expect(readEmail('  amy@example.org ')).toEqual({ ok: true, value: 'amy@example.org' });
    expect(readEmail('amy@@example').ok).toBe(false);
  });
  it('splits tags on commas, semicolons and 、', () => {
    expect(readList('volunteer, 月捐者、board;  ')).toEqual({ ok: true, value: ['volunteer', '月捐者', 'board'] });
  });
  it('accepts only web addresses as URLs', () => {
    expect(readUrl('https://example.org/x').ok).toBe(true);
    expect(readUrl('javascript:alert(1)').ok).toBe(false);
  });
});

describe('blank cells', () => {
  it('are empty, missing, or only spaces of any kind (ASCII, full-width, tabs, line breaks)', () => {
    for (const blank of [undefined, null, '', ' ', '   ', '\t', '\n', '\u3000', ' \u3000 ', '\u00a0']) expect(isBlank(blank), JSON.stringify(blank)).toBe(true);
    for (const filled of ['a', ' a', '\u3000甲', '0', '-', '~', '!', 0, false, true, '　1　', '\u00a0x']) expect(isBlank(filled), JSON.stringify(filled)).toBe(false);
  });
});
