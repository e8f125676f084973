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

/**
 * Every kind of source by the prefix it is named with on the command line (`<prefix>:<target>`),
 * as unstorage keeps its drivers: a new kind is its own file plus one line here.
 */
const SOURCES: Record<string, { usage: string; open(target: string, spec: string): Promise<Source> }> = {
  csv: { usage: 'csv:<folder>', open: async (folder, spec) => (folder ? new CsvFolderSource(folder) : Promise.reject(unknownSource(spec))) },
  sheets: { usage: 'sheets:<spreadsheet id>', open: openSheets },
};

const unknownSource = (spec: string) =>
  new SourceError(`unknown source "${spec}": use ${Object.values(SOURCES).map((s) => s.usage).join(' or ')}`);

/** Opens a source from its command-line form, e.g. csv:<folder> or sheets:<spreadsheet id>. */
export async function openSource(spec: string): Promise<Source> {
  const [prefix, ...rest] = spec.split(':');
  if (!Object.hasOwn(SOURCES, prefix)) throw unknownSource(spec);
  return SOURCES[prefix].open(rest.join(':'), spec);
}

async function openSheets(target: string, spec: string): Promise<Source> {
  const id = spreadsheetIdOf(target);
  if (!id) throw new SourceError(`"${spec}" does not name a spreadsheet: use sheets:<id>, where the id is the long part of the sheet's address between /d/ and /edit`);
  // Loaded only for a Sheets source: the Google client is large and a CSV folder never needs it.
  const { GoogleSheetsSource } = await import('./google-sheets.ts');
  return GoogleSheetsSource.open(id);
}
