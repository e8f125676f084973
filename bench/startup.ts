/**
 * Start-up: `tidings --help`, what every command pays before it runs (Node, the compiled entry,
 * commander), and `tidings sync --help`, which also loads the sync command's own modules (the
 * validator, its schemas and cell readers), both through the real bin (bin/tidings.js). Wall time on a shared machine swings with its load, so the CPU time the
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
  syncHelp: StartupRuns;
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
  // Built before timing (the bin compiles the CLI only when a source changed), so every timed run is a start.
  await timeRuns(['bin/tidings.js', '--help'], 1);
  const help = await timeRuns(['bin/tidings.js', '--help'], runs);
  return { ...help, syncHelp: await timeRuns(['bin/tidings.js', 'sync', '--help'], runs), bareNode: await timeRuns(['-e', '0'], runs) };
}
