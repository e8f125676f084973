/**
 * `tidings --help` start-up: what every command pays before it runs (Node, tsx, and every module
 * loaded at start). Wall time on a shared machine swings with its load, so the CPU time the
 * process used (user + system, from /usr/bin/time) is reported beside it.
 */
import { median, runChild } from './measure.ts';

export interface Startup {
  wallMs: number;
  cpuMs: number;
  runs: { wallMs: number; cpuMs: number }[];
}

export async function startup(runs = 5): Promise<Startup> {
  const all: Startup['runs'] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, code, stderr } = await runChild('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, '--import', 'tsx', 'cli/tidings.ts', '--help']);
    if (code !== 0) throw new Error(`tidings --help exited ${code}: ${stderr}`);
    const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
    all.push({ wallMs: ms, cpuMs: (Number(user) + Number(system)) * 1000 });
  }
  return { wallMs: median(all.map((r) => r.wallMs)), cpuMs: median(all.map((r) => r.cpuMs)), runs: all };
}
