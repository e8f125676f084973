import { isAscii } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The encodings a CSV file is read in. UTF-8 is what Google Sheets and Excel's "CSV UTF-8" save;
 * Big5 is what Excel's plain "CSV" saves on Windows set to Traditional Chinese (code page 950).
 * Big5 is decoded with the WHATWG Encoding Standard's big5 decoder built into Node
 * (TextDecoder('big5')): it is a superset of cp950 (the ETEN extensions 碁銹裏墻恒粧嫺 at F9D6-F9FE,
 * the euro sign at A3E1, plus HKSCS), so no library is needed; every byte pair cp950 maps decodes
 * to the same character (checked against iconv-lite's cp950 table).
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
  private decoder: TextDecoder | undefined;
  private held: Buffer[] = [];
  private heldFrom = 0;
  private heldBytes = 0;

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
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (!end && this.heldBytes < DECIDE_BYTES) return;
    const bytes = Buffer.concat(this.held);
    this.held = [];
    for (const encoding of ['utf-8', 'big5'] as const) {
      const decoder = new TextDecoder(encoding, { fatal: true });
      try {
        const text = decoder.decode(bytes, { stream: !end });
        this.encoding = encoding;
        this.decoder = decoder;
        return this.hand(text);
      } catch {
        // not this encoding: try the next
      }
    }
    throw new UndecodableBytes(this.heldFrom + validPrefix('utf-8', bytes), 'both');
  }

  private hand(text: string): void {
    this.chars += text.length;
    if (text.length > 0) this.push(text);
  }
}

function decodeAt(decoder: TextDecoder, chunk: Buffer, from: number, end: boolean, encoding: CsvEncoding): string {
  try {
    return decoder.decode(chunk, { stream: !end });
  } catch {
    throw new UndecodableBytes(from + validPrefix(encoding, chunk), encoding);
  }
}

/**
 * How many bytes at the start of `bytes` decode (a sequence cut off at the end counts as fine):
 * found by halving, since a prefix of a decodable prefix decodes too. Only on the error path.
 */
function validPrefix(encoding: CsvEncoding, bytes: Buffer): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}
