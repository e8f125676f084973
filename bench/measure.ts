import { spawn } from 'node:child_process';

/** The middle value (the machine is shared: one slow run should not decide a number). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds `work` takes, by the monotonic clock. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export const MB = 1024 * 1024;

/** The process's RSS now and its peak so far (the kernel's high-water mark, maxrss), in bytes. */
export function memory(): { rss: number; peakRss: number } {
  return { rss: process.memoryUsage().rss, peakRss: process.resourceUsage().maxRSS * 1024 };
}

export interface ChildResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing its output, timed from spawn to exit. */
export function runChild(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

/** One measured run in its own process (a bench harness run by bench/run.ts): prints one JSON line { ms, cpuMs, peakRss, rows }. */
export async function printMeasured(work: () => Promise<unknown>): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, peakRss: process.resourceUsage().maxRSS * 1024, rows }));
}
