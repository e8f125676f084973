import type { IsoDate } from '../sync/cells/dates.ts';
import type { Minor } from '../sync/cells/money.ts';
import { plusDays, plusMonths } from '../sync/periods.ts';
import type { Attributor } from './campaigns.ts';
import type { SampleContext } from './context.ts';
import { DONATION_STATUS_WORDS, FREQUENCY_WORDS, PLAN_STATUS_WORDS } from './typing.ts';
import type { Cells, TabWriter } from './writer.ts';

export type DonationStatus = keyof typeof DONATION_STATUS_WORDS;
export type PlanStatus = keyof typeof PLAN_STATUS_WORDS;
export type Frequency = keyof typeof FREQUENCY_WORDS;

export interface GiftSpec {
  contactId: string;
  date: IsoDate;
  amount: Minor;
  currency?: 'TWD' | 'USD';
  status?: DonationStatus;
  recurringId?: string;
  /** Blank or a gift type; `membership`, `會費` and `event fee` are not gifts (settings.non_donation_types). */
  financialType?: string;
  paymentMethod?: string;
  /** Campaign and UTM; one-time gifts without it are attributed by date. */
  attribution?: Cells;
}

export interface PlanSpec {
  contactId: string;
  start: IsoDate;
  amount: Minor;
  currency?: 'TWD' | 'USD';
  frequency?: Frequency;
  status: PlanStatus;
  /** A number, or `{ left }`: as many as the gifts so far plus `left` (a plan still running). */
  installments?: number | { left: number };
  endDate?: IsoDate;
  campaign?: string;
  /** Charges run from start to this date (default D), each period, up to `installments`. */
  until?: IsoDate;
  /** The last charge fails and is never retried (overdue and failed plans). */
  lastFails?: boolean;
  /** Chance that a charge fails (then retried within days, or not): realism for the random population. */
  failRate?: number;
}

export const STEP_MONTHS: Record<Frequency, number> = { monthly: 1, quarterly: 3, yearly: 12 };
const ONE_TIME_METHODS = [['信用卡', 5], ['ATM轉帳', 2], ['LINE Pay', 1.5], ['郵政劃撥', 1], ['現金', 1], ['credit_card', 0.5]] as const;
const ONLINE = new Set<string>(['信用卡', 'LINE Pay', 'credit_card']);
const RETRY_SHARE = 0.6;
/** Receipts are issued a couple of weeks after a gift; newer rows have none yet (the tool fills them later). */
const RECEIPT_AFTER_DAYS = 14;
/** ATM transfers of the last days may not have arrived yet. */
const PENDING_TRANSFER_DAYS = 10;

/**
 * Writes the donations and recurring tabs. Ids, receipt numbers and cell typing happen here, so
 * the personas and the random population describe gifts only by what happened.
 */
export class GiftWriter {
  private donationSeq = 0;
  private planSeq = 0;
  /** Amounts written per currency (minor units, planted mistakes left out): every typed amount must read back to these. */
  readonly totals: Record<string, Minor> = {};
  private readonly receiptCutoff: IsoDate;
  private readonly transferCutoff: IsoDate;

  constructor(
    private readonly ctx: SampleContext,
    private readonly donations: TabWriter,
    private readonly recurring: TabWriter,
    private readonly attributor: Attributor,
  ) {
    this.receiptCutoff = plusDays(ctx.asOf, -RECEIPT_AFTER_DAYS);
    this.transferCutoff = plusDays(ctx.asOf, -PENDING_TRANSFER_DAYS);
  }

