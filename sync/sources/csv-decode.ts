import { isAscii } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/**
 * The encodings a CSV file is read in. UTF-8 is what Google Sheets and Excel's "CSV UTF-8" save;
 * Big5 is what Excel's plain "CSV" saves on Windows set to Traditional Chinese: Microsoft's code
 * page 950, which adds to Big5 the ETEN characters (碁銹裏墻恒粧嫺, F9D6-F9FE) and the euro sign
 * (A3E1). It is decoded with iconv-lite's cp950 table rather than Node's TextDecoder('big5'): the
 * WHATWG big5 decoder also takes the Hong Kong (HKSCS) byte pairs, so UTF-8 Chinese with one bad
 * byte often "decodes" as big5 into nonsense; cp950 has none of those pairs and rejects it.
 */
export type CsvEncoding = 'utf-8' | 'big5';

/** Bytes that are not text in any encoding Tidings reads: where, and what was tried. */
export class UndecodableBytes extends Error {
  constructor(readonly offset: number, readonly tried: CsvEncoding | 'both') {
    super(`bytes at offset ${offset} do not decode`);
  }
}

/** A file over the size limit (counted as its bytes arrive, so a .csv.gz is limited by what it unpacks to). */
export class FileTooLarge extends Error {}

// How much text after the first non-ASCII byte decides the encoding: a Big5 character is also a
// valid UTF-8 sequence by chance about one time in fifteen, so a few characters could fool the
// test, never 64 KiB of them.
const DECIDE_BYTES = 64 * 1024;

/**
 * CSV bytes to text, checking the encoding as the bytes stream through. While every byte is ASCII
 * the text is the same in UTF-8 and Big5; at the first other byte the next 64 KiB (or the rest of
 * the file) are held back and decoded strictly as UTF-8 (a byte-order mark is UTF-8), or if that
 * fails as Big5; the rest of the file must then decode strictly in the same encoding. Bad bytes end
 * the stream with UndecodableBytes: nothing is replaced by U+FFFD. The fast path (UTF-8 or ASCII)
 * costs one strict decode per chunk, as Node's own setEncoding('utf8') did.
 */
export class CsvDecoder extends Transform {
  /** undefined until a non-ASCII byte is seen (an all-ASCII file reads the same either way). */
  encoding: CsvEncoding | undefined;
  /** Characters handed on so far. */
  chars = 0;
  private bytes = 0;
  private decoder: StrictDecoder | undefined;
  private held: Buffer[] = [];
  private heldFrom = 0;
  private heldBytes = 0;
  private firstOther = 0;

  constructor(private readonly maxBytes: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const from = this.bytes;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new FileTooLarge());
    try {
      this.accept(chunk, from, false);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.accept(Buffer.alloc(0), this.bytes, true);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private accept(chunk: Buffer, from: number, end: boolean): void {
    if (this.decoder) return this.hand(decodeAt(this.decoder, chunk, from, end, this.encoding!));
    if (this.held.length === 0) {
      if (isAscii(chunk)) return this.hand(chunk.toString('latin1'));
      this.heldFrom = from;
      this.firstOther = from + firstNonAscii(chunk);
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const window = this.firstOther - this.heldFrom + DECIDE_BYTES;
    if (!end && this.heldBytes < window) return;
    const bytes = Buffer.concat(this.held);
    this.held = [];
    // Only the window decides: a UTF-8 file damaged further on must fail as UTF-8, not pass as Big5.
    const sample = bytes.subarray(0, window);
    const encoding = (['utf-8', 'big5'] as const).find((e) => validPrefix(e, sample, end && sample.length === bytes.length) === sample.length);
    if (!encoding) throw new UndecodableBytes(this.heldFrom + validPrefix('utf-8', bytes, end), 'both');
    this.encoding = encoding;
    this.decoder = strictDecoder(encoding);
    this.hand(decodeAt(this.decoder, bytes, this.heldFrom, end, encoding));
  }

  private hand(text: string): void {
    this.chars += text.length;
    if (text.length > 0) this.push(text);
  }
}

/** A decoder that throws at a byte that is not text in its encoding, and never replaces it with U+FFFD. */
interface StrictDecoder {
  decode(bytes: Buffer, end: boolean): string;
}

function strictDecoder(encoding: CsvEncoding): StrictDecoder {
  if (encoding === 'utf-8') {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    return { decode: (bytes, end) => utf8.decode(bytes, { stream: !end }) };
  }
  // iconv-lite marks a byte cp950 does not map with U+FFFD, which cp950 itself never produces.
  const cp950 = iconv.getDecoder('cp950');
  return {
    decode(bytes, end) {
      const text = cp950.write(bytes) + (end ? cp950.end() ?? '' : '');
      if (text.includes('\uFFFD')) throw new Error('not cp950');
      return text;
    },
  };
}

function decodeAt(decoder: StrictDecoder, chunk: Buffer, from: number, end: boolean, encoding: CsvEncoding): string {
  try {
    return decoder.decode(chunk, end);
  } catch {
    throw new UndecodableBytes(from + validPrefix(encoding, chunk, end), encoding);
  }
}

/**
 * How many bytes at the start of `bytes` decode (unless `end`, a sequence cut off at the end
 * counts as fine): found by halving, since a prefix of a decodable prefix decodes too.
 */
function validPrefix(encoding: CsvEncoding, bytes: Buffer, end: boolean): number {
  const decodes = (length: number) => {
    try {
      strictDecoder(encoding).decode(bytes.subarray(0, length), end && length === bytes.length);
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes.length)) return bytes.length;
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (decodes(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/** The index of the first byte over 0x7F in a chunk that has one, found by halving with isAscii. */
function firstNonAscii(chunk: Buffer): number {
  let ascii = 0;
  let other = chunk.length;
  while (other - ascii > 1) {
    const mid = Math.floor((ascii + other) / 2);
    if (isAscii(chunk.subarray(0, mid))) ascii = mid;
    else other = mid;
  }
  return ascii;
}
