import { join } from 'node:path';
import { outputPath } from '../../sync/output-path.ts';
import { makePrivateDir, writePrivateFile } from '../../sync/private-files.ts';
import { privateFolder } from '../../sync/output.ts';
import { copyFonts } from '../receipts/write.ts';
import { signupSheetPdf } from './pdf.ts';
import { signupSheetHtml } from './page.tsx';
import type { SignupSheet } from './signup-sheet.ts';

/**
 * Writes <out>/private/events/<event_id>/signup-sheet-<locale>.pdf and .html (the fonts in
 * events/fonts/, shared by every event). Under private/ with the other staff documents, owner-only;
 * the event id was checked by sync and signupSheet, and outputPath keeps it inside events/.
 */
export async function writeSignupSheet(out: string, sheet: SignupSheet): Promise<{ pdf: string; html: string }> {
  const events = await privateFolder(out, 'events');
  const dir = outputPath(events, sheet.event.id, 'an event id');
  await makePrivateDir(dir);
  await copyFonts(join(events, 'fonts'));
  const pdf = join(dir, `signup-sheet-${sheet.locale}.pdf`);
  const html = join(dir, `signup-sheet-${sheet.locale}.html`);
  await writePrivateFile(pdf, await signupSheetPdf(sheet));
  await writePrivateFile(html, await signupSheetHtml(sheet, '../fonts'));
  return { pdf, html };
}
