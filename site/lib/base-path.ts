/**
 * The folder the site is served from, from settings.site_url: "/" for https://give.example.org/,
 * "/repo/" for a GitHub Pages project site at https://user.github.io/repo/.
 */
export const basePath = (siteUrl: string | undefined): string =>
  siteUrl ? new URL(siteUrl).pathname.replace(/\/?$/, '/') : '/';
