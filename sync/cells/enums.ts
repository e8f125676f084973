import { type CellResult, type RawCell, fail, isBlank, normalizeWidth, ok } from './result.ts';

/** An enumeration column: its allowed values and the other ways staff write each of them. */
export interface EnumSpec<T extends string> {
  values: readonly T[];
  aliases: Record<T, readonly string[]>;
  default?: T;
}

/** Case, spaces and hyphens do not matter: "In Progress", "in-progress" and "in_progress" agree. */
export const enumKey = (text: string) => normalizeWidth(text).trim().toLowerCase().replace(/[\s\-]+/g, '_');

export function enumReader<T extends string>(spec: EnumSpec<T>): (raw: RawCell) => CellResult<T | undefined> {
  const lookup = new Map<string, T>();
  for (const value of spec.values) {
    lookup.set(enumKey(value), value);
    for (const alias of spec.aliases[value]) lookup.set(enumKey(alias), value);
  }
  return (raw) => {
    if (isBlank(raw)) return ok(spec.default);
    // Most cells hold a value exactly as the sheet's dropdown writes it: look that up before normalizing.
    const found = (typeof raw === 'string' && lookup.get(raw)) || lookup.get(enumKey(String(raw)));
    return found ? ok(found) : fail(`"${raw}" is not one of the allowed values: ${spec.values.join(', ')}`);
  };
}

export const DONATION_STATUS = {
  values: ['completed', 'pending', 'failed', 'cancelled', 'refunded'],
  aliases: {
    completed: ['complete', 'paid', 'success', 'succeeded', 'successful', 'done', '已完成', '完成', '成功', '已付款', '付款成功'],
    pending: ['pending', 'processing', 'unpaid', 'waiting', '待處理', '處理中', '未付款', '待付款'],
    failed: ['fail', 'failure', 'declined', 'error', '失敗', '付款失敗', '授權失敗'],
    cancelled: ['canceled', 'cancel', 'void', '取消', '已取消'],
    refunded: ['refund', 'refunds', '退款', '已退款'],
  },
  default: 'completed',
} as const satisfies EnumSpec<'completed' | 'pending' | 'failed' | 'cancelled' | 'refunded'>;

export const RECURRING_STATUS = {
  values: ['in_progress', 'completed', 'cancelled', 'failed', 'overdue', 'paused', 'pending'],
  aliases: {
    in_progress: ['active', 'ongoing', 'running', 'inprogress', '進行中', '扣款中', '生效'],
    completed: ['complete', 'finished', 'ended', 'done', '已完成', '完成', '結束', '已結束', '期滿'],
    cancelled: ['canceled', 'cancel', 'stopped', '取消', '已取消', '終止', '停止'],
    failed: ['fail', 'failure', '失敗'],
    overdue: ['past_due', 'late', '逾期', '過期'],
    paused: ['pause', 'suspended', 'on_hold', '暫停', '暫停中'],
    pending: ['waiting', '待處理', '處理中', '待生效'],
  },
} as const satisfies EnumSpec<'in_progress' | 'completed' | 'cancelled' | 'failed' | 'overdue' | 'paused' | 'pending'>;

export const FREQUENCY = {
  values: ['monthly', 'quarterly', 'yearly'],
  aliases: {
    monthly: ['month', 'monthly', 'every_month', '每月', '月', '月捐'],
    quarterly: ['quarter', 'every_quarter', '每季', '季', '季捐'],
    yearly: ['year', 'annual', 'annually', 'every_year', '每年', '年', '年捐'],
  },
  default: 'monthly',
} as const satisfies EnumSpec<'monthly' | 'quarterly' | 'yearly'>;

/** How often a supporter wants mail: every mailing, or a monthly / quarterly digest (blank: every). */
export const EMAIL_FREQUENCY = {
  values: ['every', 'monthly', 'quarterly'],
  aliases: {
    every: ['every', 'every_mailing', 'all', 'each', '每一期', '每期', '全部'],
    monthly: ['month', 'monthly', 'monthly_digest', '每月', '月'],
    quarterly: ['quarter', 'quarterly', 'quarterly_digest', '每季', '季'],
  },
  default: 'every',
} as const satisfies EnumSpec<'every' | 'monthly' | 'quarterly'>;

export const PARTICIPANT_STATUS = {
  values: ['registered', 'attended', 'no_show', 'cancelled'],
  aliases: {
    registered: ['register', 'signed_up', 'rsvp', '已報名', '報名', '報名成功'],
    attended: ['attend', 'present', 'checked_in', '出席', '已出席', '參加', '已參加', '報到', '已報到'],
    no_show: ['noshow', 'absent', 'no_show', '未出席', '缺席'],
    cancelled: ['canceled', 'cancel', '取消', '已取消'],
  },
  default: 'registered',
} as const satisfies EnumSpec<'registered' | 'attended' | 'no_show' | 'cancelled'>;

export const MAILING_STATUS = {
  values: ['draft', 'scheduled', 'sending', 'sent', 'cancelled'],
  aliases: {
    draft: ['drafts', '草稿', '草稿中'],
    scheduled: ['schedule', 'queued', '已排程', '排程', '排程中'],
    sending: ['in_progress', '寄送中', '發送中'],
    sent: ['done', 'completed', 'complete', '已寄送', '已寄出', '已發送', '完成'],
    cancelled: ['canceled', 'cancel', '取消', '已取消'],
  },
  default: 'draft',
} as const satisfies EnumSpec<'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled'>;

/**
 * Resend's last_event values, as the tracking pull and the webhook pull write them: every value of
 * the SDK's GetEmailResponseSuccess.last_event (resend-node v6.38). Resend may add more:
 * email_events reads an unknown one as a warning and keeps the row (sync/schema/tabs.ts).
 */
export const EMAIL_EVENT = {
  values: ['queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'opened', 'clicked', 'bounced', 'complained', 'failed', 'canceled', 'suppressed'],
  aliases: {
    queued: [], scheduled: [], sent: [], delivered: [], delivery_delayed: ['delayed'], opened: ['open'],
    clicked: ['click'], bounced: ['bounce', 'hard_bounce'], complained: ['complaint', 'spam'], failed: ['fail'], canceled: ['cancelled'],
    suppressed: ['suppression'],
  },
} as const satisfies EnumSpec<'queued' | 'scheduled' | 'sent' | 'delivered' | 'delivery_delayed' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'failed' | 'canceled' | 'suppressed'>;

/** email_events.bounce_type: hard (Resend's Permanent) never mailed again; soft (Transient, Undetermined) may be. */
export const BOUNCE_TYPE = {
  values: ['hard', 'soft'],
  aliases: { hard: ['permanent'], soft: ['transient', 'undetermined'] },
} as const satisfies EnumSpec<'hard' | 'soft'>;

/** For enumerations whose blank has a meaning (donations.status blank = completed). */
export function enumReaderWithDefault<T extends string>(spec: EnumSpec<T> & { default: T }): (raw: RawCell) => CellResult<T> {
  return enumReader(spec) as (raw: RawCell) => CellResult<T>;
}
