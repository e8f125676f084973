import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import { readDate, readDateTime } from '../../sync/cells/dates.ts';

const TZ = 'Asia/Taipei';
const date = (raw: unknown) => readDate(raw as string, TZ);

describe('readDate: the ways staff type a date', () => {
  it.each([
    ['2024-01-05'], ['2024/1/5'], ['2024.1.5'], ['2024/01/05'], ['20240105'], [' 2024-1-5 '],
    ['民國113年1月5日'], ['113/1/5'], ['113.01.05'], ['113年1月5日'], ['２０２４／１／５'], ['１１３/１/５'],
  ])('%s is 2024-01-05', (raw) => {
    expect(date(raw)).toEqual({ ok: true, value: '2024-01-05' });
  });

  it('reads Google Sheets serial numbers, typed or as text (45296 = 2024-01-05)', () => {
    expect(date(45296)).toEqual({ ok: true, value: '2024-01-05' });
    expect(date(45296.75)).toEqual({ ok: true, value: '2024-01-05' });
    expect(date('45296')).toEqual({ ok: true, value: '2024-01-05' });
    expect(date(1)).toEqual({ ok: true, value: '1899-12-31' });
  });

  it('takes the date a date-time falls on in the org time zone', () => {
    // 20:00 UTC on the 4th is 04:00 on the 5th in Taipei.
    expect(date('2024-01-04T20:00:00Z')).toEqual({ ok: true, value: '2024-01-05' });
    expect(date('2024-01-05 09:30+08:00')).toEqual({ ok: true, value: '2024-01-05' });
    expect(readDate('2024-01-04T20:00:00Z', 'America/New_York')).toEqual({ ok: true, value: '2024-01-04' });
    // Without an offset the wall-clock date is already the org's.
    expect(date('2024-01-05 23:59')).toEqual({ ok: true, value: '2024-01-05' });
    expect(date('2024/1/5 8:05:09')).toEqual({ ok: true, value: '2024-01-05' });
  });

  it('leaves a blank cell blank', () => {
    for (const blank of ['', '   ', null, undefined]) expect(date(blank)).toEqual({ ok: true, value: undefined });
  });

  it.each([['2024-02-30'], ['2023-02-29'], ['2024-13-01'], ['next tuesday'], ['2024-01-05 25:00'], ['0']])(
    '%s is an error that says how to write a date',
    (raw) => {
      const result = date(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/write it as 2024-01-05/);
    },
  );

  it('accepts leap days only in leap years', () => {
    expect(date('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(date('113/2/29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(date('112/2/29').ok).toBe(false);
  });
});

describe('readDateTime', () => {
  it('reads the 12-hour clock Google Sheets and Excel show a form response in zh-TW (上午/下午) and English (AM/PM)', () => {
    expect(readDateTime('2026/12/3 下午 2:05:07', TZ)).toEqual({ ok: true, value: '2026-12-03T06:05:07.000Z' });
    expect(readDateTime('2026/12/3 上午 9:05:07', TZ)).toEqual({ ok: true, value: '2026-12-03T01:05:07.000Z' });
    expect(readDateTime('2026/12/3 上午 12:05', TZ)).toEqual({ ok: true, value: '2026-12-02T16:05:00.000Z' });
    expect(readDateTime('2026/12/3 下午 12:30', TZ)).toEqual({ ok: true, value: '2026-12-03T04:30:00.000Z' });
    expect(readDateTime('2026-12-03 2:05 PM', TZ)).toEqual({ ok: true, value: '2026-12-03T06:05:00.000Z' });
    expect(readDateTime('2026-12-03 13:05 PM', TZ).ok).toBe(false);
    expect(readDateTime('2026/12/3 下午 0:30', TZ).ok).toBe(false);
  });

  it('reads wall-clock times in the org time zone as instants', () => {
    expect(readDateTime('2024-01-05 11:00', TZ)).toEqual({ ok: true, value: '2024-01-05T03:00:00.000Z' });
    expect(readDateTime('2024-01-05', TZ)).toEqual({ ok: true, value: '2024-01-04T16:00:00.000Z' });
    expect(readDateTime('113/1/5 11:00', TZ)).toEqual({ ok: true, value: '2024-01-05T03:00:00.000Z' });
  });

  it('keeps explicit offsets', () => {
    expect(readDateTime('2024-01-05T03:00:00Z', TZ)).toEqual({ ok: true, value: '2024-01-05T03:00:00.000Z' });
    expect(readDateTime('2024-01-05T11:00:00+0800', TZ)).toEqual({ ok: true, value: '2024-01-05T03:00:00.000Z' });
  });

  it('reads Sheets serials with a time fraction in the org time zone', () => {
    expect(readDateTime(45296 + 11 / 24, TZ)).toEqual({ ok: true, value: '2024-01-05T03:00:00.000Z' });
  });

  it('rejects what is not a time', () => {
    expect(readDateTime('soon', TZ).ok).toBe(false);
    expect(readDateTime(true, TZ).ok).toBe(false);
  });
});

describe('readDateTime across time-zone transitions', () => {
  // Each wall-clock hour's offset is cached: every minute around DST changes (including the
  // half-hour shift of Lord Howe and a gap and an overlap) must still read as TZDate reads it.
  it.each([
    ['America/New_York', '2024-03-10'], ['America/New_York', '2024-11-03'], ['Europe/London', '2024-03-31'],
    ['Europe/London', '2024-10-27'], ['Australia/Lord_Howe', '2024-04-07'], ['Australia/Lord_Howe', '2024-10-06'],
    ['Asia/Taipei', '1979-07-01'], ['Asia/Taipei', '1979-10-01'],
  ])('%s on %s, minute by minute', (zone, day) => {
    const [y, m, d] = day.split('-').map(Number);
    for (let minute = 0; minute < 24 * 60; minute += 1) {
      const [h, min] = [Math.floor(minute / 60), minute % 60];
      const text = `${day} ${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}:17`;
      const expected = new Date(new TZDate(y, m - 1, d, h, min, 17, 0, zone).getTime()).toISOString();
      expect(readDateTime(text, zone), text).toEqual({ ok: true, value: expected });
    }
  });
});

describe('the common forms read like every other form', () => {
  it('plain dates and UTC instants outside the calendar or the 4-digit years are refused', () => {
    expect(date('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    for (const bad of ['2023-02-29', '2024-13-01', '0999-01-05', '2024-00-10']) expect(date(bad).ok, bad).toBe(false);
    for (const good of ['2024-01-05T03:00:00.000Z', '2000-02-29T23:59:59.999Z', '2024-12-31T00:00:00.000Z']) {
      expect(readDateTime(good, TZ)).toEqual({ ok: true, value: good });
    }
    for (const bad of ['0999-01-05T03:00:00.000Z', '2024-02-30T03:00:00.000Z', '1900-02-29T03:00:00.000Z', '2024-04-31T03:00:00.000Z', '2024-01-05T03:00:60.000Z', '2024-01-05T24:00:00.000Z', '2024-01-05T03:60:00.000Z']) {
      expect(readDateTime(bad, TZ).ok, bad).toBe(false);
    }
  });
});
