import type { IsoDate } from '../sync/cells/dates.ts';
import type { Minor } from '../sync/cells/money.ts';
import { plusDays, plusMonths, plusYears } from '../sync/periods.ts';
import type { SampleContext } from './context.ts';
import type { Attendance } from './events.ts';
import { type Frequency, type GiftWriter, type PlanSpec, type PlanStatus, STEP_MONTHS } from './gifts.ts';
import { type Person, newPerson } from './people.ts';

/** Where a contact's history is written. */
export interface World {
  ctx: SampleContext;
  giftWriter: GiftWriter;
  attendance: Attendance;
}

const ONE_TIME_TWD = [[300, 2], [500, 5], [1000, 8], [1200, 2], [2000, 4], [3000, 3], [5000, 2], [10000, 1], [20000, 0.3], [50000, 0.1], [1688, 0.3], [2500, 0.5]] as const;
const ONE_TIME_USD = [[25, 3], [50, 3], [100, 2], [20.5, 0.5]] as const;
const MONTHLY = [[300, 2], [500, 5], [1000, 6], [1500, 1], [2000, 2], [3000, 1]] as const;
const PLAN_AMOUNT: Record<Frequency, readonly (readonly [number, number])[]> = {
  monthly: MONTHLY, quarterly: [[1500, 2], [3000, 2], [6000, 1]], yearly: [[6000, 2], [12000, 2], [24000, 1]],
};
const GIFT_COUNT = [[1, 32], [2, 15], [3, 12], [5, 21], [9, 14], [20, 6]] as const;
/** A few percent of card payments fail; most are retried within days. */
const FAIL_RATE = 0.03;

const minor = (amount: number) => Math.round(amount * 100);

/**
 * One contact of the random population: a supporter who never gave, a one-time donor (one gift
 * or many), or a monthly donor whose plans run, end, lapse, pause or fail, over five years up to D.
 */
export function randomSupporter(world: World, id: string): Person {
  const { ctx, giftWriter, attendance } = world;
  const { rng, asOf, historyStart } = ctx;
  const created = rng.dateBetween(plusYears(historyStart, -1), plusDays(asOf, -3));
  const person = newPerson(ctx, id, created);
  const kind = rng.weighted([['none', 11], ['one-time', 53], ['recurring', 36]] as const);
  const first = plusDays(created > historyStart ? created : rng.dateBetween(historyStart, plusDays(asOf, -3)), rng.int(0, 20));
  if (first > asOf) return person;
  // Most donors are still giving at D; the rest stopped at some point since their first gift.
  const end = rng.chance(0.55) ? asOf : rng.dateBetween(first, asOf);
  const usd = person.abroad && rng.chance(0.6);
  const typical = usd ? minor(rng.weighted(ONE_TIME_USD)) : minor(rng.weighted(ONE_TIME_TWD));
  const oneTime = (count: number) => {
    for (let i = 0; i < count; i++) {
      const date = i === 0 ? first : rng.dateBetween(first, end);
      const amount = rng.chance(0.7) ? typical : usd ? minor(rng.weighted(ONE_TIME_USD)) : minor(rng.weighted(ONE_TIME_TWD));
      giftWriter.oneTime({ contactId: id, date, amount, currency: usd ? 'USD' : 'TWD' }, FAIL_RATE);
    }
  };

  if (kind === 'one-time') oneTime(rng.weighted(GIFT_COUNT));
  if (kind === 'recurring') {
    recurringHistory(world, id, first, usd);
    if (rng.chance(0.3)) oneTime(rng.int(1, 3));
  }
  if (rng.chance(0.05)) membership(world, id, first);
  if (rng.chance(kind === 'none' ? 0.25 : 0.08)) attendance.attendSomething(id, created);
  return person;
}

/** Dues paid each year in the first quarter, from the year they joined. */
function membership({ ctx, giftWriter }: World, contactId: string, since: IsoDate): void {
  const { rng, asOf } = ctx;
  for (let y = Number(since.slice(0, 4)); ; y++) {
    const date = rng.dateBetween(`${y}-01-05`, `${y}-03-31`);
    if (date > asOf) break;
    giftWriter.gift({ contactId, date, amount: 120_000, financialType: rng.pick(['membership', '會費', 'Membership']), paymentMethod: rng.pick(['ATM轉帳', '現金']) });
  }
}

