import { z } from 'zod';
import type { CellResult, RawCell } from '../cells/result.ts';
import { isBlank } from '../cells/result.ts';

/** Per-column facts the validator needs beyond the value's type. */
export interface ColumnMeta {
  /** The column must exist in the tab and every row needs a value in it. */
  required?: boolean;
  /** A bad value is a warning: the row is kept without that value. */
  warnOnly?: boolean;
  /** What the cell holds, for a spreadsheet's formats and dropdowns (init-sheet) and typed cells. */
  kind?: ColumnKind;
}

/** Column kinds a spreadsheet can show natively: dates, date-times, checkboxes, dropdowns. */
export type ColumnKind =
  | { type: 'date' }
  | { type: 'datetime' }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] };

const columnMeta = z.registry<ColumnMeta>();

export function metaOf(schema: z.ZodType): ColumnMeta {
  return columnMeta.get(schema) ?? {};
}

export type Reader<T> = (raw: RawCell) => CellResult<T>;

// Each column schema's reader, so the validator can read a row's cells without a zod parse per row.
const columnReaders = new WeakMap<z.ZodType, Reader<unknown>>();

function fromReader<T>(read: Reader<T>) {
  const schema = z.custom<RawCell>().transform((raw, ctx) => {
    const result = read(raw);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.message, input: raw });
    return z.NEVER;
  });
  columnReaders.set(schema, read);
  return schema;
}

/** An optional column: blank reads as the reader's blank value. */
export function optional<T>(read: Reader<T>, meta: ColumnMeta = {}) {
  const schema = fromReader(read);
  columnMeta.add(schema, meta);
  return schema;
}

/** A required column (marked * in the data model): it must exist and no row may leave it blank. */
export function required<T>(read: Reader<T | undefined>, what: string, meta: Omit<ColumnMeta, 'required'> = {}) {
  const schema = fromReader<T>((raw) => {
    if (isBlank(raw)) return { ok: false, message: `${what} is required: fill it in, or delete the row if it should not be here` };
    return read(raw) as CellResult<T>;
  });
  columnMeta.add(schema, { ...meta, required: true });
  return schema;
}

/** A tab's columns in their documented order, with what the validator and init-sheet need to know. */
export function columnsOf(schema: z.ZodType): { name: string; field: z.ZodType; meta: ColumnMeta; read: Reader<unknown> }[] {
  // A tab with a cross-column .transform() wraps its object; the columns are the inner object's.
  const object = schema as unknown as { shape?: Record<string, z.ZodType>; def: { in?: { shape: Record<string, z.ZodType> } } };
  const shape = object.shape ?? object.def.in!.shape;
  return Object.entries(shape).map(([name, field]) => ({ name, field, meta: metaOf(field), read: columnReaders.get(field)! }));
}

/**
 * The part of a tab's schema that looks at a whole row (a .check() across columns, a .transform()),
 * as a schema of its own: it runs on a row whose cells were read one by one with columnsOf's readers.
 */
export function rowRulesOf(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as z.ZodObject).def as unknown as { type: string; checks?: z.core.$ZodCheck<unknown>[]; in?: z.ZodType; out?: z.ZodType };
  if (def.type === 'pipe') {
    const inner = rowRulesOf(def.in!);
    return inner ? inner.pipe(def.out!) : def.out;
  }
  return def.checks?.length ? z.unknown().check(...def.checks) : undefined;
}
