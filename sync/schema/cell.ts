import { z } from 'zod';
import type { CellResult, RawCell } from '../cells/result.ts';
import { isBlank } from '../cells/result.ts';

/** Per-column facts the validator needs beyond the value's type. */
export interface ColumnMeta {
  /** The column must exist in the tab and every row needs a value in it. */
  required?: boolean;
  /** A bad value is a warning: the row is kept without that value. */
  warnOnly?: boolean;
}

const columnMeta = z.registry<ColumnMeta>();

export function metaOf(schema: z.ZodType): ColumnMeta {
  return columnMeta.get(schema) ?? {};
}

type Reader<T> = (raw: RawCell) => CellResult<T>;

function fromReader<T>(read: Reader<T>) {
  return z.custom<RawCell>().transform((raw, ctx) => {
    const result = read(raw);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.message, input: raw });
    return z.NEVER;
  });
}

/** An optional column: blank reads as the reader's blank value. */
export function optional<T>(read: Reader<T>, meta: ColumnMeta = {}) {
  const schema = fromReader(read);
  columnMeta.add(schema, meta);
  return schema;
}

/** A required column (marked * in the data model): it must exist and no row may leave it blank. */
export function required<T>(read: Reader<T | undefined>, what: string) {
  const schema = fromReader<T>((raw) => {
    if (isBlank(raw)) return { ok: false, message: `${what} is required: fill it in, or delete the row if it should not be here` };
    return read(raw) as CellResult<T>;
  });
  columnMeta.add(schema, { required: true });
  return schema;
}
