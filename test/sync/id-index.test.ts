import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../sync/id-index.ts';

describe('IdIndex', () => {
  it('gives each new id the next position, finds it by its text, and gives a repeat the first one\'s position, complemented', () => {
    const index = new IdIndex();
    expect([index.add('C1'), index.add('C2'), index.add('捐款人-3')]).toEqual([0, 1, 2]);
    expect(index.add('C2')).toBe(~1);
    expect(index.size).toBe(3);
    expect([index.find('捐款人-3'), index.find('C1'), index.find('C3'), index.find('c1'), index.find('')]).toEqual([2, 0, -1, -1, -1]);
    expect(index.idAt(1)).toBe('C2');
  });

  it('finds a text however the string was made (sliced from a line, joined, typed)', () => {
    const index = new IdIndex();
    const line = '38799e33-8696-45c0-ae44-0aee2f824016,thanks-2025-11-24,C00020';
    index.add(line.split(',')[0]);
    expect(index.find(['38799e33-8696', '45c0-ae44-0aee2f824016'].join('-'))).toBe(0);
    expect(index.add('38799e33-8696-45c0-ae44-0aee2f824016')).toBe(~0);
  });

  it('agrees with a Map over many ids, through every growth of its table', () => {
    const index = new IdIndex();
    const reference = new Map<string, number>();
    // Near-identical ids (one character apart), repeats, blanks and multi-byte text.
    const ids = Array.from({ length: 60_000 }, (_, i) => (i % 7 === 0 ? `D${i % 1000}` : i % 11 === 0 ? `聯絡人${i}` : `M-${i.toString(36)}`));
    ids.push('', ' ', '');
    for (const id of ids) {
      const expected = reference.has(id) ? ~reference.get(id)! : reference.size;
      if (expected >= 0) reference.set(id, expected);
      expect(index.add(id)).toBe(expected);
    }
    expect(index.size).toBe(reference.size);
    for (const [id, position] of reference) {
      expect(index.find(id)).toBe(position);
      expect(index.idAt(position)).toBe(id);
    }
    for (const missing of ['D1000', 'M-', '聯絡人7', 'x']) expect(index.find(missing)).toBe(-1);
  });
});
