import './production.ts';
import { Command } from 'commander';
import { EmailError } from '../emails/errors.ts';
import { FatalSourceError } from '../sync/problems.ts';
import { SourceError } from '../sync/sources/csv.ts';
import { printable } from '../sync/terminal.ts';
import { UsageError } from '../sync/sync.ts';
import { compactCommand } from './commands/compact.ts';
import { doctorCommand } from './commands/doctor.ts';
import { exportCommand } from './commands/export.ts';
import { forgetCommand } from './commands/forget.ts';
import { initSheetCommand } from './commands/init-sheet.ts';
import { receiptsCommand } from './commands/receipts.ts';
import { reportCommand } from './commands/report.ts';
import { buildCommand } from './commands/build.ts';
import { runCommand } from './commands/run.ts';
import { segmentsCommand } from './commands/segments.ts';
import { emailCommand } from './commands/email.ts';
import { eventSignupCommand } from './commands/event-signup.ts';
import { sendCommand } from './commands/send.ts';
import { sampleCommand } from './commands/sample.ts';
import { syncCommand } from './commands/sync.ts';

const program = new Command('tidings')
  .description('Tidings: a spreadsheet-backed donor CRM and static-site generator')
  .showHelpAfterError()
  .addCommand(syncCommand)
  .addCommand(reportCommand)
  .addCommand(runCommand)
  .addCommand(segmentsCommand)
  .addCommand(exportCommand)
  .addCommand(emailCommand)
  .addCommand(sendCommand)
  .addCommand(initSheetCommand)
  .addCommand(forgetCommand)
  .addCommand(compactCommand)
  .addCommand(sampleCommand)
  .addCommand(buildCommand)
  .addCommand(receiptsCommand)
  .addCommand(eventSignupCommand)
  .addCommand(doctorCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof FatalSourceError || error instanceof SourceError || error instanceof UsageError || error instanceof EmailError) {
    console.error(`tidings: ${printable(error.message)}`);
    process.exit(2);
  }
  throw error;
}
