import type { IsoDate } from '../sync/cells/dates.ts';
import type { Severity } from '../sync/problems.ts';
import { plusDays, plusMonths } from '../sync/periods.ts';
import type { GiftSpec, PlanSpec } from './gifts.ts';
import { type Person, type PersonOptions, newPerson } from './people.ts';
import type { World } from './population.ts';

/** A cell the generator got wrong on purpose, and how sync must report it. */
export interface PlantedMistake {
  tab: string;
  row: number;
  column: string;
  severity: Severity;
}

/**
 * Contacts built on purpose so that every segment of the donation accelerator has members at D,
 * whatever the seed (the random population adds more). Dates are relative to D; "this year" is
 * the calendar year of D (the sample's fiscal year starts 01-01).
 */
interface Persona {
  /** Which segment it guarantees (or which tab content it guarantees). */
  why: string;
  make(world: World, person: (firstGift: IsoDate, options?: PersonOptions) => Person): Person;
}

const gifts = (world: World, contactId: string, dates: IsoDate[], more: Partial<GiftSpec> = {}) => {
  for (const date of dates) world.giftWriter.gift({ contactId, date, amount: 100_000, paymentMethod: '信用卡', ...more });
};
const plan = (world: World, spec: Omit<PlanSpec, 'amount'> & { amount?: number }) => world.giftWriter.plan({ amount: 50_000, ...spec });

