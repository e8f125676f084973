import type { Problem } from '../../sync/problems.ts';
import type { Settings } from '../../sync/schema/settings.ts';
import { unsubscribeSecret } from '../unsubscribe.ts';
import { type Check, ok } from './check.ts';

const TITLE = 'Unsubscribe form';
const SETUP = 'README, "Unsubscribe, with no server of ours"';

/**
 * Every email carries an unsubscribe link (the site's /unsubscribe/ page) and a one-click
 * List-Unsubscribe header (the form's formResponse address), both signed with
 * TIDINGS_UNSUBSCRIBE_SECRET: each piece must be set, or recipients cannot leave the list.
 */
export function checkUnsubscribe(settings: Settings | undefined, problems: readonly Problem[], env: NodeJS.ProcessEnv): Check {
  if (!settings) return { status: 'skip', title: TITLE, detail: 'not checked: the settings tab could not be read', fix: '' };
  const wrong: string[] = [];
  const fixes: string[] = [];
  // A value the settings tab refused (not https, say) reads as unset: say what was refused.
  const refused = (key: string) => problems.find((p) => p.message.startsWith(`${key}:`));
  const url = settings.unsubscribe_form_url;
  if (!url || !url.startsWith('https://') || !new URL(url).pathname.endsWith('/formResponse')) {
    wrong.push(url ? `unsubscribe_form_url does not end in /formResponse (${url})` : refused('unsubscribe_form_url') ? `unsubscribe_form_url is refused: ${refused('unsubscribe_form_url')!.message}` : 'unsubscribe_form_url is not set');
    fixes.push('in the settings tab set unsubscribe_form_url to https://docs.google.com/forms/d/e/<form id>/formResponse');
  }
  if (!settings.unsubscribe_form_field) {
    wrong.push(refused('unsubscribe_form_field') ? `unsubscribe_form_field is refused: ${refused('unsubscribe_form_field')!.message}` : 'unsubscribe_form_field is not set');
    fixes.push('set unsubscribe_form_field to the form\'s field name, entry.NNNNNNN (from ⋮ → Get pre-filled link)');
  }
  if (!settings.site_url) {
    wrong.push('site_url is not set, so the unsubscribe link has no page to go to');
    fixes.push('set site_url to the public site\'s address (README, "Deploying")');
  }
  if (!unsubscribeSecret(env)) {
    wrong.push('TIDINGS_UNSUBSCRIBE_SECRET is not set, so links cannot be signed or checked');
    fixes.push('make a long random secret (openssl rand -base64 32) and add it as the GitHub secret TIDINGS_UNSUBSCRIBE_SECRET and in your shell; never change it afterwards');
  }
  if (wrong.length === 0) return ok(TITLE, 'the form, its field, the site and the secret are all set');
  return { status: 'fail', title: TITLE, detail: `${wrong.join('; ')}: recipients could not unsubscribe`, fix: `${fixes.join('; ')} (${SETUP})` };
}
