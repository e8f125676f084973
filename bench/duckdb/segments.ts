import { readFileSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  BOUNCE_TYPE, DONATION_STATUS, EMAIL_EVENT, type EnumSpec, FREQUENCY, MAILING_STATUS, PARTICIPANT_STATUS, RECURRING_STATUS,
} from '../../sync/cells/enums.ts';

const sql = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
const CELLS = sql('cells.sql');
const SEGMENTS = sql('segments.sql');
const LOAD_ALL = sql('load-all.sql');

/** The words staff may write for each value: the vocabulary both implementations share (the SQL normalises them itself). */
const VOCABULARY: Record<string, EnumSpec<string>> = {
  donation: DONATION_STATUS, recurring: RECURRING_STATUS, participant: PARTICIPANT_STATUS, frequency: FREQUENCY,
  mailing: MAILING_STATUS, email_event: EMAIL_EVENT, bounce: BOUNCE_TYPE,
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

function vocabularySql(): string {
  const rows = Object.entries(VOCABULARY).flatMap(([tab, spec]) =>
    spec.values.flatMap((value) => [value, ...spec.aliases[value]].map((word) => `(${quote(tab)}, ${quote(word)}, ${quote(value)})`)),
  );
  return `CREATE TABLE vocabulary AS SELECT * FROM (VALUES ${rows.join(', ')}) v(tab, word, status);`;
}

/**
 * Runs cells.sql then `script` on the CSV folder `dir` as of `asOf` in an empty in-memory database
 * (DuckDB's own default threads), and reads the result with `collect`. Times the whole of it.
 */
async function runScript<T>(dir: string, asOf: string, script: string, collect: (c: DuckDBConnection) => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET VARIABLE as_of = ${quote(asOf)}`);
    await connection.run(vocabularySql());
    const folder = dir.replaceAll("'", "''");
    await connection.run(`${CELLS}\n${script}`.replace(/\{\{dir\}\}/g, folder));
    const value = await collect(connection);
    return { ms: performance.now() - started, value };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface DuckDbSegments {
  /** Wall time from an empty in-memory database to every segment's members, CSV reading included. */
  ms: number;
  /** Sorted contact ids by segment id. */
  members: Map<string, string[]>;
}

/** Runs bench/duckdb/segments.sql on the CSV folder `dir` as of `asOf` (YYYY-MM-DD). */
export async function duckdbSegments(dir: string, asOf: string): Promise<DuckDbSegments> {
  const { ms, value: members } = await runScript(dir, asOf, SEGMENTS, async (connection) => {
    const reader = await connection.runAndReadAll('SELECT segment, contact_id FROM members ORDER BY segment, contact_id');
    const members = new Map<string, string[]>();
    for (const [segment, contactId] of reader.getRows() as [string, string][]) {
      const list = members.get(segment);
      if (list) list.push(contactId);
      else members.set(segment, [contactId]);
    }
    return members;
  });
  return { ms, members };
}

/** Runs bench/duckdb/load-all.sql (every tab read and normalised) on `dir`: wall time and rows per tab. */
export async function duckdbLoadAll(dir: string, asOf: string): Promise<{ ms: number; rows: Record<string, number> }> {
  const { ms, value: rows } = await runScript(dir, asOf, LOAD_ALL, async (connection) => {
    const tables = await connection.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE table_name NOT IN ('vocabulary', 'settings')");
    const rows: Record<string, number> = {};
    for (const [table] of tables.getRows() as [string][]) {
      const count = await connection.runAndReadAll(`SELECT count(*) FROM "${table}"`);
      rows[table] = Number(count.getRows()[0][0]);
    }
    return rows;
  });
  return { ms, rows };
}
