import type { Dataset } from '../../sync/dataset.ts';
import { campaignProgress } from '../campaigns.ts';
import { SIGNUP_WEEKS, consentFigures } from '../consent.ts';
import { goalProgress } from '../goals.ts';
import { type YearKpis, fiscalYearHistory, fundraisingKpis } from '../kpis.ts';
import { type FundraisingKpiId, type KpiId, KPIS, isKpiId } from '../../sync/schema/goal-metrics.ts';
import { formatMoney } from '../../sync/cells/money.ts';
import type { OtherCurrency } from '../ledger/index.ts';
import { type MailingPerformance, bestAndWorst, mailingPerformance, openRateByMonth } from '../newsletter.ts';
import type { Period } from '../../sync/periods.ts';
import { type SegmentCatalog, segmentSizes } from '../segment-sizes.ts';
import { type AttributionRow, UTM_DIMENSIONS, utmAttribution } from '../utm.ts';
import type { Locale } from '../../sync/locale.ts';
import { type LabelKey, label } from './labels.ts';
import type { Chart, Column, Dashboard, Section, Table } from './table.ts';

export interface DashboardOptions {
  /** The UTM attribution period (--from/--to; default this fiscal year to D). */
  utmPeriod: Period;
  catalog: SegmentCatalog;
}

const PALETTE = ['#1f6f5c', '#d97706', '#2563eb', '#b91c1c', '#7c3aed', '#0891b2', '#65a30d', '#db2777'];
const major = (minor: number) => minor / 100;
const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

/** Everything the staff dashboard shows, as tables and chart.js configurations. */
export function buildDashboard(dataset: Dataset, asOf: string, options: DashboardOptions): Dashboard {
  const locale = dataset.settings.default_locale;
  const L = (key: LabelKey, fill?: Record<string, string>) => label(locale, key, fill);
  const kpiLabel = (id: KpiId) => KPIS[id].label[locale];
  const col = (key: LabelKey | KpiId, kind: Column['kind'], labelKey?: LabelKey, extra: Partial<Column> = {}): Column => ({
    key, label: labelKey ? L(labelKey) : isKpiId(key) ? kpiLabel(key) : L(key), kind, ...extra,
  });
  const none = (v: string | null) => v ?? L('none');
  const others = (list: OtherCurrency[]) => list.map((o) => formatMoney(o.amount_minor, o.currency, locale)).join(', ');
  const mailings = mailingPerformance(dataset, asOf);
  const kpis = fundraisingKpis(dataset, asOf);
  // The campaigns section counts this year's gifts by campaign; the UTM section's period is this year unless --from/--to say otherwise.
  const utm = utmAttribution(dataset, options.utmPeriod);
  const { year } = kpis.thisYear;
  const sameYear = options.utmPeriod.start === year.start && options.utmPeriod.end === year.end;
  const thisYearUtm = sameYear ? utm : utmAttribution(dataset, year);
  const ctx = { locale, L, col, kpiLabel, none, others, dataset, asOf, options, mailings, kpis, utm, thisYearUtm };
  return {
    locale, currency: dataset.settings.currency, timeZone: dataset.settings.timezone, orgName: dataset.settings.org_name, asOf,
    sections: [goalsSection(ctx), fundraisingSection(ctx), campaignsSection(ctx), segmentsSection(ctx), newsletterSection(ctx), consentSection(ctx), utmSection(ctx)],
  };
}

type Ctx = {
  locale: Locale;
  L: (key: LabelKey, fill?: Record<string, string>) => string;
  col: (key: LabelKey | KpiId, kind: Column['kind'], labelKey?: LabelKey, extra?: Partial<Column>) => Column;
  kpiLabel: (id: KpiId) => string;
  none: (v: string | null) => string;
  others: (list: OtherCurrency[]) => string;
  dataset: Dataset;
  asOf: string;
  options: DashboardOptions;
  mailings: MailingPerformance[];
  kpis: ReturnType<typeof fundraisingKpis>;
  /** Gifts by UTM dimension for options.utmPeriod, and for this fiscal year to D. */
  utm: ReturnType<typeof utmAttribution>;
  thisYearUtm: ReturnType<typeof utmAttribution>;
};

const bar = (labels: string[], datasets: { label: string; data: (number | null)[] }[], horizontal = false): Chart['config'] => ({
  type: 'bar',
  data: { labels, datasets: datasets.map((d, i) => ({ ...d, backgroundColor: PALETTE[i % PALETTE.length] })) },
  options: { indexAxis: horizontal ? 'y' : 'x', maintainAspectRatio: false, animation: false },
});
const line = (labels: string[], datasets: { label: string; data: (number | null)[] }[]): Chart['config'] => ({
  type: 'line',
  data: { labels, datasets: datasets.map((d, i) => ({ ...d, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true })) },
  options: { maintainAspectRatio: false, animation: false },
});

