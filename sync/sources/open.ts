import { CsvFolderSource } from './csv.ts';
import { SourceError } from './source.ts';
import type { Source } from './source.ts';

export const DEFAULT_SOURCE = 'csv:data/sample';

/** The source when --source is not given: the Google Sheet in TIDINGS_SHEET_ID, else the sample. */
export const defaultSource = (env: NodeJS.ProcessEnv = process.env) =>
  env.TIDINGS_SHEET_ID?.trim() ? `sheets:${env.TIDINGS_SHEET_ID.trim()}` : DEFAULT_SOURCE;

/** A spreadsheet id, from the id itself or the sheet's address (…/spreadsheets/d/<id>/edit…). */
export function spreadsheetIdOf(text: string): string | undefined {
  const id = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? text.trim();
  return /^[A-Za-z0-9_-]{10,}$/.test(id) ? id : undefined;
}

/** Opens a source from its command-line form: csv:<folder> or sheets:<spreadsheet id>. */
export async function openSource(spec: string): Promise<Source> {
  const [kind, ...rest] = spec.split(':');
  const target = rest.join(':');
  if (kind === 'csv' && target) return new CsvFolderSource(target);
  if (kind === 'sheets') {
    const id = spreadsheetIdOf(target);
    if (!id) throw new SourceError(`"${spec}" does not name a spreadsheet: use sheets:<id>, where the id is the long part of the sheet's address between /d/ and /edit`);
    // Loaded only for a Sheets source: the Google client is large and a CSV folder never needs it.
    const { GoogleSheetsSource } = await import('./google-sheets.ts');
    return GoogleSheetsSource.open(id);
  }
  throw new SourceError(`unknown source "${spec}": use csv:<folder> or sheets:<spreadsheet id>`);
}
