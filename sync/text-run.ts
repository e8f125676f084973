/**
 * Texts kept one after another as UTF-8 bytes in one buffer, outside the JavaScript heap: for texts
 * that are each a row's own (message ids, times to the millisecond), which as strings cost an
 * object each (16 bytes and more besides the text) and are then scanned by every full garbage
 * collection. A text reads back exactly as it was added.
 */
export interface Texts {
  bytes: Buffer;
  /** The i-th text ends at ends[i] (and starts where the one before it ends). */
  ends: Uint32Array;
  /** Whether every byte is ASCII, so a text reads back byte for byte, faster than decoding UTF-8. */
  ascii: boolean;
  /** Texts UTF-8 cannot hold as they are (a lone surrogate), kept by number; the few there are. */
  odd?: Map<number, string>;
}

/** Where texts are added; `seal` copies them out at their exact size, ready for more. */
export class TextRun {
  private bytes = Buffer.allocUnsafeSlow(1 << 16);
  private used = 0;
  private ends = new Uint32Array(1 << 10);
  private ascii = true;
  private odd: Map<number, string> | undefined = undefined;
  /** How many texts have been added since the last seal. */
  private count = 0;

  /** Adds a text (undefined: a blank cell, read back as undefined; '' reads back as undefined too). */
  add(text: string | undefined): void {
    const n = this.count++;
    if (n === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    if (text) this.write(n, text);
    this.ends[n] = this.used;
  }

  seal(): Texts {
    const sealed: Texts = { bytes: Buffer.from(this.bytes.subarray(0, this.used)), ends: this.ends.slice(0, this.count), ascii: this.ascii, ...(this.odd && { odd: this.odd }) };
    this.used = 0;
    this.count = 0;
    this.ascii = true;
    this.odd = undefined;
    return sealed;
  }

  private write(n: number, text: string): void {
    // At most three bytes a UTF-16 unit: room is checked against that bound rather than measured.
    if (this.used + text.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + text.length * 3));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const { bytes, used } = this;
    // Most cells (ids, times) are ASCII: copied unit by unit, which is faster than encoding.
    let k = 0;
    for (; k < text.length; k++) {
      const unit = text.charCodeAt(k);
      if (unit > 0x7f) break;
      bytes[used + k] = unit;
    }
    if (k === text.length) this.used += k;
    // Not all ASCII: the text is written again whole, over the units copied so far.
    else if (text.isWellFormed()) {
      this.ascii = false;
      this.used += bytes.write(text, used, 'utf8');
    } else (this.odd ??= new Map()).set(n, text);
  }
}

/** The i-th text (undefined for a blank cell). */
export function textAt({ bytes, ends, ascii, odd }: Texts, i: number): string | undefined {
  const start = i === 0 ? 0 : ends[i - 1];
  const end = ends[i];
  if (end === start) return odd?.get(i);
  return bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
}