const PERSONAS: Persona[] = [
  { why: 'first_time_donors, recent_donors', make: (w, p) => { const c = p(plusDays(w.ctx.asOf, -20)); gifts(w, c.id, [plusDays(w.ctx.asOf, -20)]); return c; } },
  { why: 'first_time_donors (second gift since)', make: (w, p) => { const D = w.ctx.asOf; const c = p(plusDays(D, -75)); gifts(w, c.id, [plusDays(D, -75), plusDays(D, -12)]); return c; } },
  {
    why: 'failed_no_retry (one-time card payment failed 30 days ago)',
    make: (w, p) => {
      const { year: Y, asOf: D } = w.ctx;
      const c = p(`${Y - 2}-05-10`);
      gifts(w, c.id, [`${Y - 2}-05-10`, `${Y - 1}-05-10`]);
      gifts(w, c.id, [plusDays(D, -30)], { status: 'failed' });
      return c;
    },
  },
  {
    why: 'failed_no_retry, recurring_lapsed (overdue plan: the last charge, 40–70 days ago, failed)',
    make: (w, p) => {
      const start = plusMonths(w.ctx.asOf, -14);
      const c = p(start);
      plan(w, { contactId: c.id, start, status: 'overdue', until: plusDays(w.ctx.asOf, -40), lastFails: true });
      return c;
    },
  },
  {
    why: 'not failed_no_retry: a failed payment retried on day 7',
    make: (w, p) => {
      const D = w.ctx.asOf;
      const c = p(plusDays(D, -800));
      gifts(w, c.id, [plusDays(D, -800)]);
      gifts(w, c.id, [plusDays(D, -50)], { status: 'failed' });
      gifts(w, c.id, [plusDays(D, -43)]);
      return c;
    },
  },
  { why: 'recurring_new', make: (w, p) => { const start = plusDays(plusMonths(w.ctx.asOf, -5), -2); const c = p(start); plan(w, { contactId: c.id, start, status: 'in_progress' }); return c; } },
  {
    why: 'recurring_lapsed (cancelled plan)',
    make: (w, p) => {
      const start = plusMonths(w.ctx.asOf, -36);
      const until = plusMonths(w.ctx.asOf, -16);
      const c = p(start);
      plan(w, { contactId: c.id, start, status: 'cancelled', until, endDate: until });
      return c;
    },
  },
  {
    why: 'recurring_loyal (a completed plan, then a new one in progress)',
    make: (w, p) => {
      const start = plusMonths(w.ctx.asOf, -40);
      const c = p(start);
      plan(w, { contactId: c.id, start, status: 'completed', installments: 12, endDate: plusMonths(start, 11) });
      plan(w, { contactId: c.id, start: plusMonths(w.ctx.asOf, -16), status: 'in_progress', amount: 100_000 });
      return c;
    },
  },
  {
    why: 'birthdays (born in the month of D)',
    make: (w, p) => {
      const { year: Y, asOf: D } = w.ctx;
      const c = p(plusDays(D, -200), { birthDate: `${Y - 45}-${D.slice(5, 7)}-10` });
      gifts(w, c.id, [plusDays(D, -200)]);
      return c;
    },
  },
  { why: 'birthdays in February: born on Feb 29', make: (w, p) => { const c = p(plusDays(w.ctx.asOf, -300), { birthDate: '1988-02-29' }); gifts(w, c.id, [plusDays(w.ctx.asOf, -300)]); return c; } },
  { why: 'lybunt', make: (w, p) => { const Y = w.ctx.year; const c = p(`${Y - 2}-12-05`); gifts(w, c.id, [`${Y - 2}-12-05`, `${Y - 1}-06-15`]); return c; } },
  { why: 'sybunt', make: (w, p) => { const Y = w.ctx.year; const c = p(`${Y - 4}-11-30`); gifts(w, c.id, [`${Y - 4}-11-30`, `${Y - 3}-04-20`]); return c; } },
  {
    why: 'repeat_single_donors, recurring_never',
    make: (w, p) => {
      const dates = [-900, -500, -200, -40].map((n) => plusDays(w.ctx.asOf, n));
      const c = p(dates[0]);
      gifts(w, c.id, dates);
      return c;
    },
  },
  {
    why: 'recurring_ending (one installment left)',
    make: (w, p) => {
      const start = plusDays(plusMonths(w.ctx.asOf, -10), -3);
      const c = p(start);
      plan(w, { contactId: c.id, start, status: 'in_progress', installments: { left: 1 } });
      return c;
    },
  },
  {
    why: 'recurring_ending (end date within 60 days)',
    make: (w, p) => {
      const start = plusMonths(w.ctx.asOf, -8);
      const c = p(start);
      plan(w, { contactId: c.id, start, status: 'in_progress', endDate: plusDays(w.ctx.asOf, 30) });
      return c;
    },
  },
  {
    why: 'attendees_not_donors (attended, paid only an event fee)',
    make: (w, p) => {
      const event = w.attendance.lastPast;
      const c = p(plusDays(event.date, -40));
      w.attendance.attend(c.id, event, 'attended');
      return c;
    },
  },
  {
    why: 'attendees_not_donors (registered for the next event, pays membership dues only)',
    make: (w, p) => {
      const c = p(plusDays(w.ctx.asOf, -100));
      gifts(w, c.id, [plusDays(w.ctx.asOf, -100)], { amount: 120_000, financialType: '會費' });
      w.attendance.attend(c.id, w.attendance.upcoming, 'registered');
      return c;
    },
  },
  { why: 'lapsed_3m', make: (w, p) => { const D = w.ctx.asOf; const c = p(plusDays(D, -400)); gifts(w, c.id, [plusDays(D, -400), plusDays(D, -150)]); return c; } },
  {
    why: 'long_term_donors (a gift in each of the 3 years before this one)',
    make: (w, p) => {
      const Y = w.ctx.year;
      const c = p(`${Y - 3}-03-10`);
      gifts(w, c.id, [`${Y - 3}-03-10`, `${Y - 2}-09-01`, `${Y - 1}-12-20`, plusDays(w.ctx.asOf, -60)]);
      return c;
    },
  },
  { why: 'long_term_donors (a plan in progress for over two years)', make: (w, p) => { const start = plusMonths(w.ctx.asOf, -26); const c = p(start); plan(w, { contactId: c.id, start, status: 'in_progress' }); return c; } },
  {
    why: 'not a donor: a refunded gift and a pending transfer',
    make: (w, p) => {
      const D = w.ctx.asOf;
      const c = p(plusDays(D, -30));
      gifts(w, c.id, [plusDays(D, -30)], { status: 'refunded' });
      gifts(w, c.id, [plusDays(D, -2)], { status: 'pending', paymentMethod: 'ATM轉帳' });
      return c;
    },
  },
  { why: 'a paused plan', make: (w, p) => { const start = plusMonths(w.ctx.asOf, -20); const c = p(start); plan(w, { contactId: c.id, start, status: 'paused', until: plusMonths(w.ctx.asOf, -4) }); return c; } },
  { why: 'a failed plan (its first charge failed)', make: (w, p) => { const start = plusDays(w.ctx.asOf, -25); const c = p(start); plan(w, { contactId: c.id, start, status: 'failed', until: start, lastFails: true }); return c; } },
  { why: 'a pending plan (starts next week)', make: (w, p) => { const c = p(plusDays(w.ctx.asOf, -3)); plan(w, { contactId: c.id, start: plusDays(w.ctx.asOf, 5), status: 'pending', until: w.ctx.asOf }); return c; } },
  {
    why: 'a supporter abroad giving in USD',
    make: (w, p) => {
      const D = w.ctx.asOf;
      const c = p(plusDays(D, -400), { abroad: true });
      gifts(w, c.id, [plusDays(D, -400)], { amount: 5_000, currency: 'USD' });
      gifts(w, c.id, [plusDays(D, -35)], { amount: 10_050, currency: 'USD' });
      return c;
    },
  },
];

