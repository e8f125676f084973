import { Command } from 'commander';
import { defaultSettings } from '../../sync/schema/settings.ts';
import { UsageError } from '../../sync/errors.ts';
import { resolveAsOf } from '../../sync/load.ts';

interface SampleOptions {
  contacts: string;
  seed: string;
  out: string;
  asOf?: string;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} ${text}: write a whole number, e.g. ${flag} 300`);
  return n;
}

export const sampleCommand = new Command('sample')
  .option('--contacts <n>', 'how many contacts; donations, plans, participants, mailings and email events grow with it', '300')
  .option('--seed <s>', 'random seed: the same seed and --as-of give byte-identical files', '1')
  .requiredOption('--out <dir>', 'folder to write the <tab>.csv files into (existing files of the same names are replaced)')
  .option('--as-of <date>', 'the anchor date every date is relative to (YYYY-MM-DD); default today in Asia/Taipei')
  .addHelpText('after', '\nExamples:\n  tidings sample --contacts 300 --seed 1 --as-of 2026-11-22 --out data/sample\n  tidings sample --contacts 50000 --seed 7 --out /tmp/workload-l')
  .action(async (options: SampleOptions) => {
    const { generateSample } = await import('../../sample/generate.ts');
    const contacts = wholeNumber('--contacts', options.contacts);
    const seed = wholeNumber('--seed', options.seed);
    const asOf = resolveAsOf(options.asOf, { settings: defaultSettings() });
    const started = performance.now();
    let result;
    try {
      result = generateSample({ contacts, seed, asOf, out: options.out });
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`sample: ${contacts} contacts, seed ${seed}, as of ${asOf} → ${options.out} (${seconds} s)`);
    const width = result.files.reduce((w, f) => Math.max(w, f.path.length), 0);
    for (const f of result.files) console.log(`  ${f.path.padEnd(width)}  ${String(f.rows).padStart(9)} rows`);
    console.log(`planted mistakes (sync reports them): ${result.planted.map((p) => `${p.tab} row ${p.row} ${p.column}`).join('; ')}`);
  });