function goalsSection({ locale, L, col, dataset, asOf, options }: Ctx): Section {
  const goals = goalProgress(dataset, asOf, options.catalog);
  const table: Table = {
    id: 'goals', title: L('goals'),
    columns: [col('metric', 'text'), col('fiscal_year', 'text'), col('target', 'byRow'), col('value', 'byRow'), col('progress', 'rate'), col('last_year_value', 'byRow'), col('change', 'byRow', 'change', { delta: true }), col('note', 'text')],
    rows: goals.map((g) => ({
      kind: g.kind, metric: g.label[locale], fiscal_year: g.year.label, target: g.goal.target, value: g.value, progress: g.progress,
      last_year_value: g.last_year_value, change: g.change, note: g.goal.note,
    })),
  };
  const chart: Chart = {
    id: 'goal_progress', title: L('goal_progress_chart'),
    config: bar(goals.map((g) => `${g.label[locale]} ${g.year.label}`), [{ label: `${L('progress')} %`, data: goals.map((g) => pct(g.progress)) }], true),
  };
  return { id: 'goals', title: L('goals'), notes: goals.length ? [] : [L('no_goals')], charts: goals.length ? [chart] : [], tables: [table] };
}

const FUNDRAISING_ROWS: FundraisingKpiId[] = [
  'donors', 'gifts', 'amount', 'average_gift', 'new_donors', 'retained_donors', 'recaptured_donors', 'lapsed_donors',
  'donor_retention', 'new_donor_retention', 'repeat_donor_retention', 'dollar_retention',
  'recurring_active', 'recurring_new', 'recurring_ended', 'monthly_recurring_amount',
];

function fundraisingSection({ L, col, kpiLabel, dataset, asOf, kpis }: Ctx): Section {
  const { thisYear, lastYearToDate, lastYear } = kpis;
  const yearCol = (key: string, labelKey: LabelKey, k: YearKpis): Column => ({ key, label: L(labelKey, { label: k.year.label, end: k.year.end }), kind: 'byRow' });
  const kpiTable: Table = {
    id: 'kpis', title: L('kpi_table'),
    columns: [col('metric', 'text'), yearCol('this_year', 'this_year', thisYear), yearCol('last_year_to_date', 'last_year_to_date', lastYearToDate), yearCol('last_year', 'last_year', lastYear)],
    rows: FUNDRAISING_ROWS.map((id) => ({ id, kind: KPIS[id].kind, metric: kpiLabel(id), this_year: thisYear[id], last_year_to_date: lastYearToDate[id], last_year: lastYear[id] })),
  };
  const other: Table = {
    id: 'other_currencies', title: L('other_currencies'),
    columns: [col('scope', 'text'), col('currency', 'text'), col('gifts', 'count'), col('amount', 'money')],
    rows: [
      ...[thisYear, lastYear].flatMap((k) => k.other_currencies.map((o) => ({ scope: `${L('amount')} ${k.year.label}`, currency: o.currency, gifts: o.gifts, amount: o.amount_minor }))),
      ...thisYear.monthly_recurring_other.map((o) => ({ scope: kpiLabel('monthly_recurring_amount'), currency: o.currency, gifts: null, amount: o.monthly_minor })),
    ],
  };
  const history = fiscalYearHistory(dataset, asOf);
  const historyTable: Table = {
    id: 'fiscal_years', title: L('history'),
    columns: [col('year', 'text'), col('donors', 'count'), col('gifts', 'count'), col('amount', 'money'), col('new_donors', 'count'), col('donor_retention', 'rate')],
    rows: history.map((k) => ({ year: k.year.label, donors: k.donors, gifts: k.gifts, amount: k.amount, new_donors: k.new_donors, donor_retention: k.donor_retention })),
  };
  const mixIds: FundraisingKpiId[] = ['new_donors', 'retained_donors', 'recaptured_donors', 'lapsed_donors'];
  const charts: Chart[] = [
    {
      id: 'donor_mix', title: L('donor_mix'),
      config: bar(mixIds.map(kpiLabel), [lastYear, thisYear].map((k) => ({ label: k.year.label, data: mixIds.map((id) => k[id]) }))),
    },
    {
      id: 'amount_by_year', title: L('amount_by_year'),
      config: bar(history.map((k) => k.year.label), [{ label: `${L('amount')} (${dataset.settings.currency})`, data: history.map((k) => major(k.amount)) }]),
    },
  ];
  return {
    id: 'fundraising', title: L('fundraising'), notes: [L('money_note', { currency: dataset.settings.currency })],
    charts, tables: [kpiTable, historyTable, ...(other.rows.length ? [other] : [])],
  };
}

