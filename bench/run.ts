/**
 * npm run bench: workload L (generated, cached) and S (the committed sample) through sync phase by
 * phase, beside DuckDB (segments scope and whole load), rendering, a rate-limited live send, and
 * start-up. Prints a table and writes bench/results.json. Heavy: it loads a machine for minutes.
 *
 * BENCH_RUNS (default 3): runs on L, interleaved — Tidings and DuckDB take turns in one loop, each
 * in a fresh process, so a spell of load from elsewhere on a shared machine hits both; medians.
 * BENCH_ONLY=scope,duckdb,…: only those parts (scope = Tidings' segments scope, duckdb = both
 * DuckDB runs, sync, render, send, startup, site); the default is all.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { compiledHarnesses } from './compiled.ts';
import { MB, median, runChild } from './measure.ts';
import { renderRate } from './render.ts';
import { sendRate } from './send.ts';
import { siteBuildMs } from './site.ts';
import { startup } from './startup.ts';
import type { PhaseResult } from './sync-phases.ts';
import { AS_OF, SMALL, largeWorkload } from './workload.ts';

const PARTS = ['sync', 'scope', 'duckdb', 'render', 'send', 'startup', 'site'] as const;
type Part = (typeof PARTS)[number];
const only = process.env.BENCH_ONLY?.split(',').map((p) => p.trim()).filter(Boolean);
for (const p of only ?? []) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part ${p}; parts are ${PARTS.join(', ')}`);
const runs = (part: Part) => !only || only.includes(part);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const log = (line: string) => console.error(line);

interface Measured {
  ms: number;
  cpuMs: number;
  peakRss: number;
}
interface SyncRun extends Measured {
  phases: PhaseResult[];
}

/** Runs a harness (its last output line is JSON): Tidings' compiled as the CLI is, DuckDB's from TypeScript. */
async function child<T>(args: string[]): Promise<T> {
  const { code, stdout, stderr } = await runChild(process.execPath, args[0].endsWith('.ts') ? ['--import', 'tsx', ...args] : args);
  if (code !== 0) throw new Error(`${args.join(' ')} failed: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const compiled = runs('sync') || runs('scope') ? await compiledHarnesses() : undefined;

async function syncRun(dir: string): Promise<SyncRun> {
  const { phases, cpuMs } = await child<{ phases: PhaseResult[]; cpuMs: number }>([compiled!.path('sync-phases'), dir, AS_OF]);
  let ms = 0;
  let peakRss = 0;
  for (const p of phases) {
    ms += p.ms;
    peakRss = Math.max(peakRss, p.peakRss);
  }
  return { ms, cpuMs, peakRss, phases };
}

const tidingsScopeRun = (dir: string) => child<Measured>([compiled!.path('tidings-scope'), dir, AS_OF]);
const duckdbRun = (part: string, dir: string) => child<Measured>(['bench/scope.ts', part, dir, AS_OF]);

/** Medians of each number over the runs (phases by position). */
function medians<T extends Measured>(all: T[]): T {
  const m = { ...all[0], ms: median(all.map((r) => r.ms)), cpuMs: median(all.map((r) => r.cpuMs)), peakRss: median(all.map((r) => r.peakRss)) };
  if ('phases' in m) {
    const phases = (all as unknown as SyncRun[]).map((r) => r.phases);
    (m as unknown as SyncRun).phases = phases[0].map((p, i) => ({
      phase: p.phase, ms: median(phases.map((r) => r[i].ms)), rss: median(phases.map((r) => r[i].rss)), peakRss: median(phases.map((r) => r[i].peakRss)),
    }));
  }
  return m;
}

/** Each selected measurement on `dir`, `n` times, taking turns; medians. */
async function interleaved(dir: string, n: number) {
  const got: { sync: SyncRun[]; scope: Measured[]; duckScope: Measured[]; duckLoad: Measured[] } = { sync: [], scope: [], duckScope: [], duckLoad: [] };
  for (let i = 0; i < n; i++) {
    log(`  run ${i + 1} of ${n} …`);
    if (runs('scope')) got.scope.push(await tidingsScopeRun(dir));
    if (runs('duckdb')) got.duckScope.push(await duckdbRun('duckdb-segments', dir));
    if (runs('sync')) got.sync.push(await syncRun(dir));
    if (runs('duckdb')) got.duckLoad.push(await duckdbRun('duckdb-load-all', dir));
  }
  const m = <T extends Measured>(list: T[]) => (list.length ? medians(list) : undefined);
  return { sync: m(got.sync), scope: m(got.scope), duckScope: m(got.duckScope), duckLoad: m(got.duckLoad) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)} ×`;
const both = (m: Measured | undefined) => (m ? `${seconds(m.ms)} wall, ${seconds(m.cpuMs)} CPU, peak ${mb(m.peakRss)}` : 'not run');

const large = runs('sync') || runs('scope') || runs('duckdb') || runs('site') ? await largeWorkload() : undefined;
let L: Awaited<ReturnType<typeof interleaved>> | undefined;
let S: Awaited<ReturnType<typeof interleaved>> | undefined;
if (large && (runs('sync') || runs('scope') || runs('duckdb'))) {
  log(`Tidings and DuckDB on L, interleaved (${RUNS} runs) …`);
  L = await interleaved(large, RUNS);
  log('… and on S (3 runs)');
  S = await interleaved(SMALL, 3);
}
let render, send, start, siteL, siteS;
if (runs('render')) {
  log('rendering …');
  render = await renderRate(SMALL, AS_OF, 4_000);
}
if (runs('send')) {
  log('sending 10,000 through the rate-limited fake Resend (about a minute) …');
  send = await sendRate(10_000);
}
if (runs('startup')) {
  log('start-up …');
  start = await startup(7);
}
if (large && runs('site')) {
  log('site build on L and S …');
  siteL = await siteBuildMs(large);
  siteS = await siteBuildMs(SMALL);
}

const targets: { target: string; value: string; met: boolean }[] = [];
if (L?.scope && L.duckScope) {
  targets.push({ target: 'segments scope on L ≤ 1.0 × DuckDB (wall, same run)', value: `${ratio(L.scope.ms, L.duckScope.ms)} (CPU ${ratio(L.scope.cpuMs, L.duckScope.cpuMs)})`, met: L.scope.ms <= L.duckScope.ms });
}
if (L?.sync && L.duckLoad) {
  targets.push({ target: 'whole sync on L ≤ 1.5 × DuckDB whole load', value: `${ratio(L.sync.ms, L.duckLoad.ms)} (CPU ${ratio(L.sync.cpuMs, L.duckLoad.cpuMs)})`, met: L.sync.ms <= 1.5 * L.duckLoad.ms });
}
if (L?.sync) targets.push({ target: 'peak RSS of sync on L ≤ 1 GB', value: mb(L.sync.peakRss), met: L.sync.peakRss <= 1024 * MB });
if (render) targets.push({ target: '≥ 2,000 emails rendered / s', value: `${Math.round(render.perSecond)} / s`, met: render.perSecond >= 2000 });
if (send) {
  targets.push({ target: 'send within 10% of the 200 / s ceiling', value: `${send.perSecond.toFixed(1)} / s (${Math.round((send.perSecond / send.ceiling) * 100)}%)`, met: send.perSecond >= 0.9 * send.ceiling });
}
if (start) targets.push({ target: 'start-up (tidings --help) ≤ 0.4 s', value: `${seconds(start.wallMs)} wall, ${seconds(start.cpuMs)} CPU`, met: start.wallMs <= 400 });
if (siteL !== undefined && siteS !== undefined) {
  targets.push({ target: 'site build on L ≤ 2 × S', value: `${seconds(siteL)} vs ${seconds(siteS)} (${(siteL / siteS).toFixed(2)} ×)`, met: siteL <= 2 * siteS });
}

const lines = [`machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 1024 ** 3)} GB; Node ${process.version}; medians of ${RUNS} interleaved run(s) on L, 3 on S`];
if (L?.sync && S?.sync) {
  const s = S.sync;
  lines.push('', 'sync phase      L time     L RSS at end  L peak so far   S time');
  L.sync.phases.forEach((p, i) => lines.push(`${p.phase.padEnd(14)}  ${seconds(p.ms).padStart(9)}  ${mb(p.rss).padStart(12)}  ${mb(p.peakRss).padStart(13)}  ${seconds(s.phases[i].ms).padStart(8)}`));
  lines.push(`${'whole sync'.padEnd(14)}  ${seconds(L.sync.ms).padStart(9)}  ${''.padStart(12)}  ${mb(L.sync.peakRss).padStart(13)}  ${seconds(s.ms).padStart(8)}   (CPU on L ${seconds(L.sync.cpuMs)})`);
}
if (L && S) {
  lines.push(
    '',
    'same scope, segments only (settings + the 5 tabs segments read → every segment\'s members):',
    `  Tidings  L: ${both(L.scope)};  S: ${both(S.scope)}`,
    `  DuckDB   L: ${both(L.duckScope)};  S: ${both(S.duckScope)}`,
    ...(L.scope && L.duckScope ? [`  Tidings ÷ DuckDB on L: ${ratio(L.scope.ms, L.duckScope.ms)} wall, ${ratio(L.scope.cpuMs, L.duckScope.cpuMs)} CPU`] : []),
    'whole load (every tab read and normalised; Tidings: the whole sync with segments and reports):',
    `  Tidings  L: ${both(L.sync)};  S: ${both(S.sync)}`,
    `  DuckDB   L: ${both(L.duckLoad)};  S: ${both(S.duckLoad)}`,
    ...(L.sync && L.duckLoad ? [`  Tidings ÷ DuckDB on L: ${ratio(L.sync.ms, L.duckLoad.ms)} wall, ${ratio(L.sync.cpuMs, L.duckLoad.cpuMs)} CPU`] : []),
  );
}
if (render) lines.push(`rendering: ${render.emails} personalised emails (HTML + text) in ${seconds(render.ms)}: ${Math.round(render.perSecond)} / s`);
if (send) {
  lines.push(`sending: ${send.recipients} live through the fake Resend at 2 requests / s: ${seconds(send.ms)}, ${send.perSecond.toFixed(1)} / s of the ${send.ceiling} / s ceiling (${send.requests} requests, ${send.rateLimited} refused with 429, ${send.delivered} delivered)`);
}
if (start) {
  lines.push(`start-up: tidings --help ${Math.round(start.wallMs)} ms wall, ${Math.round(start.cpuMs)} ms CPU; tidings sync --help ${Math.round(start.syncHelp.wallMs)} ms wall, ${Math.round(start.syncHelp.cpuMs)} ms CPU; bare node -e 0: ${Math.round(start.bareNode.wallMs)} ms wall, ${Math.round(start.bareNode.cpuMs)} ms CPU (medians of ${start.runs.length})`);
}
if (siteL !== undefined && siteS !== undefined) lines.push(`site: tidings build on L ${seconds(siteL)}, on S ${seconds(siteS)}`);
lines.push('', 'targets', ...targets.map((t) => `  ${verdict(t.met).padEnd(7)} ${t.target}: ${t.value}`));
console.log(lines.join('\n'));
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ at: new Date().toISOString(), only: only ?? 'all', runs: RUNS, machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version }, workloads: { L: large, S: SMALL, asOf: AS_OF }, L, S, render, send, startup: start, site: siteL === undefined ? undefined : { L: siteL, S: siteS }, targets }, null, 2)}\n`,
);
log('→ bench/results.json');
