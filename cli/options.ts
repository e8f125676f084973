import { Command, Option } from 'commander';
import { defaultSource } from '../sync/sources/open.ts';

export interface DataOptions {
  source: string;
  asOf?: string;
  out: string;
  strict?: boolean;
}

/** The options every command that reads the data takes, the same everywhere. */
export function withDataOptions(command: Command): Command {
  return command
    .addOption(new Option('--source <source>', 'where the data is: csv:<folder> or sheets:<spreadsheet id> (default: sheets:$TIDINGS_SHEET_ID when set)').default(defaultSource()))
    .addOption(new Option('--as-of <date>', 'the date to compute everything as of (YYYY-MM-DD); default today in the org time zone'))
    .addOption(new Option('--out <dir>', 'where outputs go (personal data under <out>/private/, aggregates under <out>/public/)').default('out'));
}
