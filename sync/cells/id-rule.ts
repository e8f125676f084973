// No imports: the site's browser scripts check ?event= ids with the same rule sync applies.

/** The longest id, in UTF-16 units: 64 Chinese characters are 192 bytes, well inside a file name's 255. */
export const MAX_ID_LENGTH = 64;
const ID_CHARACTERS = /^[\p{L}\p{N}\p{M}_.-]+$/u;
const PLAIN_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Why `id` cannot be a record's id, or undefined when it can. Ids name files (receipts, the
 * outbox) and web pages (/newsletters/<id>/), so they are letters of any script, digits, - _ and
 * ., never a path (/ \ ..), hidden (a leading dot), control characters or spaces, and short.
 */
export function idProblem(id: string): string | undefined {
  // Most ids (C0001, D-2024-17) are plain ASCII: one quick test, not the Unicode one (sync reads millions).
  if (id.length <= MAX_ID_LENGTH && PLAIN_ID.test(id)) return undefined;
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long; an id has at most ${MAX_ID_LENGTH}`;
  if (!ID_CHARACTERS.test(id)) return 'it holds a character other than letters, digits, - _ and . (a space, a slash, a symbol or a control character)';
  if (id.startsWith('.') || id.endsWith('.') || id.includes('..')) return 'it starts or ends with a dot, or holds two dots in a row';
  return undefined;
}
