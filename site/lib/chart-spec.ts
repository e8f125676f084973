/** What one impact chart shows; the page renders its table from the same spec, so they cannot differ. */
export interface ChartSpec {
  kind: 'bar' | 'line';
  /** money: values in minor units of `currency`; percent: ratios (0.5 = 50%). */
  unit: 'money' | 'count' | 'percent';
  currency?: string;
  locale: string;
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
}
