import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../reports/ledger/days.ts';
import { fiscalYear, fiscalYearLabel, plusDays } from '../../sync/periods.ts';

// Every day of a few years, leap days and year ends included.
const DAYS = Array.from({ length: 4 * 366 + 30 }, (_, i) => plusDays('2023-12-15', i));

describe('dates read for many gifts or members', () => {
  it('label a fiscal year as fiscalYear does, whatever day it starts on', () => {
    for (const start of ['01-01', '07-01', '04-01', '02-29', '12-31']) {
      for (const d of DAYS) expect(fiscalYearLabel(d, start), `${d} ${start}`).toBe(fiscalYear(d, start).label);
    }
  });

  it('number days as YYYYMMDD, in the order the dates sort', () => {
    for (const d of DAYS) expect(dayNumber(d)).toBe(Number(d.replaceAll('-', '')));
  });
});
