/**
 * A tab's ids in the order they were added, each found by its text: an open-addressing hash table
 * of typed arrays. Sync checks every id of a large sheet for repeats (a million message ids) and
 * looks up every reference (a contact per gift and per message); a Set or Map of a million fresh
 * strings spends most of that time waiting on memory, where this table costs one hash of the text
 * and a probe into an Int32Array.
 */
export class IdIndex {
  private readonly ids: string[] = [];
  /**
   * Per slot, two numbers side by side (one memory read for both): the position of its id plus
   * one (0: empty), and its id's hash (a probe compares texts only when hashes agree).
   */
  private table = new Int32Array(2 * INITIAL_SLOTS);

  get size(): number {
    return this.ids.length;
  }

  /** The id added at a position. */
  idAt(position: number): string {
    return this.ids[position];
  }

  /** The position of `id`, or -1 when it was never added. */
  find(id: string): number {
    return this.table[this.slotOf(id, hashText(id))] - 1;
  }

  /** Adds `id` and gives its position; when it is already there, nothing is added and it gives ~position (below 0). */
  add(id: string): number {
    const hash = hashText(id);
    const slot = this.slotOf(id, hash);
    if (this.table[slot] !== 0) return ~(this.table[slot] - 1);
    const position = this.ids.push(id) - 1;
    this.table[slot] = position + 1;
    this.table[slot + 1] = hash;
    // At most half full, so probes stay short.
    if (this.ids.length * 4 > this.table.length) this.grow();
    return position;
  }

  /** Where the slot holding `id` starts in the table, or where the empty slot it would go in starts. */
  private slotOf(id: string, hash: number): number {
    const { table, ids } = this;
    const mask = table.length - 2;
    for (let slot = (hash << 1) & mask; ; slot = (slot + 2) & mask) {
      const held = table[slot];
      if (held === 0 || (table[slot + 1] === hash && ids[held - 1] === id)) return slot;
    }
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = table.length - 2;
    for (let from = 0; from < old.length; from += 2) {
      if (old[from] === 0) continue;
      let slot = (old[from + 1] << 1) & mask;
      while (table[slot] !== 0) slot = (slot + 2) & mask;
      table[slot] = old[from];
      table[slot + 1] = old[from + 1];
    }
    this.table = table;
  }
}

const INITIAL_SLOTS = 1024;

/** FNV-1a over the text's UTF-16 code units. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  // As a 32-bit integer, as the table keeps it (the empty text's hash is the unmixed start value).
  return hash | 0;
}