function recurringHistory(world: World, contactId: string, first: IsoDate, usd: boolean): void {
  const { rng, asOf } = world.ctx;
  const plans = rng.weighted([[1, 75], [2, 20], [3, 5]] as const);
  let from = first;
  for (let i = 0; i < plans; i++) {
    const lastOne = i === plans - 1;
    const status = lastOne
      ? rng.weighted([['in_progress', 52], ['cancelled', 16], ['completed', 9], ['overdue', 6], ['paused', 6], ['failed', 5], ['pending', 6]] as const)
      : rng.weighted([['cancelled', 6], ['completed', 4]] as const);
    const spec = planSpec(world.ctx, contactId, status, from, usd);
    if (!spec) return;
    const campaign = spec.start >= `${world.ctx.year - 4}-01-01` && rng.chance(0.35) ? 'monthly-partners' : undefined;
    world.giftWriter.plan({ ...spec, campaign, failRate: FAIL_RATE });
    // The next plan starts some months after this one ended.
    from = plusDays(spec.until ?? asOf, rng.int(30, 300));
    if (from > plusDays(asOf, -30)) return;
  }
}

/** When a plan in a given status starts and stops charging, so its history fits that status at D. */
function planSpec(ctx: SampleContext, contactId: string, status: PlanStatus, from: IsoDate, usd: boolean): PlanSpec | undefined {
  const { rng, asOf } = ctx;
  const frequency = rng.weighted([['monthly', 87], ['quarterly', 8], ['yearly', 5]] as const);
  const amount: Minor = usd ? minor(rng.pick([20, 30, 50])) : minor(rng.weighted(PLAN_AMOUNT[frequency]));
  const base = { contactId, frequency, amount, currency: usd ? ('USD' as const) : ('TWD' as const), status };
  const latest = (daysBeforeD: number) => plusDays(asOf, -daysBeforeD);
  // Most donors start a plan soon after they first give (or after the last plan ended).
  const startSoon = (last: IsoDate) => {
    if (from > last) return undefined;
    const soon = plusDays(from, rng.int(0, 120));
    return soon < last ? soon : last;
  };
  const step = STEP_MONTHS[frequency];
  switch (status) {
    case 'in_progress': {
      const start = startSoon(latest(20));
      if (!start) return undefined;
      const ending = rng.chance(0.15) ? plusDays(asOf, rng.chance(0.3) ? rng.int(5, 60) : rng.int(61, 700)) : undefined;
      return { ...base, start, endDate: ending, installments: rng.chance(0.25) ? { left: rng.weighted([[0, 1], [1, 2], [2, 2], [6, 4], [12, 6], [24, 4]] as const) } : undefined };
    }
    case 'completed': {
      const count = rng.pick([6, 12, 24]);
      const start = startSoon(plusDays(plusMonths(asOf, -(count - 1) * step), -1));
      if (!start) return undefined;
      const until = plusMonths(start, (count - 1) * step);
      return { ...base, start, installments: count, until, endDate: rng.chance(0.5) ? until : undefined };
    }
    case 'cancelled': {
      const start = startSoon(latest(60));
      if (!start) return undefined;
      const until = rng.dateBetween(plusMonths(start, 1), latest(20));
      return { ...base, start, until, endDate: rng.chance(0.6) ? until : undefined };
    }
    case 'overdue':
    case 'paused': {
      const start = startSoon(latest(status === 'overdue' ? 150 : 200));
      if (!start) return undefined;
      const until = latest(status === 'overdue' ? rng.int(20, 75) : rng.int(60, 180));
      return { ...base, start, until, lastFails: status === 'overdue' };
    }
    case 'failed': {
      const start = startSoon(latest(5));
      return start ? { ...base, start, until: start, lastFails: true } : undefined;
    }
    case 'pending': {
      const start = rng.dateBetween(latest(14), plusDays(asOf, 10));
      return { ...base, start, until: plusDays(start, -1) };
    }
  }
}
