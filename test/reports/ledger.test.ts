import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GiftFilters, passesFilters } from '../../reports/gift-filters.ts';
import { donorsIn, failedByContact, firstGiftDate, firstGiftsIn, giftCountIn, giftHistories, giftsByContact, giftsIn, giftsPerPlan, moneyIn, recurringGivers, sumMoney } from '../../reports/ledger/index.ts';
import { monthEnds, plusDays } from '../../sync/periods.ts';
import type { Dataset, Donation } from '../../sync/dataset.ts';
import { isFailedAttempt, isGift } from '../../sync/gift-definition.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { ROOT } from '../support/cli.ts';
import { buildDataset, contacts, donation } from '../support/dataset.ts';

// The straightforward way, as the reports first did it: a scan of every donation, grouped in the
// order the scan meets contacts, each list sorted by date (stable, so equal dates keep sheet order).
function scanByContact(dataset: Dataset, keep: (d: Donation) => boolean): Map<string, Donation[]> {
  const byContact = new Map<string, Donation[]>();
  for (const d of dataset.donations) if (keep(d)) byContact.set(d.contact_id, [...(byContact.get(d.contact_id) ?? []), d]);
  for (const list of byContact.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byContact;
}

const entries = <V>(m: ReadonlyMap<string, V>) => [...m];
const bySheet = (dataset: Dataset) => (a: Donation, b: Donation) => dataset.donations.indexOf(a) - dataset.donations.indexOf(b);

// Out of date order within contacts, equal dates, failed attempts, a membership fee, plans, a
// campaign, another currency, and ids a numeric collation calls equal (C01, C1).
const mixed = buildDataset({
  contacts: contacts('C1', 'C01', 'B', 'A'),
  donations: [
    donation('B', '2024-05-01', '500', { recurring_id: 'R1' }),
    donation('C1', '2024-03-01', '1000', { campaign: 'spring' }),
    donation('A', '2024-06-01', '300', { status: 'failed' }),
    donation('C01', '2023-12-31', '200', { financial_type: 'membership' }),
    donation('B', '2024-02-01', '500', { recurring_id: 'R1' }),
    donation('C1', '2024-01-15', '1000', { currency: 'USD' }),
    donation('A', '2024-06-01', '700'),
    donation('C01', '2024-01-15', '250', { campaign: 'Spring' }),
    donation('B', '2024-02-01', '800'),
    donation('A', '2024-01-02', '400', { status: 'failed' }),
    donation('C1', '2024-07-01', '50', { recurring_id: 'R2' }),
    donation('A', '2023-11-30', '100', { status: 'refunded' }),
  ],
  recurring: [
    { recurring_id: 'R1', contact_id: 'B', amount: '500', start_date: '2024-01-01', frequency: 'monthly', status: 'in_progress' },
    { recurring_id: 'R2', contact_id: 'C1', amount: '50', start_date: '2024-07-01', frequency: 'monthly', status: 'in_progress' },
  ],
});

const FILTERS: GiftFilters[] = [{}, { min_amount: 50000 }, { max_amount: 50000 }, { campaign: 'SPRING' }, { financial_type: 'membership' }];
const PERIODS = [
  { start: '2024-01-15', end: '2024-02-01' }, { start: '2024-02-02', end: '2024-06-01' }, { start: '2023-01-01', end: '2023-12-31' },
  { start: '2024-06-01', end: '2024-06-01' }, { start: '2024-07-02', end: '2025-01-01' },
];
const DATES = ['2023-12-31', '2024-01-15', '2024-02-01', '2024-05-31', '2024-06-01', '2024-12-31', '2020-01-01'];

describe('gifts put in date order once per dataset', () => {
  it('give, as of any date and with any filters, the same maps a scan gives, in the same order', () => {
    for (const asOf of DATES) {
      for (const filters of FILTERS) {
        const pass = (d: Donation) => passesFilters(d, filters, mixed.settings.currency);
        expect(entries(giftsByContact(mixed, asOf, filters)), `${asOf} ${JSON.stringify(filters)}`)
          .toEqual(entries(scanByContact(mixed, (d) => isGift(d, mixed, asOf) && pass(d))));
        expect(entries(failedByContact(mixed, asOf, filters))).toEqual(entries(scanByContact(mixed, (d) => isFailedAttempt(d, mixed, asOf) && pass(d))));
        const histories = giftHistories(mixed, asOf, filters);
        const lists = giftsByContact(mixed, asOf, filters);
        expect([...histories.keys()]).toEqual([...lists.keys()]);
        // As a Map answers: size, has for every contact (with gifts or not), forEach and values in the same order.
        const scanned = scanByContact(mixed, (d) => isGift(d, mixed, asOf) && pass(d));
        expect([lists.size, histories.size]).toEqual([scanned.size, scanned.size]);
        for (const id of [...new Set(mixed.donations.map((d) => d.contact_id)), 'NOBODY']) expect([lists.has(id), histories.has(id), lists.get(id)]).toEqual([scanned.has(id), scanned.has(id), scanned.get(id)]);
        const walked: [string, Donation[]][] = [];
        lists.forEach((list, id, map) => {
          expect(map).toBe(lists);
          walked.push([id, list]);
        });
        expect(walked).toEqual(entries(scanned));
        expect([...lists.values()]).toEqual([...scanned.values()]);
        for (const [id, list] of lists) {
          const history = histories.get(id)!;
          expect([history.all(), history.count, history.first(), history.last()]).toEqual([list, list.length, list[0], list.at(-1)]);
          for (const period of PERIODS) {
            const dated = list.filter((g) => g.date >= period.start && g.date <= period.end);
            const facts = [history.gaveIn(period), history.within(period), history.firstIn(period), history.lastIn(period), history.noneSince(period.start)];
            expect(facts, `${id} ${asOf} ${period.start}..${period.end}`).toEqual([dated.length > 0, dated, dated[0] === list[0], dated.at(-1) === list.at(-1), list.every((g) => g.date < period.start)]);
          }
          expect(history.gaveInEach(PERIODS.slice(0, 2))).toBe(PERIODS.slice(0, 2).every((p) => history.gaveIn(p)));
        }
      }
    }
  });

  it('count installments per plan, list a period\'s gifts in sheet order and date first gifts as a scan does', () => {
    for (const asOf of DATES) {
      const perPlan = new Map<string, number>();
      for (const d of mixed.donations) if (d.recurring_id && isGift(d, mixed, asOf)) perPlan.set(d.recurring_id, (perPlan.get(d.recurring_id) ?? 0) + 1);
      expect(entries(giftsPerPlan(mixed, asOf))).toEqual(entries(perPlan));
      const period = { start: '2024-01-15', end: asOf };
      expect(giftsIn(mixed, period)).toEqual(mixed.donations.filter((d) => isGift(d, mixed, asOf) && d.date >= period.start));
      const firsts = [...scanByContact(mixed, (d) => isGift(d, mixed, asOf))].map(([, list]) => list[0]);
      expect(firstGiftDate(mixed, asOf)).toBe(firsts.map((g) => g.date).sort()[0] ?? asOf);
      expect([...firstGiftsIn(mixed, period)].sort(bySheet(mixed))).toEqual(firsts.filter((g) => g.date >= period.start).sort(bySheet(mixed)));
    }
  });

  it('know who has given a recurring gift by a date as a scan does', async () => {
    const { dataset: sample } = await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), '2026-11-22');
    for (const dataset of [mixed, sample]) {
      for (const asOf of [...DATES, ...monthEnds('2026-11-22', 36)]) {
        const givers = recurringGivers(dataset, asOf);
        const scan = new Set(dataset.donations.filter((d) => isGift(d, dataset, asOf) && d.recurring_id).map((d) => d.contact_id));
        expect(dataset.contacts.filter((c) => givers.has(c.contact_id)).map((c) => c.contact_id), asOf).toEqual(dataset.contacts.filter((c) => scan.has(c.contact_id)).map((c) => c.contact_id));
      }
    }
  });

  it('give the committed sample the same gifts by contact as a scan, at every month end of a year', async () => {
    const { dataset } = await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), '2026-11-22');
    for (const asOf of monthEnds('2026-11-22', 12)) {
      expect(entries(giftsByContact(dataset, asOf))).toEqual(entries(scanByContact(dataset, (d) => isGift(d, dataset, asOf))));
    }
  });
});

