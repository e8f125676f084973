import type { IsoDate } from '../sync/cells/dates.ts';
import type { Minor } from '../sync/cells/money.ts';
import type { Rng } from './random.ts';

/** How often a cell is typed "the staff way" instead of the canonical form. */
const SPRINKLE = 0.04;

const ROC_OFFSET = 1911;
const FULL_WIDTH_OFFSET = 0xfee0;
/** １，０００ and ２０２４／１／５: what an IME in full-width mode types. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET));

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * Writes values the way real staff sheets hold them: mostly canonical, with a sprinkle of
 * `NT$1,000`, `1,000元`, ROC dates (`113/1/5`), slashes, zh-TW status words and full-width
 * digits, so the sample exercises every cell reader.
 */
export class Typist {
  constructor(private readonly rng: Rng) {}

  private sprinkled(): boolean {
    return this.rng.chance(SPRINKLE);
  }

  date(iso: IsoDate | undefined): string | undefined {
    if (!iso || !this.sprinkled()) return iso;
    const [y, m, d] = iso.split('-').map(Number);
    return this.rng.pick([
      () => `${y}/${m}/${d}`,
      () => `${y - ROC_OFFSET}/${m}/${d}`,
      () => `民國${y - ROC_OFFSET}年${m}月${d}日`,
      () => `${y}.${m}.${d}`,
      () => fullWidth(`${y}/${m}/${d}`),
    ])();
  }

  /** A local wall-clock time in the org's time zone, as staff type it (no offset). */
  dateTime(iso: IsoDate, hour: number, minute: number): string {
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    if (!this.sprinkled()) return `${iso} ${time}`;
    const [y, m, d] = iso.split('-').map(Number);
    return `${y}/${m}/${d} ${time}`;
  }

  amount(minor: Minor, currency: string): string {
    const whole = minor % 100 === 0;
    const plain = whole ? String(minor / 100) : (minor / 100).toFixed(2);
    if (!this.sprinkled()) return plain;
    if (currency !== 'TWD' || !whole) return this.rng.pick([`US$${plain}`, plain.replace(/^(\d+)/, (n) => grouped(Number(n)))]);
    const n = minor / 100;
    return this.rng.pick([`NT$${grouped(n)}`, `${grouped(n)}元`, grouped(n), fullWidth(grouped(n)), `${n}元`]);
  }

  /** An enumeration value, or one of the other ways staff write it. */
  word<T extends string>(value: T, variants: Partial<Record<T, readonly string[]>>): string {
    const others = variants[value];
    return others && others.length > 0 && this.sprinkled() ? this.rng.pick(others) : value;
  }

  bool(value: boolean): string {
    if (!this.sprinkled()) return value ? 'yes' : '';
    return this.rng.pick(value ? ['Y', '是', '✓', 'TRUE', '1', 'v'] : ['no', '否', 'N', 'FALSE', '0']);
  }

  count(n: number): string {
    return this.sprinkled() ? fullWidth(String(n)) : String(n);
  }
}

/** Other spellings staff use for enumeration values (all readable by sync/cells/enums.ts). */
export const DONATION_STATUS_WORDS = {
  completed: ['', '已完成', 'Completed', '成功', 'paid'],
  failed: ['失敗', 'Failed', '授權失敗'],
  refunded: ['退款', 'Refunded'],
  pending: ['處理中', '待付款', 'Pending'],
  cancelled: ['取消', 'canceled'],
} as const;

export const PLAN_STATUS_WORDS = {
  in_progress: ['進行中', 'Active', 'In Progress'],
  completed: ['已完成', '期滿'],
  cancelled: ['取消', '已取消', 'canceled'],
  failed: ['失敗'],
  overdue: ['逾期'],
  paused: ['暫停', 'Paused'],
  pending: ['待生效'],
} as const;

export const FREQUENCY_WORDS = {
  monthly: ['', '每月', 'Monthly'],
  quarterly: ['每季'],
  yearly: ['每年', 'annual'],
} as const;

export const PARTICIPANT_STATUS_WORDS = {
  registered: ['已報名', ''],
  attended: ['出席', '已報到'],
  no_show: ['未出席'],
  cancelled: ['取消'],
} as const;
