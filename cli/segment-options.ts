import { type Command, Option } from 'commander';
import { FILTER_NAMES, SEGMENTS, SegmentSpecError, describeParams, parseSegmentSpec } from '../reports/segments/index.ts';
import { openSource } from '../sync/sources/open.ts';
import { type Synced, loadDataset } from '../sync/load.ts';
import type { DataOptions } from './options.ts';

/** Every segment parameter name (days, months, retry_days, …) and the segments that take it. */
const PARAMS = new Map<string, string[]>();
for (const s of SEGMENTS) for (const p of Object.keys(s.params.shape)) PARAMS.set(p, [...(PARAMS.get(p) ?? []), s.id]);

const kebab = (name: string) => name.replace(/_/g, '-');
const camel = (name: string) => name.replace(/_(.)/g, (_, c: string) => c.toUpperCase());

export type SegmentOptions = DataOptions & Record<string, string | undefined>;

/** The filters every segment accepts and every segment parameter, as command-line options. */
export function withSegmentOptions(command: Command): Command {
  command
    .addOption(new Option('--min-amount <amount>', 'only gifts (or installments) of at least this amount, e.g. 1000 or NT$1,000'))
    .addOption(new Option('--max-amount <amount>', 'only gifts (or installments) of at most this amount'))
    .addOption(new Option('--campaign <slug>', 'only gifts or plans of this campaign'))
    .addOption(new Option('--financial-type <type>', 'only gifts or plans of this financial type'));
  for (const [name, ids] of PARAMS) command.addOption(new Option(`--${kebab(name)} <n>`, `parameter ${name} of ${ids.join(', ')}`));
  return command;
}

/**
 * A spec with the command-line options folded in (options win over the spec's own values).
 * With `strict`, a parameter the segment does not take is an error; otherwise it is skipped
 * (the sizes table passes --months to the segments that have months).
 */
export function specWithOptions(spec: string, options: SegmentOptions, strict: boolean): string {
  const { definition } = parseSegmentSpec(spec);
  const [id, query = ''] = spec.trim().split(/\?(.*)/s);
  const search = new URLSearchParams(query);
  for (const name of FILTER_NAMES) if (options[camel(name)] !== undefined) search.set(name, options[camel(name)]!);
  for (const name of PARAMS.keys()) {
    const value = options[camel(name)];
    if (value === undefined) continue;
    if (name in definition.params.shape) search.set(name, value);
    else if (strict) {
      const accepts = describeParams(definition);
      throw new SegmentSpecError(`--${kebab(name)} does not apply to ${definition.id}: ${accepts ? `it accepts ${accepts}` : 'it takes no parameters of its own'}`);
    }
  }
  // Escape only what would split the query, so the spec prints as staff typed it (NT$1,000).
  const q = [...search].map(([k, v]) => `${k}=${v.replace(/[%&=+#]/g, encodeURIComponent)}`).join('&');
  return q ? `${id}?${q}` : id;
}

/** Reads the data for a segment command (without writing anything), noting rows left out. */
export async function loadForSegments(options: DataOptions): Promise<Synced> {
  const synced = await loadDataset(await openSource(options.source), options.asOf);
  const errors = synced.problems.filter((p) => p.severity === 'error').length;
  if (errors) console.error(`note: ${errors} rows with errors were left out; run \`tidings sync\` to see them`);
  return synced;
}
