import { formatMoney } from '../../sync/cells/money.ts';
import type { Dataset, Donation, RecurringPlan } from '../../sync/dataset.ts';
import type { Locale } from '../../sync/locale.ts';

export type Bilingual = Record<Locale, string>;

/**
 * Writes a member's reason in the org's locale (settings.default_locale), with the dates and
 * amounts that decided it.
 */
export function reasonWriter(dataset: Pick<Dataset, 'settings'>) {
  const { default_locale: locale, currency } = dataset.settings;
  const zh = locale === 'zh-TW';
  // Members' reasons repeat a few amounts (NT$1,000) thousands of times: each is formatted once per writer.
  const formatted = new Map<string, string>();
  const money = (amount: number, c = currency) => {
    const key = `${amount} ${c}`;
    let text = formatted.get(key);
    if (text === undefined) formatted.set(key, (text = formatMoney(amount, c, locale)));
    return text;
  };
  return {
    locale,
    money,
    say: (text: Bilingual) => text[locale],
    /** "NT$1,000 on 2024-05-01" / "2024-05-01 捐款 NT$1,000". */
    gift: (d: Donation) => (zh ? `${d.date} 捐款 ${money(d.amount, d.currency)}` : `${money(d.amount, d.currency)} on ${d.date}`),
    /** "plan R1 (NT$500 monthly, since 2023-01-05, in progress)". */
    plan: (p: RecurringPlan, paid: number) =>
      zh
        ? `定期定額 ${p.recurring_id}（${FREQUENCY_ZH[p.frequency]} ${money(p.amount, p.currency)}，${p.start_date} 起，狀態 ${STATUS_ZH[p.status]}，已扣款 ${paid} 期）`
        : `plan ${p.recurring_id} (${money(p.amount, p.currency)} ${p.frequency}, since ${p.start_date}, ${p.status.replace('_', ' ')}, ${paid} paid)`,
    list: (items: string[]) => items.join(zh ? '；' : '; '),
  };
}

export type ReasonWriter = ReturnType<typeof reasonWriter>;

const FREQUENCY_ZH: Record<RecurringPlan['frequency'], string> = { monthly: '每月', quarterly: '每季', yearly: '每年' };
const STATUS_ZH: Record<RecurringPlan['status'], string> = {
  in_progress: '進行中', completed: '已完成', cancelled: '已取消', failed: '失敗', overdue: '逾期', paused: '暫停', pending: '待生效',
};
