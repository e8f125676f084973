import './production.ts';
import { Command } from 'commander';

/**
 * Every command, in the order `--help` lists them. A command's module (and everything it imports:
 * the validator, React Email, Astro, the Google client) loads only when that command runs, so
 * start-up costs what the command needs, not what all of them need (README, Performance).
 */
const COMMANDS: [name: string, description: string, load: () => Promise<Command>][] = [
  ['sync', 'read every tab, validate every cell, write the problems report, back up the tabs, write segments, and write _problems and _segments back to a Google Sheet', async () => (await import('./commands/sync.ts')).syncCommand],
  ['report', 'write the staff dashboard (private/reports/index.html + CSVs) and the public aggregates (public/*.json)', async () => (await import('./commands/report.ts')).reportCommand],
  ['run', 'run every stage end to end: sync, report, a dry run of the next scheduled mailing, the public site', async () => (await import('./commands/run.ts')).runCommand],
  ['segments', 'print the size of every segment, or the members of one (e.g. segments recent_donors?months=3)', async () => (await import('./commands/segments.ts')).segmentsCommand],
  ['export', 'write a segment as a contact list for email, SMS, post or an ad platform, under <out>/private/exports/', async () => (await import('./commands/export.ts')).exportCommand],
  ['email', 'email templates', async () => (await import('./commands/email.ts')).emailCommand],
  ['send', 'send a mailing: a dry run into <out>/private/outbox/ unless --live', async () => (await import('./commands/send.ts')).sendCommand],
  ['init-sheet', 'lay out a Google Sheet as the donor database: every tab, headers, dropdowns, date formats, checkboxes and settings', async () => (await import('./commands/init-sheet.ts')).initSheetCommand],
  ['forget', 'remove a contact everywhere (their donations stay, re-linked to an anonymous contact)', async () => (await import('./commands/forget.ts')).forgetCommand],
  ['compact', 'move the email_events rows of old sent mailings to a gzipped archive, keeping their statistics (_mailing_stats) and their bounced and complained addresses (_suppressions)', async () => (await import('./commands/compact.ts')).compactCommand],
  ['sample', 'write a realistic, seeded sample of every tab as <tab>.csv files (fake people only)', async () => (await import('./commands/sample.ts')).sampleCommand],
  ['build', 'build the public site from <out>/public/ into a folder of static files', async () => (await import('./commands/build.ts')).buildCommand],
  ['receipts', 'receipts: number every gift, write PDFs and printable pages, email one message per donor (--since) or the annual summary (--year); a dry run into <out>/private/outbox/ unless --live', async () => (await import('./commands/receipts.ts')).receiptsCommand],
  ['doctor', 'check a setup end to end (the sheet, Resend, the webhook receiver, unsubscribe, the daily Action) and say what to fix; exit 1 when something must be fixed', async () => (await import('./commands/doctor.ts')).doctorCommand],
  ['event-signup', 'a printable A4 sign-up sheet for an event (PDF and HTML under <out>/private/events/<event_id>/): a QR code to the site\'s /join/?event=<id> page with the purpose statement, and a paper sheet for people without phones', async () => (await import('./commands/event-signup.ts')).eventSignupCommand],
];

const program = new Command('tidings')
  .description('Tidings: a spreadsheet-backed donor CRM and static-site generator')
  .showHelpAfterError();

// The command named on the command line (`tidings sync …`, `tidings help sync`) is loaded in
// full; the others are listed by name and description only.
const args = process.argv.slice(2);
const named = args[0] === 'help' ? args[1] : args[0];
for (const [name, description, load] of COMMANDS) {
  program.addCommand(name === named ? (await load()).description(description) : new Command(name).description(description));
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Loaded here, not at start: what a failed command needs is not what every command pays.
  const [{ EmailError }, { FatalSourceError }, { SourceError }, { printable }, { UsageError }] = await Promise.all([
    import('../emails/errors.ts'),
    import('../sync/problems.ts'),
    import('../sync/sources/source.ts'),
    import('../sync/terminal.ts'),
    import('../sync/errors.ts'),
  ]);
  if (error instanceof FatalSourceError || error instanceof SourceError || error instanceof UsageError || error instanceof EmailError) {
    console.error(`tidings: ${printable(error.message)}`);
    process.exit(2);
  }
  throw error;
}
