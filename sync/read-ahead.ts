import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Problem } from './problems.ts';
import type { ReadAheadJob, ReadAheadMessage } from './read-ahead-worker.ts';
import { type ReadContext, TAB_ORDER } from './schema/tabs.ts';
import type { CsvCut } from './sources/csv-cut.ts';
import { type CsvTab, type TabReader, readCsvTab } from './sources/csv.ts';
import { type PartVisitor, SourceError } from './sources/source.ts';

/**
 * Reads a large CSV folder on two threads. On one thread a sync spends most of its time
 * decoding, parsing and reading cells, work that needs nothing from the other tabs; only taking
 * rows in (ids, references, problems) must go in order. So the tabs, in reading order, are split
 * in two shares: this thread reads and validates the first as it always does, while a second
 * thread (read-ahead-worker.ts) reads the rest ahead; this one then takes those parts in, in
 * order: ids, references, problems and row numbers come out as when one thread reads everything
 * (test/sync/read-ahead.test.ts). The tab the split falls in is cut at the start of a record
 * (csv-cut.ts), this thread reading the piece before the cut.
 *
 * Nothing is read ahead in a folder whose data tabs hold fewer than `minBytes`: starting a thread
 * costs more than it saves. Goals stay on this thread (a goal's metrics are the caller's), and so
 * do the tabs the caller keeps as read (`keepRaw`).
 */
export class ReadAhead {
  private readonly worker: Worker;
  /**
   * The second thread's messages (parts, ends, errors), taken off this port only when a tab is
   * visited: until then each waits as the bytes it was sent as, off this thread's heap. Taken as
   * they arrived, the second thread's whole share lay on the heap as strings (about 215 MB on
   * workload L) while this thread read its own, and every collection went through it.
   */
  private readonly parts: MessagePort;
  private readonly partsThere: MessagePort;
  private readonly inboxes = new Map<string, Inbox>();
  private begun = false;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;