function campaignsSection({ L, col, others, dataset, asOf, thisYearUtm }: Ctx): Section {
  const progress = campaignProgress(dataset, asOf);
  const thisYear = new Map(thisYearUtm.campaign.map((r) => [r.value, r]));
  const table: Table = {
    id: 'campaigns', title: L('campaigns'),
    columns: [col('slug', 'text'), col('title', 'text', 'title_col'), col('goal', 'money'), col('raised', 'money'), col('progress', 'rate'), col('donors', 'count'), col('gifts', 'count'), col('year_amount', 'money'), col('end_date', 'text'), col('days_left', 'count'), col('other_currencies', 'text', 'other_currencies_col')],
    rows: progress.map((p) => ({
      currency: p.currency, slug: p.slug, title: p.title, goal: p.goal_minor, raised: p.raised_minor, progress: p.progress, donors: p.donors, gifts: p.gifts,
      year_amount: thisYear.get(p.slug)?.amount_minor ?? 0, end_date: dataset.campaigns.find((c) => c.slug === p.slug)?.end_date, days_left: p.days_left,
      other_currencies: others(p.other_currencies),
    })),
  };
  const charts: Chart[] = progress.length
    ? [{
        id: 'campaign_progress', title: L('raised_vs_goal'),
        config: bar(progress.map((p) => p.title), [
          { label: L('raised'), data: progress.map((p) => major(p.raised_minor)) },
          { label: L('goal'), data: progress.map((p) => (p.goal_minor === undefined ? null : major(p.goal_minor))) },
        ], true),
      }]
    : [];
  return { id: 'campaigns', title: L('campaigns'), notes: [], charts, tables: [table] };
}

function segmentsSection({ L, col, locale, dataset, asOf, options }: Ctx): Section {
  const sizes = segmentSizes(dataset, asOf, options.catalog);
  const table: Table = {
    id: 'segment_sizes', title: L('segments'),
    columns: [col('segment', 'text'), ...sizes.dates.map((d): Column => ({ key: d, label: d, kind: 'count' }))],
    rows: sizes.segments.map((s) => ({ segment: s.title[locale], ...Object.fromEntries(sizes.dates.map((d, i) => [d, s.sizes[i]])) })),
  };
  const chart: Chart = {
    id: 'segment_sizes', title: L('segment_chart'),
    config: line(sizes.dates, sizes.segments.map((s) => ({ label: s.title[locale], data: s.sizes }))),
  };
  const any = sizes.segments.length > 0;
  return { id: 'segments', title: L('segments'), notes: any ? [] : [L('no_segments')], charts: any ? [chart] : [], tables: any ? [table] : [] };
}

function newsletterSection({ L, col, kpiLabel, mailings, asOf }: Ctx): Section {
  const rateCols = (keys: (LabelKey | KpiId)[]) => keys.map((k) => col(k, isKpiId(k) ? 'rate' : 'count'));
  const list: Table = {
    id: 'mailings', title: L('mailings'),
    columns: [
      col('mailing_id', 'text'), col('name', 'text'), col('subject', 'text'), col('status', 'text'), col('created_by', 'text'),
      col('scheduled', 'datetime'), col('started', 'datetime'), col('completed', 'datetime'),
      ...rateCols(['recipients', 'delivered', 'opens', 'open_rate', 'clicks', 'click_rate', 'click_to_open', 'bounces', 'bounce_rate', 'unsubscribes', 'unsubscribe_rate', 'complaints', 'complaint_rate']),
    ],
    rows: mailings.map((m) => ({ ...m, status: L(`status_${m.status}`) })),
  };
  const months = openRateByMonth(mailings, asOf);
  const monthly: Table = {
    id: 'open_rate_by_month', title: L('monthly_open_rate'),
    columns: [col('month', 'text'), col('mailings', 'count', 'mailing_count'), col('delivered', 'count'), col('opens', 'count'), col('open_rate', 'rate'), col('year_before', 'rate'), col('change', 'rate', 'change', { delta: true })],
    rows: months.map((m) => ({ ...m })),
  };
  const { best, worst } = bestAndWorst(mailings);
  const ranked: Table = {
    id: 'best_and_worst', title: L('best_worst'),
    columns: [col('rank', 'text'), col('mailing_id', 'text'), col('subject', 'text'), col('date', 'text'), col('open_rate', 'rate'), col('click_rate', 'rate')],
    rows: [
      ...best.map((m, i) => ({ rank: `${L('best')} ${i + 1}`, mailing_id: m.mailing_id, subject: m.subject, date: m.date, open_rate: m.open_rate, click_rate: m.click_rate })),
      ...worst.map((m, i) => ({ rank: `${L('worst')} ${i + 1}`, mailing_id: m.mailing_id, subject: m.subject, date: m.date, open_rate: m.open_rate, click_rate: m.click_rate })),
    ],
  };
  const sent = mailings.filter((m) => m.delivered > 0).slice(0, 12).reverse();
  const charts: Chart[] = [
    {
      id: 'open_rate_by_month', title: L('monthly_open_rate'),
      config: line(months.map((m) => m.month), [
        { label: `${kpiLabel('open_rate')} %`, data: months.map((m) => pct(m.open_rate)) },
        { label: `${L('year_before')} %`, data: months.map((m) => pct(m.year_before)) },
      ]),
    },
    {
      id: 'rates_by_mailing', title: L('rates_by_mailing'),
      config: bar(sent.map((m) => m.name), [
        { label: `${kpiLabel('open_rate')} %`, data: sent.map((m) => pct(m.open_rate)) },
        { label: `${kpiLabel('click_rate')} %`, data: sent.map((m) => pct(m.click_rate)) },
      ]),
    },
  ];
  return { id: 'newsletter', title: L('newsletter'), notes: [L('mpp_note')], charts, tables: [list, monthly, ranked] };
}

