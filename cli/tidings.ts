import { Command } from 'commander';
import { FatalSourceError } from '../sync/problems.ts';
import { SourceError } from '../sync/sources/csv.ts';
import { UsageError } from '../sync/sync.ts';
import { buildCommand } from './commands/build.ts';
import { runCommand } from './commands/run.ts';
import { syncCommand } from './commands/sync.ts';

const program = new Command('tidings')
  .description('Tidings: a spreadsheet-backed donor CRM and static-site generator')
  .showHelpAfterError()
  .addCommand(syncCommand)
  .addCommand(runCommand)
  .addCommand(buildCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof FatalSourceError || error instanceof SourceError || error instanceof UsageError) {
    console.error(`tidings: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
