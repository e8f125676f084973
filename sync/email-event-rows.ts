import type { EmailEvent } from './dataset.ts';
import { TextRun, type Texts, textAt } from './text-run.ts';

/**
 * The rows of the send log (email_events) as the dataset gives them: read one after another, and
 * counted. An array of rows is such a thing too (what a test builds, or a stage of `tidings emails`
 * that wrote some rows hands on); what `sync` reads is an EmailEventColumns.
 */
export interface EmailEventRows extends Iterable<EmailEvent> {
  readonly length: number;
}

/**
 * Columns whose texts repeat across many rows, each numbered once (workload L's million rows name
 * 119 mailings, 9,700 send times, a handful of events); a mailing's rows come together, so the text
 * of the row before is tried first: looking up a text among thousands costs about as much as
 * copying it (each string lies elsewhere in memory).
 */
const POOLED = ['mailing_id', 'sent_at', 'last_event', 'bounce_type'] as const;
/**
 * Columns whose texts are each a row's own, or nearly (Resend's message id, an address, times to
 * the millisecond): kept as UTF-8 bytes (sync/text-run.ts).
 */
const OWN = ['message_id', 'email', 'opened_at', 'clicked_at', 'updated_at'] as const;

const ALL = OWN.map(() => true);

/**
 * The send log's rows with only the named columns read (the others are left out of the type):
 * a pass over a million rows that needs a few columns then decodes only those of a row's own texts.
 */
export const readOnly = <K extends keyof EmailEvent>(rows: EmailEventRows, columns: readonly K[]): Iterable<Pick<EmailEvent, K>> =>
  rows instanceof EmailEventColumns ? rows.only(columns) : rows;

/** Rows are kept in blocks of this many, each block's columns exactly as long as they need. */
const BLOCK_BITS = 13;
const BLOCK = 1 << BLOCK_BITS;

/** A block of rows, sealed. */
interface Block {
  rows: Int32Array;
  pooled: Uint32Array[];
  /** contact_id: the very string of the contact's own id (validation shares it), so only a reference each. */
  contacts: (string | undefined)[];
  own: Texts[];
}

/** Where the rows of the block being filled go: one set for the whole table, copied out exactly when the block is full. */
class Staging {
  rows = new Int32Array(BLOCK);
  pooled = POOLED.map(() => new Uint32Array(BLOCK));
  contacts = new Array<string | undefined>(BLOCK);
  own = OWN.map(() => new TextRun());

  seal(count: number): Block {
    return { rows: this.rows.slice(0, count), pooled: this.pooled.map((c) => c.slice(0, count)), contacts: this.contacts.slice(0, count), own: this.own.map((run) => run.seal()) };
  }
}

/**
 * The send log held column by column: a row's own texts as bytes outside the JavaScript heap,
 * repeated ones numbered. As row objects, workload L's million rows were some 300 MB of heap,
 * which the garbage collector then grows by its factor (README, Performance); here they are about
 * 140 MB of buffers and a few MB of heap. Each row is made again when read: an object like the one
 * validation kept.
 */
export class EmailEventColumns implements EmailEventRows {
  private n = 0;
  /** Per pooled column, each text's number while rows are added, and the last text numbered. */
  private numbers: Map<string, number>[] | undefined = POOLED.map(() => new Map());
  private readonly last = POOLED.map(() => ({ text: undefined as string | undefined, number: 0 }));
  /** The pooled texts by number (0: a blank cell). */
  private readonly strings: (string | undefined)[] = [undefined];
  private readonly blocks: Block[] = [];
  private staging: Staging | undefined = new Staging();

  /** The rows given, in order (what a test or a copy needs). */
  static of(rows: Iterable<EmailEvent>): EmailEventColumns {
    const columns = new EmailEventColumns();
    for (const row of rows) columns.push(row);
    columns.seal();
    return columns;
  }

  get length(): number {
    return this.n;
  }

  push(row: EmailEvent): void {
    const staging = this.staging;
    if (!staging) throw new Error('the send log was sealed: its rows are read-only');
    const i = this.n++ & (BLOCK - 1);
    staging.rows[i] = row.row;
    // Column by column by name (in POOLED's and OWN's order): a property read by a name that varies is a slow, generic one.
    const { pooled, own } = staging;
    pooled[0][i] = this.numberOf(0, row.mailing_id);
    pooled[1][i] = this.numberOf(1, row.sent_at);
    pooled[2][i] = this.numberOf(2, row.last_event);
    pooled[3][i] = this.numberOf(3, row.bounce_type);
    staging.contacts[i] = row.contact_id;
    own[0].add(row.message_id);
    own[1].add(row.email);
    own[2].add(row.opened_at);
    own[3].add(row.clicked_at);
    own[4].add(row.updated_at);
    if (i === BLOCK - 1) this.blocks.push(staging.seal(BLOCK));
  }

  /** Ends the adding of rows: the last block is copied out, and the room kept for adding is given back. */
  seal(): void {
    const rest = this.n & (BLOCK - 1);
    if (this.staging && rest > 0) this.blocks.push(this.staging.seal(rest));
    this.staging = undefined;
    this.numbers = undefined;
  }

  /** The n-th row (from 0), made again: a new object each time. */
  at(n: number): EmailEvent {
    return this.made(n, ALL);
  }

  /** The rows with only `columns` read, for a pass that needs a few (see readOnly). */
  only<K extends keyof EmailEvent>(columns: readonly K[]): Iterable<Pick<EmailEvent, K>> {
    const wanted = OWN.map((c) => (columns as readonly string[]).includes(c));
    return { [Symbol.iterator]: () => this.rows(wanted) };
  }

  /** As JSON, the rows (what an array of them would give). */
  toJSON(): EmailEvent[] {
    return [...this];
  }

  [Symbol.iterator](): Iterator<EmailEvent> {
    return this.rows(ALL);
  }

  private rows(wanted: readonly boolean[]): Iterator<EmailEvent> {
    let n = 0;
    return { next: () => (n < this.n ? { done: false, value: this.made(n++, wanted) } : { done: true, value: undefined }) };
  }

  /** The n-th row, its own texts decoded where `wanted` (in OWN's order): the others are left undefined, the row's shape the same. */
  private made(n: number, wanted: readonly boolean[]): EmailEvent {
    if (this.staging) throw new Error('the send log is read once all its rows are in (seal)');
    const { rows, pooled, contacts, own } = this.blocks[n >>> BLOCK_BITS];
    const i = n & (BLOCK - 1);
    const { strings } = this;
    return {
      message_id: wanted[0] ? textAt(own[0], i)! : (undefined as unknown as string),
      mailing_id: strings[pooled[0][i]],
      contact_id: contacts[i],
      email: wanted[1] ? textAt(own[1], i) : undefined,
      sent_at: strings[pooled[1][i]],
      last_event: strings[pooled[2][i]] as EmailEvent['last_event'],
      opened_at: wanted[2] ? textAt(own[2], i) : undefined,
      clicked_at: wanted[3] ? textAt(own[3], i) : undefined,
      updated_at: wanted[4] ? textAt(own[4], i) : undefined,
      bounce_type: strings[pooled[3][i]] as EmailEvent['bounce_type'],
      row: rows[i],
    };
  }

  private numberOf(column: number, text: string | undefined): number {
    if (text === undefined) return 0;
    const last = this.last[column];
    if (text === last.text) return last.number;
    const numbers = this.numbers![column];
    let number = numbers.get(text);
    if (number === undefined) {
      numbers.set(text, (number = this.strings.length));
      this.strings.push(text);
    }
    last.text = text;
    last.number = number;
    return number;
  }
}
