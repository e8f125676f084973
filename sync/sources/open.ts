import { CsvFolderSource, SourceError } from './csv.ts';
import type { Source } from './source.ts';

export const DEFAULT_SOURCE = 'csv:data/sample';

/** Opens a source from its command-line form: csv:<folder>. */
export async function openSource(spec: string): Promise<Source> {
  const [kind, ...rest] = spec.split(':');
  const target = rest.join(':');
  if (kind === 'csv' && target) return new CsvFolderSource(target);
  throw new SourceError(`unknown source "${spec}": use csv:<folder>`);
}
