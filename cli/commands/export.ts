import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { CHANNELS, type Channel, exportFiles } from '../../reports/segments/export.ts';
import { evaluateSegment, parseSegmentSpec } from '../../reports/segments/index.ts';
import { outputPath } from '../../sync/output-path.ts';
import { UsageError, privateDir, writeCsv } from '../../sync/sync.ts';
import { withDataOptions } from '../options.ts';
import { type SegmentOptions, loadForSegments, specWithOptions, withSegmentOptions } from '../segment-options.ts';

export const exportDir = (out: string) => join(privateDir(out), 'exports');

export const exportCommand = withSegmentOptions(withDataOptions(new Command('export')))
  .description('write a segment as a contact list for email, SMS, post or an ad platform, under <out>/private/exports/')
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
    for (const file of exportFiles(dataset, asOf, members, options.channel)) {
      const fileName = file.platform ? name.replace(/(\.csv)?$/i, `-${file.platform}$1`) : name;
      const path = outputPath(exportDir(options.out), fileName, '--out-file');
      await writeCsv(path, file.columns, file.rows, { bom: file.bom });
      const left = members.length - file.rows.length;
      console.log(`export: ${full} as of ${asOf}, ${options.channel}${file.platform ? ` (${file.platform})` : ''}: ${file.rows.length} of ${members.length} members → ${path}${left ? ` (${left} left out: do not contact, no opt-in, unsubscribed or no ${options.channel === 'post' ? 'address' : 'contact detail'})` : ''}`);
    }
  });
