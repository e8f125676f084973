import { label } from './labels.ts';
import { type Chart, type Dashboard, type Section, type Table, display, kindOf, sortValue } from './table.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script> element: no "</script>" can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;margin:0;color:#1f2933;background:#f6f7f9}
header{background:#1f6f5c;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.4rem}header p{margin:.25rem 0 0}
nav{padding:.5rem 1.5rem;background:#fff;border-bottom:1px solid #d9dde3;position:sticky;top:0;z-index:1}nav a{margin-right:1rem;color:#1f6f5c}
main{padding:0 1.5rem 2rem}section{background:#fff;border:1px solid #d9dde3;border-radius:6px;margin:1.25rem 0;padding:1rem 1.25rem}
h2{margin-top:0}h3{font-size:1rem;margin:1.25rem 0 .5rem}.note{background:#fff8e6;border-left:4px solid #d97706;padding:.5rem .75rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}.chart-box{position:relative;height:300px}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.875rem;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left;white-space:nowrap}
th{cursor:pointer;background:#f1f3f5;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}.csv{font-size:.8rem;margin-left:.5rem}`;

const SORT_SCRIPT = `
for (const th of document.querySelectorAll('table.sortable th')) th.addEventListener('click', () => {
  const table = th.closest('table'), i = [...th.parentNode.children].indexOf(th);
  const numeric = th.dataset.numeric === '1', dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
  for (const other of th.parentNode.children) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  const body = table.tBodies[0];
  [...body.rows].sort((a, b) => {
    const x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
    if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1; // missing values last
    return dir * (numeric ? Number(x) - Number(y) : x.localeCompare(y));
  }).forEach((row) => body.appendChild(row));
});`;

const CHART_SCRIPT = `
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
for (const c of JSON.parse(document.getElementById('chart-data').textContent)) new Chart(document.getElementById('chart-' + c.id), c.config);`;

function renderTable(t: Table, d: Dashboard): string {
  const head = t.columns.map((c) => `<th data-numeric="${c.kind === 'text' || c.kind === 'datetime' ? 0 : 1}">${esc(c.label)}</th>`).join('');
  const body = t.rows
    .map((row) => `<tr>${t.columns.map((c) => {
      const kind = kindOf(c, row);
      const numeric = kind !== 'text' && kind !== 'datetime';
      return `<td${numeric ? ' class="n"' : ''} data-v="${esc(sortValue(row[c.key]))}">${esc(display(row[c.key], c, row, d))}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<h3>${esc(t.title)}<a class="csv" href="${esc(t.id)}.csv" download>${label(d.locale, 'download_csv')}</a></h3>
<div class="table-wrap"><table class="sortable" id="table-${esc(t.id)}"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

const renderChart = (c: Chart) => `<figure><h3>${esc(c.title)}</h3><div class="chart-box"><canvas id="chart-${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div></figure>`;

function renderSection(s: Section, d: Dashboard): string {
  return `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>
${s.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${s.charts.length ? `<div class="charts">${s.charts.map(renderChart).join('\n')}</div>` : ''}
${s.tables.map((t) => renderTable(t, d)).join('\n')}
</section>`;
}

/** One self-contained page: chart.js, styles, data and scripts all inline; nothing is fetched. */
export function renderDashboard(d: Dashboard, chartJs: string): string {
  const L = (k: Parameters<typeof label>[1]) => label(d.locale, k);
  const charts = d.sections.flatMap((s) => s.charts);
  return `<!doctype html>
<html lang="${d.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(d.orgName)} · ${esc(L('title'))}</title>
<style>${CSS}</style></head>
<body>
<header><h1>${esc(d.orgName)} · ${esc(L('title'))}</h1><p>${esc(L('as_of'))} ${esc(d.asOf)} · ${esc(L('private_note'))} ${esc(L('sort_hint'))}</p></header>
<nav>${d.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('')}</nav>
<main>
${d.sections.map((s) => renderSection(s, d)).join('\n')}
</main>
<script type="application/json" id="chart-data">${scriptJson(charts.map((c) => ({ id: c.id, config: c.config })))}</script>
<script>${chartJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>${CHART_SCRIPT}${SORT_SCRIPT}</script>
</body>
</html>
`;
}
