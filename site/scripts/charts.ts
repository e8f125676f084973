import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { ChartSpec } from '../lib/chart-spec.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

const brand = getComputedStyle(document.documentElement).getPropertyValue('--ink').trim() || '#0b6e4f';
const second = '#6b7280';

/** Draws a canvas[data-chart] from the spec its table was rendered from. */
function draw(canvas: HTMLCanvasElement) {
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
  canvas.dataset.drawn = 'yes';
}

// Each chart is drawn when it comes near the screen, one per task, so no long task blocks the page.
const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      setTimeout(() => draw(entry.target as HTMLCanvasElement));
    }
  },
  { rootMargin: '200px' },
);
for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) observer.observe(canvas);
