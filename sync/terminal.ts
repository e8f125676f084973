// C0 and C1 controls (ESC starts a sequence that can clear the screen, move the cursor or set the
// window title; CR rewrites a line; a newline forges one), DEL, and the bidi overrides and isolates
// that make text display in another order than it reads (CVE-2021-42574, "Trojan Source").
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the data as a terminal may print it: every control character shown as its escape
 * (ESC as \u001b, a newline as \n), so a cell can neither drive the terminal nor fake a line.
 * Every line the CLI prints with data in it goes through here.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A line printer whose every line goes through printable (a command's log, which prints data). */
export function printableLines(log: (line: string) => void): (line: string) => void {
  return (line) => log(printable(line));
}
