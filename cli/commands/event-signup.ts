import { Command, Option } from 'commander';
import { checkEventId } from '../../reports/events/signup-sheet.ts';
import { openSource } from '../../sync/sources/open.ts';
import { printableLines } from '../../sync/terminal.ts';
import { loadDataset } from '../../sync/load.ts';
import { LOCALES, type Locale } from '../../sync/locale.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

export interface EventSignupOptions extends DataOptions {
  locale?: Locale;
}

/** The printable sign-up sheet of one event (QR code page and paper sheet), as PDF and HTML. */
export async function runEventSignup(eventId: string, options: EventSignupOptions, log: (line: string) => void = console.log): Promise<{ pdf: string; html: string }> {
  log = printableLines(log);
  // Checked before anything is read: the id names the sheet's folder and goes into the QR code's URL.
  checkEventId(eventId);
  const { dataset } = await loadDataset(await openSource(options.source), options.asOf);
  // Loaded here so other commands (and --help) do not pay for the PDF and QR modules.
  const [{ signupSheet }, { writeSignupSheet }] = await Promise.all([import('../../reports/events/signup-sheet.ts'), import('../../reports/events/write.ts')]);
  const sheet = signupSheet(dataset, eventId, options.locale);
  const written = await writeSignupSheet(options.out, sheet);
  log(`event-signup: ${sheet.event.title} (${sheet.locale}), the QR code → ${sheet.joinUrl}`);
  log(`  print ${written.pdf} (or ${written.html}) at 100 % (A4): the QR code page for the table, then the paper sign-up sheet`);
  return written;
}

export const eventSignupCommand = withDataOptions(new Command('event-signup'))
  .argument('<event_id>', 'the event, as its event_id is in the events tab')
  .addOption(new Option('--locale <locale>', 'the sheet\'s language (default: settings default_locale)').choices(LOCALES))
  .action(async (eventId: string, options: EventSignupOptions) => {
    await runEventSignup(eventId, options);
  });