  constructor(
    private readonly context: () => ReadContext,
    private readonly options: ReadAheadOptions,
  ) {
    // Started at once, so its code loads while this thread reads settings. A young generation of
    // 96 MB: with Node's default for a worker, reading the segments' tabs of workload L there took
    // 4.0 s against 3.55 s; at 192 MB (the main thread's) it was no faster than at 96, and the
    // load's peak was 50–100 MB higher.
    const compiled = !import.meta.url.endsWith('.ts');
    this.worker = new Worker(new URL(compiled ? './read-ahead-worker.js' : './read-ahead-worker.ts', import.meta.url), {
      // Run from TypeScript (tests, the bench), the second thread compiles its code as this one does.
      execArgv: compiled ? [] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
      resourceLimits: { maxYoungGenerationSizeMb: 96 },
    });
    ({ port1: this.parts, port2: this.partsThere } = new MessageChannel());
    // The second thread says on its own port that it sent a message on `parts` (nothing more).
    this.worker.on('message', () => this.wake());
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(`it stopped (exit code ${code})`));
  }

  /**
   * Who reads what: the data tabs in reading order, the first share of their reading here (by
   * default as balanced: see balancedCut; or the first `split` of it), the rest on the second
   * thread, whose rows this thread then takes in. Undefined: too little to read ahead.
   */
  static plan(tabs: readonly CsvTab[], { minBytes, keepRaw, split }: Omit<ReadAheadOptions, 'csv'>): Plan | undefined {
    const shared = tabs.filter((t) => READ_AHEAD_TABS.includes(t.key) && !keepRaw.includes(t.key));
    const bytes = shared.reduce((sum, t) => sum + t.bytes, 0);
    if (bytes === 0 || bytes < minBytes) return undefined;
    const at = split === undefined ? balancedCut(shared) : shared.reduce((sum, t) => sum + cost(t), 0) * split;
    const plan: Plan = { there: [] };
    let before = 0;
    for (const tab of shared) {
      if (before + cost(tab) > at && before < at) {
        // A snapshot (.csv.gz) cannot be cut: it goes to the side holding more of it.
        if (!tab.file.endsWith('.gz')) plan.cut = { tab, fraction: (at - before) / cost(tab) };
        else if (at - before < cost(tab) / 2) plan.there.push(tab);
      } else if (before >= at) plan.there.push(tab);
      before += cost(tab);
    }
    return plan;
  }

  /**
   * For CsvFolderSource.readInParts: the first tab after settings sends the second thread its
   * share. Tabs of the first share are read here (undefined); the cut tab's first piece is read
   * here, then the second thread's parts are visited; the second share is visited from its parts.
   */
  reader(plan: Plan): TabReader {
    const arrive = () => this.arrive();
    for (const tab of plan.there) this.inboxes.set(tab.key, new Inbox(arrive));
    if (plan.cut) this.inboxes.set(plan.cut.tab.key, new Inbox(arrive));
    return (tab, visit) => {
      if (tab.key !== 'settings' && !this.begun) {
        this.begun = true;
        this.worker.postMessage({ context: this.context(), cut: plan.cut, tabs: plan.there, csv: this.options.csv, parts: this.partsThere } satisfies ReadAheadJob, [this.partsThere]);
      }
      const inbox = this.inboxes.get(tab.key);
      if (!inbox) return undefined;
      if (tab.key !== plan.cut?.tab.key) return inbox.visitAll(visit);
      return (async () => {
        const cut = await inbox.cut();
        const found = cut ? await readCsvTab(tab, visit, { start: 0, end: cut.at, rowsBefore: 0 }) : [];
        return [...found, ...(await inbox.visitAll(visit))];
      })();
    };
  }

  async close(): Promise<void> {
    this.failure ??= new Error('read-ahead closed');
    this.worker.removeAllListeners('exit');
    this.parts.close();
    await this.worker.terminate();
  }

  /** Takes the second thread's next message off the port into its tab's inbox, waiting for one if none was sent yet. */
  private async arrive(): Promise<void> {
    // Messages sent before a failure (its own error message among them) are still taken first.
    const got = receiveMessageOnPort(this.parts);
    if (got) {
      const m = got.message as ReadAheadMessage;
      this.inboxes.get(m.key)?.take(m);
      return;
    }
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  private wake(): void {
    this.waiting?.();
    this.waiting = undefined;
  }

  /** The second thread failed: what waits on it fails too, saying how to read on one thread meanwhile. */
  private fail(why: unknown): void {
    const what = why instanceof Error ? why.message : String(why);
    this.failure ??= Object.assign(new Error(`the second thread reading the CSV folder failed: ${what}. Run again with TIDINGS_READ_AHEAD_BYTES=1e15 to read on one thread, and report this`), {
      cause: why,
    });
    this.wake();
  }
}

export interface ReadAheadOptions {
  /** Data tabs holding fewer bytes than this are read on this thread alone. */
  minBytes: number;
  /** Tabs the caller keeps as read (their cells, not values): read here in their turn. */
  keepRaw: readonly string[];
  /** Hand each part's rows over as CSV lines too (TabPart.csv), for a snapshot. */
  csv: boolean;
  /** The fraction of the data tabs' reading (bytes weighted by READ_COST) done here, the rest on the second thread (default: balancedCut). */
  split?: number;
}

/** What the second thread reads: `there` whole, and `cut.tab` from about `cut.fraction` of its bytes on (this thread reads the piece before). */
export interface Plan {
  there: CsvTab[];
  cut?: { tab: CsvTab; fraction: number };
}

/**
 * What reading a byte of a tab costs, against a byte of donations: measured on workload L on one
 * thread (ms per MB: contacts 92, recurring 75, donations 49, participants 250, email_events 28).
 * A contact's cells (regions, addresses, lists) cost more than a gift's; a message's long ids and
 * times less. Tabs not named here cost as donations do.
 */
const READ_COST: Readonly<Record<string, number>> = { contacts: 1.9, recurring: 1.5, participants: 5, email_events: 0.57 };

