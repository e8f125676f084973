/** How a metric's value reads: a count of people or things, money (minor units), or a ratio 0–1. */
export type MetricKind = 'count' | 'money' | 'rate';

export type Label = { 'zh-TW': string; en: string };

/**
 * Every KPI the reports compute, by the id a goal names it with, and where it comes from. The
 * definitions are on the fields of YearKpis (reports/kpis.ts) and MailingRates (reports/newsletter.ts).
 */
export const KPIS = {
  donors: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '捐款人數', en: 'Donors' } },
  gifts: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '捐款筆數', en: 'Gifts' } },
  amount: { from: 'fundraising', kind: 'money', label: { 'zh-TW': '捐款金額', en: 'Amount' } },
  average_gift: { from: 'fundraising', kind: 'money', label: { 'zh-TW': '平均單筆金額', en: 'Average gift' } },
  new_donors: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '新捐款人', en: 'New donors' } },
  retained_donors: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '續捐人數', en: 'Retained donors' } },
  recaptured_donors: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '回流捐款人', en: 'Recaptured donors' } },
  lapsed_donors: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '流失捐款人', en: 'Lapsed donors' } },
  donor_retention: { from: 'fundraising', kind: 'rate', label: { 'zh-TW': '捐款人續捐率', en: 'Donor retention' } },
  new_donor_retention: { from: 'fundraising', kind: 'rate', label: { 'zh-TW': '新捐款人續捐率', en: 'New-donor retention' } },
  repeat_donor_retention: { from: 'fundraising', kind: 'rate', label: { 'zh-TW': '老捐款人續捐率', en: 'Repeat-donor retention' } },
  dollar_retention: { from: 'fundraising', kind: 'rate', label: { 'zh-TW': '金額續捐率', en: 'Dollar retention' } },
  recurring_active: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '進行中定期定額', en: 'Recurring plans in progress' } },
  recurring_new: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '新增定期定額', en: 'Recurring plans started' } },
  recurring_ended: { from: 'fundraising', kind: 'count', label: { 'zh-TW': '結束定期定額', en: 'Recurring plans ended' } },
  monthly_recurring_amount: { from: 'fundraising', kind: 'money', label: { 'zh-TW': '每月定期定額金額', en: 'Monthly recurring amount' } },
  open_rate: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '開信率', en: 'Open rate' } },
  click_rate: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '點擊率', en: 'Click rate' } },
  click_to_open: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '開信點擊率', en: 'Click-to-open' } },
  bounce_rate: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '退信率', en: 'Bounce rate' } },
  unsubscribe_rate: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '退訂率', en: 'Unsubscribe rate' } },
  complaint_rate: { from: 'newsletter', kind: 'rate', label: { 'zh-TW': '垃圾信檢舉率', en: 'Complaint rate' } },
} as const satisfies Record<string, { from: 'fundraising' | 'newsletter'; kind: MetricKind; label: Label }>;

export type KpiId = keyof typeof KPIS;
type KpiFrom<F> = { [K in KpiId]: (typeof KPIS)[K]['from'] extends F ? K : never }[KpiId];
/** KPIs of a fiscal year's gifts and plans (fields of YearKpis). */
export type FundraisingKpiId = KpiId & KpiFrom<'fundraising'>;
/** KPIs of a period's mailings (fields of MailingRates). */
export type NewsletterKpiId = KpiId & KpiFrom<'newsletter'>;
export const isKpiId = (id: string): id is KpiId => Object.hasOwn(KPIS, id);

/** What a goal can name: a KPI, or a segment's size (a count). A KPI id wins over a segment of the same id. */
export interface GoalMetrics {
  find(id: string): { kind: MetricKind; label: Label } | undefined;
  ids(): string[];
}

/** The goal metrics: every KPI and the given segments (sync passes the segment registry's). */
export function goalMetrics(segments: readonly { id: string; title: Label }[] = []): GoalMetrics {
  return {
    find: (id) => {
      if (isKpiId(id)) return KPIS[id];
      const segment = segments.find((s) => s.id === id);
      return segment && { kind: 'count', label: segment.title };
    },
    ids: () => [...new Set([...Object.keys(KPIS), ...segments.map((s) => s.id)])],
  };
}
