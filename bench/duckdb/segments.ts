import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { DONATION_STATUS, type EnumSpec, FREQUENCY, PARTICIPANT_STATUS, RECURRING_STATUS } from '../../sync/cells/enums.ts';

const SQL = readFileSync(new URL('./segments.sql', import.meta.url), 'utf8');

/** The words staff may write for each value: the vocabulary both implementations share (the SQL normalises them itself). */
const VOCABULARY: Record<string, EnumSpec<string>> = {
  donation: DONATION_STATUS, recurring: RECURRING_STATUS, participant: PARTICIPANT_STATUS, frequency: FREQUENCY,
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

function vocabularySql(): string {
  const rows = Object.entries(VOCABULARY).flatMap(([tab, spec]) =>
    spec.values.flatMap((value) => [value, ...spec.aliases[value]].map((word) => `(${quote(tab)}, ${quote(word)}, ${quote(value)})`)),
  );
  return `CREATE TABLE vocabulary AS SELECT * FROM (VALUES ${rows.join(', ')}) v(tab, word, status);`;
}

export interface DuckDbSegments {
  /** Wall time from an empty in-memory database to every segment's members, CSV reading included. */
  ms: number;
  /** Sorted contact ids by segment id. */
  members: Map<string, string[]>;
}

/** Runs bench/duckdb/segments.sql on the CSV folder `dir` as of `asOf` (YYYY-MM-DD). */
export async function duckdbSegments(dir: string, asOf: string): Promise<DuckDbSegments> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET VARIABLE as_of = ${quote(asOf)}`);
    await connection.run(vocabularySql());
    await connection.run(SQL.replace(/\{\{dir\}\}/g, dir.replaceAll("'", "''")));
    const reader = await connection.runAndReadAll('SELECT segment, contact_id FROM members ORDER BY segment, contact_id');
    const members = new Map<string, string[]>();
    for (const [segment, contactId] of reader.getRows() as [string, string][]) {
      const list = members.get(segment);
      if (list) list.push(contactId);
      else members.set(segment, [contactId]);
    }
    return { ms: performance.now() - started, members };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
