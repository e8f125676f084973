/**
 * npm run bench: workload L (generated, cached) and S (the committed sample) through sync phase by
 * phase, DuckDB's run of the same segments, rendering, a rate-limited live send, and start-up.
 * Prints a table and writes bench/results.json. Heavy: it loads a machine for several minutes.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { duckdbSegments } from './duckdb/segments.ts';
import { MB, median, runChild } from './measure.ts';
import { renderRate } from './render.ts';
import { sendRate } from './send.ts';
import { siteBuildMs } from './site.ts';
import { startup } from './startup.ts';
import type { PhaseResult } from './sync-phases.ts';
import { AS_OF, SMALL, largeWorkload } from './workload.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const log = (line: string) => console.error(line);

async function syncPhases(dir: string): Promise<PhaseResult[]> {
  const { code, stdout, stderr } = await runChild(process.execPath, ['--import', 'tsx', 'bench/sync-phases.ts', dir, AS_OF]);
  if (code !== 0) throw new Error(`bench/sync-phases.ts failed: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!).phases;
}

/** The median of each phase over `runs` runs (each in a fresh process). */
async function medianPhases(dir: string, runs: number): Promise<PhaseResult[]> {
  const all: PhaseResult[][] = [];
  for (let i = 0; i < runs; i++) all.push(await syncPhases(dir));
  return all[0].map((p, i) => ({
    phase: p.phase,
    ms: median(all.map((r) => r[i].ms)),
    rss: median(all.map((r) => r[i].rss)),
    peakRss: median(all.map((r) => r[i].peakRss)),
  }));
}

async function duckMs(dir: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await duckdbSegments(dir, AS_OF)).ms);
  return median(times);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

const large = await largeWorkload();
log('sync phases on L …');
const phasesL = await medianPhases(large, RUNS);
log('sync phases on S …');
const phasesS = await medianPhases(SMALL, Math.max(3, RUNS));
log('DuckDB on L and S …');
const duckL = await duckMs(large, Math.max(3, RUNS));
const duckS = await duckMs(SMALL, Math.max(3, RUNS));
log('rendering …');
const render = await renderRate(SMALL, AS_OF, 4_000);
log('sending 10,000 through the rate-limited fake Resend (about a minute) …');
const send = await sendRate(10_000);
log('start-up …');
const start = await startup(7);
log('site build on L and S …');
const siteL = await siteBuildMs(large);
const siteS = await siteBuildMs(SMALL);

const syncL = phasesL.reduce((n, p) => n + p.ms, 0);
const syncS = phasesS.reduce((n, p) => n + p.ms, 0);
const peakL = Math.max(...phasesL.map((p) => p.peakRss));
const targets = [
  { target: 'sync on L ≤ 1.5 × DuckDB', value: `${(syncL / duckL).toFixed(1)} ×`, met: syncL <= 1.5 * duckL },
  { target: 'peak RSS of sync on L ≤ 1.5 GB', value: mb(peakL), met: peakL <= 1.5 * 1024 * MB },
  { target: '≥ 2,000 emails rendered / s', value: `${Math.round(render.perSecond)} / s`, met: render.perSecond >= 2000 },
  { target: 'send within 10% of the 200 / s ceiling', value: `${send.perSecond.toFixed(1)} / s (${Math.round((send.perSecond / send.ceiling) * 100)}%)`, met: send.perSecond >= 0.9 * send.ceiling },
  { target: 'site build on L ≤ 2 × S', value: `${seconds(siteL)} vs ${seconds(siteS)} (${(siteL / siteS).toFixed(2)} ×)`, met: siteL <= 2 * siteS },
];

const lines = [
  `machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 1024 ** 3)} GB; Node ${process.version}; medians of ${RUNS} run(s) for L`,
  '',
  'sync phase      L time     L RSS at end  L peak so far   S time',
  ...phasesL.map((p, i) => `${p.phase.padEnd(14)}  ${seconds(p.ms).padStart(9)}  ${mb(p.rss).padStart(12)}  ${mb(p.peakRss).padStart(13)}  ${seconds(phasesS[i].ms).padStart(8)}`),
  `${'whole sync'.padEnd(14)}  ${seconds(syncL).padStart(9)}  ${''.padStart(12)}  ${mb(peakL).padStart(13)}  ${seconds(syncS).padStart(8)}`,
  '',
  `DuckDB, same segments from the same raw CSVs: L ${seconds(duckL)}, S ${seconds(duckS)}; Tidings ÷ DuckDB: L ${(syncL / duckL).toFixed(1)} ×, S ${(syncS / duckS).toFixed(1)} ×`,
  `rendering: ${render.emails} personalised emails (HTML + text) in ${seconds(render.ms)}: ${Math.round(render.perSecond)} / s`,
  `sending: ${send.recipients} live through the fake Resend at 2 requests / s: ${seconds(send.ms)}, ${send.perSecond.toFixed(1)} / s of the ${send.ceiling} / s ceiling (${send.requests} requests, ${send.rateLimited} refused with 429, ${send.delivered} delivered)`,
  `start-up (tidings --help): ${Math.round(start.wallMs)} ms wall, ${Math.round(start.cpuMs)} ms CPU (median of ${start.runs.length})`,
  `site: tidings build on L ${seconds(siteL)}, on S ${seconds(siteS)}`,
  '',
  'targets',
  ...targets.map((t) => `  ${verdict(t.met).padEnd(7)} ${t.target}: ${t.value}`),
];
console.log(lines.join('\n'));
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ at: new Date().toISOString(), machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version }, workloads: { L: large, S: SMALL, asOf: AS_OF }, sync: { L: phasesL, S: phasesS }, duckdb: { L: duckL, S: duckS }, render, send, startup: start, site: { L: siteL, S: siteS }, targets }, null, 2)}\n`,
);
log('→ bench/results.json');
