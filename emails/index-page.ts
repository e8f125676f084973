import { join } from 'node:path';
import { makePrivateDir, writePrivateFile } from '../sync/private-files.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageEntry {
  /** What the row says (a recipient, a template). */
  label: string;
  subject: string;
  /** The rendered HTML file, relative to the index page. */
  htmlFile: string;
  /** Extra files to link (the .eml). */
  extra?: { label: string; file: string }[];
}

/**
 * A static review page: one row per rendering, a link to each file, and the rendering inline, in a
 * sandboxed frame (sandbox=""): whatever a rendering holds, it runs no script and opens nothing.
 */
export async function writeIndexPage(dir: string, title: string, notes: string[], entries: PageEntry[]): Promise<string> {
  const rows = entries
    .map(
      (e) => `<section>
  <h2>${escape(e.label)}</h2>
  <p><strong>${escape(e.subject)}</strong> · <a href="${escape(e.htmlFile)}">HTML</a>${(e.extra ?? []).map((x) => ` · <a href="${escape(x.file)}">${escape(x.label)}</a>`).join('')}</p>
  <iframe src="${escape(e.htmlFile)}" sandbox="" loading="lazy" title="${escape(e.label)}"></iframe>
</section>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:72rem}iframe{width:100%;height:40rem;border:1px solid #ccc}section{margin-bottom:2rem}</style>
</head><body>
<h1>${escape(title)}</h1>
${notes.map((n) => `<p>${escape(n)}</p>`).join('\n')}
<p>${entries.length} ${entries.length === 1 ? 'rendering' : 'renderings'}.</p>
${rows}
</body></html>
`;
  await makePrivateDir(dir);
  const path = join(dir, 'index.html');
  await writePrivateFile(path, html);
  return path;
}
