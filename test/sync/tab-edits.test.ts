import { describe, expect, it } from 'vitest';
import { checkWrites, keyIndexes, planCellUpdates, rowIds, rowsLost } from '../../sync/sources/tab-edits.ts';

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

describe('writes that rename their row (a pending id becoming the real one)', () => {
  const ledger = (...rows: string[][]) => ({ name: 'email_events', header: ['message_id', 'contact_id', 'sent_at'], rows });
  const confirm = (row: number, pending: string, real: string) => [
    { id: pending, row, column: 2, value: '2026-12-03T03:17:00Z' },
    { id: pending, row, column: 0, value: real },
  ];

  it('a row renamed where it was is done, not redone and not put back', () => {
    const before = ledger(['old-1', 'C1', '2026-11-15'], ['pending:M:1:1', 'C2', ''], ['pending:M:1:2', 'C3', '']);
    const after = ledger(['old-1', 'C1', '2026-11-15'], ['re_a', 'C2', '2026-12-03T03:17:00Z'], ['re_b', 'C3', '2026-12-03T03:17:00Z']);
    expect(checkWrites(before, after, 0, [...confirm(1, 'pending:M:1:1', 're_a'), ...confirm(2, 'pending:M:1:2', 're_b')])).toEqual({ redo: [], undo: [] });
  });

  it('a rename that landed on a row staff moved there is put back and redone on the right row', () => {
    const before = ledger(['pending:M:1:1', 'C2', ''], ['pending:M:1:2', 'C3', '']);
    // Staff sorted the tab between our read and our write: our row 0 (C2) is now row 1.
    const after = ledger(['re_a', 'C3', '2026-12-03T03:17:00Z'], ['pending:M:1:1', 'C2', '']);
    const writes = confirm(0, 'pending:M:1:1', 're_a');
    const { redo, undo } = checkWrites(before, after, 0, writes);
    expect(redo).toEqual(writes);
    expect(undo).toEqual([{ row: 0, column: 2, value: '' }, { row: 0, column: 0, value: 'pending:M:1:2' }]);
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

describe('rows found by several columns together (a form response has no id of its own)', () => {
  const form = (...rows: string[][]) => ({ name: 'signups', header: ['timestamp', 'email', 'status'], rows });
  const key = ['timestamp', 'email'];

  it('writes to the row holding those answers now, wherever it moved, and tells identical rows apart', () => {
    const before = form(['46000.5', 'a@example.org', ''], ['46000.6', 'junk', ''], ['46000.6', 'junk', '']);
    const ids = rowIds(before, keyIndexes(before, key));
    expect(new Set(ids).size).toBe(3);
    // Staff sorted the tab and added a row of their own at the top before our write.
    const now = form(['46001', 'b@example.org', ''], ['46000.6', 'junk', ''], ['46000.6', 'junk', ''], ['46000.5', 'a@example.org', '']);
    const { result, writes } = planCellUpdates(now, key, [
      { id: ids[0], column: 'status', value: 'pending' }, { id: ids[1], column: 'status', value: 'junk' }, { id: ids[2], column: 'status', value: 'junk' },
      { id: '["46000.7","gone@example.org"]#1', column: 'status', value: 'pending' },
    ]);
    expect(writes.map((w) => [w.row, w.value])).toEqual([[3, 'pending'], [1, 'junk'], [2, 'junk']]);
    expect(result.refusedMissingId).toHaveLength(1);
  });

  it('checking the writes read back: a value that landed on a moved row is put back and redone', () => {
    const before = form(['1', 'a@example.org', ''], ['2', 'b@example.org', '']);
    const ids = rowIds(before, keyIndexes(before, key));
    // Our write for b landed on row 1, but a row was inserted above before it did.
    const after = form(['0', 'new@example.org', ''], ['1', 'a@example.org', ''], ['2', 'b@example.org', '']);
    after.rows[1][2] = 'pending';
    const { redo, undo } = checkWrites(before, after, keyIndexes(after, key), [{ id: ids[1], row: 1, column: 2, value: 'pending' }]);
    expect(redo.map((w) => w.id)).toEqual([ids[1]]);
    expect(undo).toEqual([{ row: 1, column: 2, value: '' }]);
  });
});
