/**
 * `tidings --help` start-up: what every command pays before it runs (Node, tsx, and every module
 * loaded at start). Wall time on a shared machine swings with its load, so the CPU time the
 * process used (user + system, from /usr/bin/time) is reported beside it, and bare Node's start
 * (`node -e 0`) as the floor any way of running the CLI pays.
 */
import { median, runChild } from './measure.ts';

export interface StartupRuns {
  wallMs: number;
  cpuMs: number;
  runs: { wallMs: number; cpuMs: number }[];
}

export interface Startup extends StartupRuns {
  bareNode: StartupRuns;
}

async function timeRuns(args: string[], runs: number): Promise<StartupRuns> {
  const all: StartupRuns['runs'] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, code, stderr } = await runChild('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args]);
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`);
    const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
    all.push({ wallMs: ms, cpuMs: (Number(user) + Number(system)) * 1000 });
  }
  return { wallMs: median(all.map((r) => r.wallMs)), cpuMs: median(all.map((r) => r.cpuMs)), runs: all };
}

export async function startup(runs = 5): Promise<Startup> {
  const tsx = await timeRuns(['--import', 'tsx', 'cli/tidings.ts', '--help'], runs);
  return { ...tsx, bareNode: await timeRuns(['-e', '0'], runs) };
}