/**
 * What taking a tab in costs this thread, as a share of reading it: ids, references, the problem
 * report and row numbers. Measured on workload L as the shares that balanced the two threads (the
 * segments' tabs, cut in donations; the whole workbook, most of the send log on the second
 * thread): a gift costs a fifth of reading it; a message costs two thirds, as reading its long ids
 * and times is cheap but each still has an id to check, a contact to find and columns to fill.
 * Since messages are taken in without a row object each (validate.ts, sendLogTakeIn) a message
 * costs less, but 0.65 stays: at 0.45 this thread read more of the donations itself and the peak
 * of a whole sync on L went over 1 GB (1,034–1,054 MB against 905–966), for no time gained.
 */
const TAKE_IN: Readonly<Record<string, number>> = { donations: 0.2, email_events: 0.65 };
const TAKE_IN_OTHERWISE = 0.25;

const cost = (tab: CsvTab) => tab.bytes * (READ_COST[tab.key] ?? 1);

/**
 * How late the second thread starts reading, as reading cost: loading its code and finding its cut
 * took it 0.25 s (compiled) to 0.6 s (run from TypeScript) after it was started, on a machine that
 * reads a megabyte of donations in 49 ms. Without it this thread, done first, waited 0.3 s on L's
 * segments' tabs.
 */
const LATE_START = 8 * 1024 * 1024;

/**
 * Where, in reading cost from the first tab, this thread's share ends so both threads finish
 * together: this thread reads up to there, then takes in the rest (TAKE_IN of its cost), while the
 * second thread, starting LATE_START later, reads the rest. In a tab of cost u, τ to take in, after
 * `before` of reading and with `after` to take in past it, a cut at f of the tab gives this thread
 * before + f·u + τ·(1 − f)·u + after and the second LATE_START + total − before − f·u; equal at
 * the f below.
 */
function balancedCut(tabs: readonly CsvTab[]): number {
  const total = tabs.reduce((sum, t) => sum + cost(t), 0);
  let after = tabs.reduce((sum, t) => sum + cost(t) * (TAKE_IN[t.key] ?? TAKE_IN_OTHERWISE), 0);
  let before = 0;
  for (const tab of tabs) {
    const u = cost(tab);
    const τ = TAKE_IN[tab.key] ?? TAKE_IN_OTHERWISE;
    after -= u * τ;
    const f = (LATE_START + total - 2 * before - τ * u - after) / (u * (2 - τ));
    if (f <= 1) return before + Math.max(0, f) * u;
    before += u;
  }
  return total;
}

/** The data tabs, but goals: a goal's metric is read against the caller's metrics, which the second thread has not. */
const READ_AHEAD_TABS: readonly string[] = TAB_ORDER.filter((t) => t !== 'goals');

/** One tab's messages from the second thread, in order, until its end. */
class Inbox {
  private readonly messages: ReadAheadMessage[] = [];
  private next = 0;

  /** `arrive`: takes one more of the second thread's messages (for any tab) in, waiting for it if need be. */
  constructor(private readonly arrive: () => Promise<void>) {}

  take(message: ReadAheadMessage): void {
    this.messages.push(message);
  }

  /** Where the second thread cut the tab (its first message for the cut tab); undefined: it reads the tab whole. */
  async cut(): Promise<CsvCut | undefined> {
    const m = await this.nextMessage();
    if ('cut' in m) return m.cut;
    if ('error' in m) throw arrivedError(m.error);
    throw new Error(`the second reading thread did not say where it cut ${m.key}`);
  }

  /** Visits the tab's parts as they come; what its reading found beyond cell values, at its end. */
  async visitAll(visit: PartVisitor): Promise<Problem[]> {
    for (;;) {
      const m = await this.nextMessage();
      if ('done' in m) return m.done;
      if ('error' in m) throw arrivedError(m.error);
      if ('part' in m) visit(m.part);
    }
  }

  private async nextMessage(): Promise<ReadAheadMessage> {
    while (this.next >= this.messages.length) await this.arrive();
    const m = this.messages[this.next];
    this.messages[this.next++] = undefined as unknown as ReadAheadMessage; // let each part go once visited
    return m;
  }
}

/** An error from the second thread as thrown here: a SourceError stays one (its message is for staff). */
function arrivedError({ message, source, stack }: { message: string; source: boolean; stack?: string }): Error {
  return source ? new SourceError(message) : Object.assign(new Error(message), { stack });
}
