import type { Dataset } from '../../sync/dataset.ts';
import type { PublicImpactRow } from './types.ts';

/** impact.json: the impact tab's rows marked public, in sheet order. */
export function publicImpact(dataset: Dataset): PublicImpactRow[] {
  return dataset.impact.filter((r) => r.public).map((r) => ({ period: r.period, metric: r.metric, value: r.value, unit: r.unit, note: r.note }));
}