describe('gifts and donors of a period', () => {
  // Periods between the dates gifts fall on, a day either side of them, about `n` of those dates (all pairs, and some ending before they start).
  function periods(dataset: Dataset, n: number) {
    const dates = [...new Set(dataset.donations.map((d) => d.date))].sort();
    const around = [...new Set(dates.flatMap((d) => [plusDays(d, -1), d, plusDays(d, 1)]))].sort();
    const picked = around.filter((_, k) => k % Math.ceil(around.length / n) === 0);
    return picked.flatMap((start, i) => picked.slice(i).map((end) => ({ start, end }))).concat({ start: picked.at(-1)!, end: picked[0] });
  }

  it('total, count, count donors and find first gifts of any period as a scan of its gifts does', async () => {
    const { dataset: sample } = await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), '2026-11-22');
    for (const dataset of [mixed, sample]) {
      const firsts = [...scanByContact(dataset, (d) => isGift(d, dataset, '9999-12-31')).values()].map((list) => list[0]);
      for (const period of periods(dataset, 40)) {
        const gifts = giftsIn(dataset, period);
        expect(giftCountIn(dataset, period), `${period.start} ${period.end}`).toBe(gifts.length);
        expect(moneyIn(dataset, period)).toEqual(sumMoney(gifts, dataset.settings.currency));
        expect(donorsIn(dataset, period).count).toBe(new Set(gifts.map((g) => g.contact_id)).size);
        expect([...firstGiftsIn(dataset, period)].sort(bySheet(dataset))).toEqual(firsts.filter((g) => g.date >= period.start && g.date <= period.end).sort(bySheet(dataset)));
      }
    }
  });

  it('compare the donors of two periods, and sum what some of them gave, as sets of contact ids do', async () => {
    const { dataset: sample } = await loadDataset(new CsvFolderSource(join(ROOT, 'data/sample')), '2026-11-22');
    for (const dataset of [mixed, sample]) {
      const firstDate = new Map([...scanByContact(dataset, (d) => isGift(d, dataset, '9999-12-31'))].map(([id, list]) => [id, list[0].date]));
      const ids = (period: { start: string; end: string }) => new Set(giftsIn(dataset, period).map((g) => g.contact_id));
      const all = periods(dataset, 8);
      for (const [a, b] of all.map((p, i) => [p, all[(i * 7 + 3) % all.length]] as const)) {
        const [A, B] = [ids(a), ids(b)];
        const [donorsA, donorsB] = [donorsIn(dataset, a), donorsIn(dataset, b)];
        const facts = [
          donorsA.and(donorsB).count, donorsA.without(donorsB).count,
          donorsA.firstGiftFrom(b.start).count, donorsA.firstGiftBefore(b.start).count,
          moneyIn(dataset, a, donorsB),
        ];
        const scan = [
          [...A].filter((id) => B.has(id)).length, [...A].filter((id) => !B.has(id)).length,
          [...A].filter((id) => firstDate.get(id)! >= b.start).length, [...A].filter((id) => firstDate.get(id)! < b.start).length,
          sumMoney(giftsIn(dataset, a).filter((g) => B.has(g.contact_id)), dataset.settings.currency),
        ];
        expect(facts, `${a.start}..${a.end} with ${b.start}..${b.end}`).toEqual(scan);
      }
    }
  });
});
