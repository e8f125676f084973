/**
 * A tab's ids in the order they were added, each found by its text: an open-addressing hash table
 * of typed arrays. Sync checks every id of a large sheet for repeats (a million message ids) and
 * looks up every reference (a contact per gift and per message); a Set or Map of a million fresh
 * strings spends most of that time waiting on memory, where this table costs one hash of the text
 * and a probe into an Int32Array.
 */
export class IdIndex {
  private readonly ids: string[] = [];
  /** Per slot, the position of its id plus one (0: empty). */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** Per slot, its id's hash: a probe compares texts only when hashes agree. */
  private hashes = new Int32Array(INITIAL_SLOTS);

  get size(): number {
    return this.ids.length;
  }

  /** The id added at a position. */
  idAt(position: number): string {
    return this.ids[position];
  }

  /** The position of `id`, or -1 when it was never added. */
  find(id: string): number {
    const hash = hashText(id);
    const slot = this.slotOf(id, hash);
    return this.slots[slot] - 1;
  }

  /** Adds `id` and gives its position; -1 (and nothing added) when it is already there. */
  add(id: string): number {
    const hash = hashText(id);
    const slot = this.slotOf(id, hash);
    if (this.slots[slot] !== 0) return -1;
    const position = this.ids.push(id) - 1;
    this.slots[slot] = position + 1;
    this.hashes[slot] = hash;
    // At most half full, so probes stay short.
    if (this.ids.length * 2 > this.slots.length) this.grow();
    return position;
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private slotOf(id: string, hash: number): number {
    const { slots, hashes, ids } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot];
      if (held === 0 || (hashes[slot] === hash && ids[held - 1] === id)) return slot;
    }
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let old = 0; old < slots.length; old++) {
      if (slots[old] === 0) continue;
      let slot = hashes[old] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = slots[old];
      this.hashes[slot] = hashes[old];
    }
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
