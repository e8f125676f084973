/**
 * The web version of a sent newsletter: the body of the email as the newsletter stage rendered
 * it for the archive (no recipient's data, no tracking), without scripts, and with its headings one
 * level down so the page's own title stays the only h1.
 */
export function webVersion(html: string): string {
  const body = html.match(/<body[^>]*>([\s\S]*)<\/body>/i)?.[1] ?? html;
  return body
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<(\/?)h([1-5])\b/gi, (_, slash: string, level: string) => `<${slash}h${Number(level) + 1}`);
}
