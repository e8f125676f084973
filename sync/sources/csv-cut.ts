import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** A place to cut a CSV file in two: byte `at` starts a record; `rowsBefore` rows (the header not counted) lie before it; the header ends at `headerEnd`. */
export interface CsvCut {
  at: number;
  rowsBefore: number;
  headerEnd: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Where a CSV file can be cut at about `fraction` of its bytes so that each piece parses on its own
 * exactly as the whole file does (Papa Parse's reading, as sync/sources/csv.ts uses it): just after
 * the line break ending a record, outside any quoted cell, where the record before holds a visible
 * ASCII character (so it is not a blank record, which the piece before would drop as the file's
 * end). Undefined when there is no such place, or when the pieces could read otherwise than the
 * whole: a file not all UTF-8 (the encoding is decided by the whole file), line breaks other than
 * all LF or all CRLF, or a quote Papa Parse would read as malformed.
 */
export async function findCut(path: string, fraction: number): Promise<CsvCut | undefined> {
  const { size } = await stat(path);
  const target = Math.floor(size * fraction);
  const scan = new QuoteScan(target);
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);
  let utf8 = true;
  let crs = 0;
  let crlfs = 0;
  let lfs = 0;
  let last = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    // UTF-8 checked a chunk at a time, a character cut by the chunk's end carried to the next.
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = completeUtf8(bytes);
    utf8 &&= isUtf8(bytes.subarray(0, whole));
    carry = Buffer.from(bytes.subarray(whole));
    for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) crs++;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) lfs++;
    if (chunk[0] === LF && last === CR) crlfs++;
    for (let i = chunk.indexOf('\r\n'); i !== -1; i = chunk.indexOf('\r\n', i + 2)) crlfs++;
    if (!scan.cut && !scan.irregular) scan.chunk(chunk, offset);
    offset += chunk.length;
    last = chunk[chunk.length - 1];
  }
  const breaks = crs === 0 || (crs === crlfs && crlfs === lfs);
  const { cut } = scan;
  if (!cut || scan.irregular || !utf8 || carry.length > 0 || !breaks || cut.at >= size) return undefined;
  return cut;
}

/**
 * Follows the quotes and line breaks of a CSV file, jumping from one to the next, to count its
 * records and find the first line break from `target` on that may end a piece (see findCut).
 * Anything it is not sure of (a quote at a chunk's edge, a line over two chunks) is passed over,
 * or makes the file irregular: then it is not cut.
 */
class QuoteScan {
  cut: CsvCut | undefined;
  irregular = false;
  private inQuotes = false;
  private records = 0;
  private headerEnd = -1;
  /** The last byte of the chunk before (a line break before the file: a quote there opens a cell). */
  private before = LF;

  constructor(private readonly target: number) {}

  chunk(chunk: Buffer, offset: number): void {
    let lineStart = -1; // where the current line starts in this chunk (-1: in an earlier chunk)
    let p = 0;
    // The next quote and line break at or after p (recomputed once p passes them; -1: none left).
    let quote = chunk.indexOf(QUOTE);
    let lf = chunk.indexOf(LF);
    const ahead = () => {
      if (quote !== -1 && quote < p) quote = chunk.indexOf(QUOTE, p);
      if (lf !== -1 && lf < p) lf = chunk.indexOf(LF, p);
    };
    for (;;) {
      ahead();
      if (this.inQuotes) {
        // Line breaks in a quoted cell are text: only its closing quote counts.
        if (quote === -1) break;
        const q = quote;
        if (q + 1 >= chunk.length) return this.fail();
        if (chunk[q + 1] === QUOTE) {
          p = q + 2; // "" is one quote inside a quoted cell
          continue;
        }
        // A closing quote: Papa Parse takes spaces after it, then a comma or a line break; anything else is malformed.
        let next = q + 1;
        while (next < chunk.length && (chunk[next] === 0x20 || chunk[next] === 0x09)) next++;
        if (next >= chunk.length || (chunk[next] !== COMMA && chunk[next] !== LF && chunk[next] !== CR)) return this.fail();
        this.inQuotes = false;
        p = q + 1;
        continue;
      }
      if (lf !== -1 && (quote === -1 || lf < quote)) {
        const at = offset + lf + 1;
        this.records++;
        if (this.records === 1) this.headerEnd = at;
        else if (at >= this.target && lineStart >= 0 && plainRecord(chunk.subarray(lineStart, lf))) {
          this.cut = { at, rowsBefore: this.records - 1, headerEnd: this.headerEnd };
          return;
        }
        lineStart = lf + 1;
        p = lf + 1;
        continue;
      }
      if (quote === -1) break;
      // A quote opens a cell only as its first character; elsewhere it is text.
      const prev = quote > 0 ? chunk[quote - 1] : this.before;
      if (prev === COMMA || prev === LF || prev === CR) this.inQuotes = true;
      p = quote + 1;
    }
    this.before = chunk[chunk.length - 1];
  }

  private fail(): void {
    this.irregular = true;
  }
}

/** A line with no quote and a visible ASCII character that is not a comma: a record that is surely not blank. */
function plainRecord(line: Buffer): boolean {
  if (line.includes(QUOTE)) return false;
  for (const byte of line) if (byte > 0x20 && byte < 0x7f && byte !== COMMA) return true;
  return false;
}

/** How many bytes of `bytes` end on a whole UTF-8 character (a character cut at the end is left out). */
function completeUtf8(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
