/**
 * The second thread of sync/read-ahead.ts: reads the later share of a CSV folder's tabs (decoding,
 * CSV parsing, every cell through its column's reader) while the main thread validates the first,
 * and hands each part over as values. What needs the whole workbook (ids, references, problem reports)
 * stays on the main thread.
 */
import { type MessagePort, parentPort } from 'node:worker_threads';
import type { Problem } from './problems.ts';
import { type TabReading, readPart, tabReading } from './read-rows.ts';
import { type ReadContext, tabSchemas } from './schema/tabs.ts';
import { type CsvCut, findCut } from './sources/csv-cut.ts';
import { type CsvPiece, type CsvTab, readCsvHeader, readCsvTab } from './sources/csv.ts';
import { SourceError, type TabPart } from './sources/source.ts';

/**
 * What the main thread asks: first the piece of `cut.tab` from about `cut.fraction` of its bytes
 * on (found here: csv-cut.ts; no place to cut: the whole tab), then `tabs`, each whole.
 */
export interface ReadAheadJob {
  context: ReadContext;
  cut?: { tab: CsvTab; fraction: number };
  tabs: CsvTab[];
  csv: boolean;
  /** Where to send every ReadAheadMessage; each is then announced on the parent port (the main thread takes them off `parts` when it needs them). */
  parts: MessagePort;
}

/** Where the cut tab was cut (undefined: it is read whole here), a part as read (TabPart with ReadRows), the end of a tab with what its reading found, or how it failed. */
export type ReadAheadMessage =
  | { key: string; cut: CsvCut | undefined }
  | { key: string; part: TabPart }
  | { key: string; done: Problem[] }
  | { key: string; error: { message: string; source: boolean; stack?: string } };

parentPort!.once('message', (job: ReadAheadJob) => void read(job));

async function read({ context, cut, tabs, csv, parts }: ReadAheadJob): Promise<void> {
  const port = {
    postMessage(message: ReadAheadMessage, transfer: ArrayBuffer[] = []) {
      parts.postMessage(message, transfer);
      parentPort!.postMessage(0);
    },
  };
  const schemas = tabSchemas(context);
  const pieces: { tab: CsvTab; piece?: CsvPiece }[] = tabs.map((tab) => ({ tab }));
  if (cut) {
    try {
      const at = await findCut(cut.tab.path, cut.fraction);
      port.postMessage({ key: cut.tab.key, cut: at } satisfies ReadAheadMessage);
      pieces.unshift({ tab: cut.tab, piece: at && { start: at.at, end: cut.tab.bytes, rowsBefore: at.rowsBefore, header: await readCsvHeader(cut.tab, at.headerEnd) } });
    } catch (error) {
      port.postMessage({ key: cut.tab.key, error: errorMessage(error) } satisfies ReadAheadMessage);
      return;
    }
  }
  for (const { tab, piece } of pieces) {
    let reading: TabReading | undefined;
    try {
      const done = await readCsvTab(tab, (part) => {
        reading ??= tabReading(schemas, part);
        const read = readPart(part, reading, csv);
        port.postMessage({ key: tab.key, part: read.part } satisfies ReadAheadMessage, read.transfer);
      }, piece);
      port.postMessage({ key: tab.key, done } satisfies ReadAheadMessage);
    } catch (error) {
      port.postMessage({ key: tab.key, error: errorMessage(error) } satisfies ReadAheadMessage);
      return;
    }
  }
}

/** An error as it crosses between threads: a SourceError stays one (its message is for staff). */
function errorMessage(error: unknown): { message: string; source: boolean; stack?: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { message: e.message, source: e instanceof SourceError, stack: e.stack };
}