  /** A donation row; `typed` replaces cells as written (the planted mistakes). Returns its row number. */
  gift(spec: GiftSpec, typed: Cells = {}): number {
    const { rng, typist } = this.ctx;
    const currency = spec.currency ?? 'TWD';
    const status = spec.status ?? 'completed';
    const method = spec.paymentMethod ?? rng.weighted(ONE_TIME_METHODS);
    const attribution = spec.attribution ?? (spec.recurringId || spec.financialType ? {} : this.attributor.attribute(spec.date, ONLINE.has(method)));
    const seq = ++this.donationSeq;
    const receipted = status === 'completed' && spec.date <= this.receiptCutoff;
    if (Object.keys(typed).length === 0) this.totals[currency] = (this.totals[currency] ?? 0) + spec.amount;
    return this.donations.write({
      donation_id: `D${String(seq).padStart(6, '0')}`,
      contact_id: spec.contactId,
      date: typist.date(spec.date),
      amount: typist.amount(spec.amount, currency),
      currency: currency === 'USD' ? 'USD' : rng.weighted([['TWD', 12], ['', 8], ['NT$', 0.4], ['NTD', 0.4]]) || undefined,
      status: typist.word(status, DONATION_STATUS_WORDS),
      recurring_id: spec.recurringId,
      financial_type: spec.financialType ?? (spec.recurringId ? '定期定額' : rng.weighted([['一般捐款', 6], ['', 2], ['donation', 1]]) || undefined),
      payment_method: method,
      receipt_no: receipted ? `${spec.date.slice(0, 4)}-${String(seq).padStart(6, '0')}` : undefined,
      notes: rng.chance(0.01) ? rng.pick(['紙本收據', '匿名', '代父母捐款', '公司匯款']) : undefined,
      ...attribution,
      ...typed,
    });
  }

  /**
   * A one-time gift as it happens in life: online card payments sometimes fail (and are retried
   * within days, or not), ATM transfers of the last days are still pending, a few are refunded.
   */
  oneTime(spec: GiftSpec, failRate: number): void {
    const { rng, asOf } = this.ctx;
    const method = spec.paymentMethod ?? rng.weighted(ONE_TIME_METHODS);
    const gift = { ...spec, paymentMethod: method };
    if (ONLINE.has(method) && rng.chance(failRate)) {
      this.gift({ ...gift, status: 'failed' });
      const retry = plusDays(spec.date, rng.int(1, 5));
      if (retry <= asOf && rng.chance(RETRY_SHARE)) this.gift({ ...gift, date: retry });
      return;
    }
    const recentTransfer = method === 'ATM轉帳' && spec.date > this.transferCutoff;
    const status = recentTransfer && rng.chance(0.5) ? 'pending' : failRate > 0 ? rng.weighted([['completed', 1000], ['refunded', 6], ['cancelled', 3]] as const) : 'completed';
    this.gift({ ...gift, status });
  }

  /** A recurring plan and every charge it made; returns its id and the number of gifts referencing it. */
  plan(spec: PlanSpec): { id: string; gifts: number } {
    const { rng, typist, asOf } = this.ctx;
    const id = `R${String(++this.planSeq).padStart(5, '0')}`;
    const frequency = spec.frequency ?? 'monthly';
    const until = spec.until ?? asOf;
    const cap = typeof spec.installments === 'number' ? spec.installments : Infinity;
    const charges: IsoDate[] = [];
    for (let k = 0; charges.length < cap; k++) {
      const date = plusMonths(spec.start, k * STEP_MONTHS[frequency]);
      if (date > until) break;
      charges.push(date);
    }
    const base = { contactId: spec.contactId, amount: spec.amount, currency: spec.currency, recurringId: id, paymentMethod: '信用卡', attribution: { campaign: spec.campaign } };
    let gifts = 0;
    charges.forEach((date, i) => {
      if (spec.lastFails && i === charges.length - 1) {
        this.gift({ ...base, date, status: 'failed' });
        return;
      }
      if (rng.chance(spec.failRate ?? 0)) {
        this.gift({ ...base, date, status: 'failed' });
        const retry = plusDays(date, rng.int(1, 6));
        if (retry > asOf || !rng.chance(RETRY_SHARE)) return;
        this.gift({ ...base, date: retry });
      } else {
        this.gift({ ...base, date });
      }
      gifts++;
    });
    const installments = typeof spec.installments === 'object' ? gifts + spec.installments.left : spec.installments;
    this.recurring.write({
      recurring_id: id, contact_id: spec.contactId,
      amount: typist.amount(spec.amount, spec.currency ?? 'TWD'),
      currency: spec.currency === 'USD' ? 'USD' : rng.chance(0.6) ? 'TWD' : undefined,
      frequency: typist.word(frequency, FREQUENCY_WORDS) || undefined,
      start_date: typist.date(spec.start), end_date: typist.date(spec.endDate),
      installments: installments === undefined ? undefined : typist.count(installments),
      status: typist.word(spec.status, PLAN_STATUS_WORDS),
      financial_type: rng.chance(0.7) ? '定期定額' : undefined,
      campaign: spec.campaign, payment_method: '信用卡',
    });
    return { id, gifts };
  }
}
