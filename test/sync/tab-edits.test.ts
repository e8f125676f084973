import { describe, expect, it } from 'vitest';
import { checkWrites, rowsLost } from '../../sync/sources/tab-edits.ts';

const tab = (...rows: string[][]) => ({ name: 'email_events', header: ['message_id', 'last_event'], rows });

describe('checking writes on the tab read back', () => {
  it('puts back a value that landed on a moved row and redoes it, but never touches a cell it did not write', () => {
    const before = tab(['m1', 'sent'], ['m2', 'sent'], ['m3', 'opened']);
    // Staff inserted m9 at the top before our write to row 1 (meant for m2); meanwhile another
    // run set m3 to "delivered", the value we wrote: that change is theirs and stays.
    const after = tab(['m9', ''], ['m1', 'delivered'], ['m2', 'sent'], ['m3', 'delivered']);
    const { redo, undo } = checkWrites(before, after, 0, [{ id: 'm2', row: 1, column: 1, value: 'delivered' }]);
    expect(redo.map((w) => w.id)).toEqual(['m2']);
    expect(undo).toEqual([{ row: 1, column: 1, value: 'sent' }]);
  });

  it('finds nothing to put right when every value sits on its own row', () => {
    const before = tab(['m1', 'sent'], ['m2', 'sent']);
    const after = tab(['m1', 'sent'], ['m2', 'delivered']);
    expect(checkWrites(before, after, 0, [{ id: 'm2', row: 1, column: 1, value: 'delivered' }])).toEqual({ redo: [], undo: [] });
  });
});

describe('rows a deletion removed by mistake', () => {
  it('are the rows of the read, other than the targets, missing afterwards; rows added meanwhile do not count', () => {
    const before = tab(['m1', 'a'], ['m2', 'b'], ['m3', 'c']);
    // We meant to delete m2 (index 1); a row inserted above made the deletion hit m1 instead.
    const after = tab(['new', 'x'], ['m2', 'b'], ['m3', 'c']);
    expect(rowsLost(before, [1], after)).toEqual([0]);
    expect(rowsLost(before, [1], tab(['new', 'x'], ['m1', 'a'], ['m3', 'c']))).toEqual([]);
  });
});
