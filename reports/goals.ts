import type { Dataset, Goal } from '../sync/dataset.ts';
import { type FiscalPeriod, yearKpis } from './kpis.ts';
import { type FundraisingKpiId, type Label, type MetricKind, type NewsletterKpiId, KPIS, goalMetrics, isKpiId } from '../sync/schema/goal-metrics.ts';
import { mailingPerformance, newsletterTotals } from './newsletter.ts';
import { fiscalYear, samePointLastYear } from '../sync/periods.ts';
import { type Rate, rate } from './rate.ts';
import { type SegmentCatalog, segmentSizesOn } from './segment-sizes.ts';

/**
 * A metric's value for a fiscal year counted to period.end: a KPI of that year (newsletter rates
 * pool the mailings that started in it), or a segment's size on period.end. Null when a rate has
 * no denominator.
 */
export function metricValue(dataset: Dataset, period: FiscalPeriod, id: string, catalog: SegmentCatalog): number | null {
  if (!isKpiId(id)) return segmentSizesOn(catalog, dataset, period.end, [id])[0];
  if (KPIS[id].from === 'newsletter') return newsletterTotals(mailingPerformance(dataset, period.end), period)[id as NewsletterKpiId];
  return yearKpis(dataset, period)[id as FundraisingKpiId];
}

export interface GoalProgress {
  goal: Goal;
  kind: MetricKind;
  label: Label;
  /** The goal's fiscal year, counted to D (or to its end, once past). */
  year: FiscalPeriod;
  /** null before the year has begun, or for a rate with nothing to divide by yet. */
  value: number | null;
  /** value ÷ target. */
  progress: Rate;
  /** The value on the same day of the year before (samePointLastYear). */
  last_year_value: number | null;
  /** value − last_year_value. */
  change: number | null;
}

/** Each goal against its target and against the same point of the year before. */
export function goalProgress(dataset: Dataset, asOf: string, catalog: SegmentCatalog): GoalProgress[] {
  const fyStart = dataset.settings.fiscal_year_start;
  const metrics = goalMetrics(catalog.definitions);
  return dataset.goals.flatMap((goal) => {
    const metric = metrics.find(goal.metric);
    if (!metric) return []; // sync reported it; a segment registry without it cannot count it
    const whole = fiscalYear(goal.fiscal_year === undefined ? asOf : `${goal.fiscal_year}-${fyStart}`, fyStart);
    const year = { ...whole, end: whole.end < asOf ? whole.end : asOf };
    const started = year.start <= asOf;
    const lastEnd = samePointLastYear(year.end, fyStart);
    const value = started ? metricValue(dataset, year, goal.metric, catalog) : null;
    const last = started ? metricValue(dataset, { ...fiscalYear(lastEnd, fyStart), end: lastEnd }, goal.metric, catalog) : null;
    return [{
      goal, kind: metric.kind, label: metric.label, year, value,
      progress: value === null ? null : rate(value, goal.target),
      last_year_value: last,
      change: value === null || last === null ? null : value - last,
    }];
  });
}