/** Sign-ups, confirmations and the preference centre's choices: counts only, for staff. */
function consentSection({ L, col, dataset, asOf }: Ctx): Section {
  const f = consentFigures(dataset, asOf);
  const weeks: Table = {
    id: 'signups_by_week', title: L('signups_by_week', { weeks: String(SIGNUP_WEEKS) }),
    columns: [col('week', 'text'), col('week_start', 'text'), col('signups', 'count')],
    rows: f.weeks.map((w) => ({ week: w.week, week_start: w.start, signups: w.signups })),
  };
  const summary: Table = {
    id: 'confirmation', title: L('confirmation'),
    columns: [col('metric', 'text'), col('value', 'byRow', 'count_col')],
    rows: [
      { kind: 'count', metric: L('signups'), value: f.signups },
      { kind: 'count', metric: L('confirmed'), value: f.confirmed },
      { kind: 'rate', metric: L('confirmation_rate'), value: f.confirmation_rate },
    ],
  };
  const topics: Table = {
    id: 'topic_opt_outs', title: L('topic_opt_outs'),
    columns: [col('topic', 'text'), col('opted_out', 'count'), col('receiving', 'count')],
    rows: f.topics.map((t) => ({ topic: t.label ? `${t.label} (${t.topic})` : t.topic, opted_out: t.opted_out, receiving: t.receiving })),
  };
  const frequencies: Table = {
    id: 'email_frequencies', title: L('email_frequencies'),
    columns: [col('frequency', 'text'), col('contacts', 'count')],
    rows: f.frequencies.map((r) => ({ frequency: L(`frequency_${r.frequency}`), contacts: r.contacts })),
  };
  return {
    id: 'consent', title: L('consent'), notes: [L(f.confirmed_from === 'status' ? 'confirmed_from_status' : 'confirmed_from_consent'), L('preferences_note')],
    charts: [{ id: 'signups_by_week', title: L('signups_by_week', { weeks: String(SIGNUP_WEEKS) }), config: bar(f.weeks.map((w) => w.week), [{ label: L('signups'), data: f.weeks.map((w) => w.signups) }]) }],
    tables: [weeks, summary, topics, frequencies],
  };
}

function utmSection({ L, col, none, others, dataset, options, utm: by }: Ctx): Section {
  const period = options.utmPeriod;
  const table = (dimension: (typeof UTM_DIMENSIONS)[number], rows: AttributionRow[]): Table => ({
    id: `attribution_${dimension}`, title: L(`by_${dimension}` as const),
    columns: [col('value', 'text', dimension), col('gifts', 'count'), col('donors', 'count'), col('first_time_donors', 'count'), col('amount', 'money'), col('other_currencies', 'text', 'other_currencies_col')],
    rows: rows.map((r) => ({ value: none(r.value), gifts: r.gifts, donors: r.donors, first_time_donors: r.first_time_donors, amount: r.amount_minor, other_currencies: others(r.other_currencies) })),
  });
  const tables = UTM_DIMENSIONS.map((d) => table(d, by[d]));
  return {
    id: 'utm', title: L('utm'), notes: [L('utm_period', { from: period.start, to: period.end }), L('money_note', { currency: dataset.settings.currency })],
    charts: [{
      id: 'amount_by_source', title: L('amount_by_source'),
      config: bar(by.utm_source.map((r) => none(r.value)), [{ label: `${L('amount')} (${dataset.settings.currency})`, data: by.utm_source.map((r) => major(r.amount_minor)) }]),
    }],
    tables,
  };
}