/**
 * The planted mistakes (so `npm start` shows the problems report at work), all on one contact:
 *  1. contacts.email `lin.yating@example,org` (a comma for the dot): warning, contact kept without it;
 *  2. donations.amount `0`: error, row left out;
 *  3. donations.status `compelted` (a typo): error, row left out;
 *  4. donations.date `<last year>/2/30` (no such day): error, row left out.
 * Every other row of the sample validates cleanly.
 */
function plantMistakes(world: World, id: string): { person: Person; planted: PlantedMistake[] } {
  const { ctx, giftWriter } = world;
  const D = ctx.asOf;
  const person = newPerson(ctx, id, plusDays(D, -720));
  person.row.email = 'lin.yating@example,org';
  person.email = undefined;
  person.mailable = false;
  gifts(world, id, [plusDays(D, -700), plusDays(D, -300)]);
  const gift = { contactId: id, date: plusDays(D, -100), amount: 50_000, paymentMethod: '現金' };
  const planted: PlantedMistake[] = [
    { tab: 'donations', row: giftWriter.gift(gift, { amount: '0' }), column: 'amount', severity: 'error' },
    { tab: 'donations', row: giftWriter.gift(gift, { status: 'compelted' }), column: 'status', severity: 'error' },
    { tab: 'donations', row: giftWriter.gift(gift, { date: `${ctx.year - 1}/2/30` }), column: 'date', severity: 'error' },
  ];
  return { person, planted };
}

/** How many contacts the personas and the planted mistakes take: the smallest sample. */
export const PERSONA_COUNT = PERSONAS.length + 1;

/** Writes every persona, then the contact with the planted mistakes; `emit` writes each contact row. */
export function writePersonas(world: World, nextId: () => string, emit: (p: Person) => number): PlantedMistake[] {
  const { rng } = world.ctx;
  for (const persona of PERSONAS) {
    const id = nextId();
    emit(persona.make(world, (firstGift, options) => newPerson(world.ctx, id, plusDays(firstGift, -rng.int(0, 30)), options)));
  }
  const { person, planted } = plantMistakes(world, nextId());
  planted.unshift({ tab: 'contacts', row: emit(person), column: 'email', severity: 'warning' });
  return planted;
}
