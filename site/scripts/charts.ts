import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { ChartSpec } from '../lib/chart-spec.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

/** Draws every canvas[data-chart] on the page from the spec its table was rendered from. */
const brand = getComputedStyle(document.documentElement).getPropertyValue('--ink').trim() || '#0b6e4f';
const second = '#6b7280';

for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) {
  const spec = JSON.parse(canvas.dataset.chart!) as ChartSpec;
  const scale = (v: number | null) => (v === null ? null : spec.unit === 'money' ? v / 100 : spec.unit === 'percent' ? v * 100 : v);
  const tick = new Intl.NumberFormat(spec.locale, spec.unit === 'money' ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 1 });
  new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values.map(scale),
        backgroundColor: i === 0 ? brand : second,
        borderColor: i === 0 ? brand : second,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: spec.series.length > 1 } },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => `${tick.format(Number(v))}${spec.unit === 'percent' ? '%' : ''}` } } },
    },
  });
}
