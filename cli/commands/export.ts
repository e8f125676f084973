import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { checkUnsubscribes, unsubscribeSecret } from '../../emails/unsubscribe.ts';
import { CHANNELS, type Channel, REACH_REASONS, type ReachContext } from '../../reports/reachability.ts';
import { exportFiles } from '../../reports/segments/export.ts';
import { evaluateSegment, parseSegmentSpec } from '../../reports/segments/index.ts';
import { outputPath } from '../../sync/output-path.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { UsageError } from '../../sync/errors.ts';
import { privateDir, writeCsv } from '../../sync/output.ts';
import { withDataOptions } from '../options.ts';
import { type SegmentOptions, loadForSegments, specWithOptions, withSegmentOptions } from '../segment-options.ts';

export const exportDir = (out: string) => join(privateDir(out), 'exports');

/**
 * Who unsubscribed with a verified token. Email and ad lists cannot leave them out without the
 * secret that verifies tokens, so they stop rather than list someone who asked not to be mailed.
 */
function reachContext(dataset: Dataset, channel: Channel): ReachContext {
  const secret = unsubscribeSecret();
  if (secret) return { unsubscribedIds: checkUnsubscribes(dataset, secret).contactIds };
  const tokens = dataset.unsubscribes.filter((u) => u.token?.trim()).length;
  if (tokens && (channel === 'email' || channel === 'ads')) {
    throw new UsageError(`the unsubscribes tab has ${tokens} unsubscribe tokens and TIDINGS_UNSUBSCRIBE_SECRET is not set, so nobody can tell who unsubscribed: set it (as for sending) and export again`);
  }
  return { unsubscribedIds: new Set() };
}

export const exportCommand = withSegmentOptions(withDataOptions(new Command('export')))
  .argument('<segment>', 'a segment id or spec, e.g. recent_donors?months=3')
  .addOption(new Option('--channel <channel>', 'what the list is for').choices(CHANNELS).makeOptionMandatory())
  .option('--out-file <name>', 'file name inside <out>/private/exports/ (default <segment>-<channel>.csv)')
  .action(async (spec: string, options: SegmentOptions & { channel: Channel; outFile?: string }) => {
    if (options.outFile && basename(options.outFile) !== options.outFile) {
      throw new UsageError(`--out-file ${options.outFile}: give a file name only; exports stay in ${exportDir(options.out)} because they hold personal data`);
    }
    const { dataset, asOf } = await loadForSegments(options);
    const full = specWithOptions(spec, options, true);
    const { definition } = parseSegmentSpec(full);
    const members = evaluateSegment(dataset, asOf, full);
    const name = options.outFile ?? `${definition.id}-${options.channel}.csv`;
    const { files, excluded } = exportFiles(dataset, members, options.channel, reachContext(dataset, options.channel));
    for (const file of files) {
      const fileName = file.platform ? name.replace(/(\.csv)?$/i, `-${file.platform}$1`) : name;
      const path = outputPath(exportDir(options.out), fileName, '--out-file');
      await writeCsv(path, file.columns, file.rows, { bom: file.bom });
      console.log(`export: ${full} as of ${asOf}, ${options.channel}${file.platform ? ` (${file.platform})` : ''}: ${file.rows.length} of ${members.length} members → ${path}`);
    }
    for (const reason of REACH_REASONS) {
      if (excluded[reason] > 0) console.log(`  left out, ${reason.replace(/_/g, ' ')}: ${excluded[reason]}`);
    }
  });
