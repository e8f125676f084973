import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../../sync/problems.ts';
import type { Settings } from '../../sync/schema/settings.ts';
import { type Check, ok } from './check.ts';

const TITLE = 'Sign-up and preferences';
const SETUP = 'README, "Sign-up and preference forms"';
const HOURLY = '.github/workflows/signups.yml';

/**
 * The site's /join/ and /preferences/ pages post to the two Google Forms named in settings (their
 * pre-filled links), confirmation links point at site_url, and the hourly workflow sends the
 * confirmations promptly. Unset forms are a warning, not a failure: an org may not take sign-ups
 * yet, and the pages then say the form is not set up.
 */
export async function checkSignup(settings: Settings | undefined, problems: readonly Problem[], root: string): Promise<Check> {
  if (!settings) return { status: 'skip', title: TITLE, detail: 'not checked: the settings tab could not be read', fix: '' };
  const refused = (key: string) => problems.find((p) => p.message.startsWith(`${key}:`));
  const wrong: string[] = [];
  const fixes: string[] = [];
  for (const key of ['signup_form', 'preferences_form'] as const) {
    if (settings[key]) continue;
    const why = refused(key);
    wrong.push(why ? `${key} is refused: ${why.message}` : `${key} is not set`);
    fixes.push(`in the settings tab set ${key} to the form's pre-filled link, each question answered with its own field name`);
  }
  // A refused link or a confirmation with nowhere to go stops people joining; unset forms only mean not yet.
  let broken = wrong.some((w) => w.includes('refused'));
  if (settings.signup_form && !settings.site_url) {
    broken = true;
    wrong.push('site_url is not set, so confirmation emails have no page to link to');
    fixes.push('set site_url to the public site\'s address (README, "Deploying")');
  }
  if (settings.signup_form && !(await access(join(root, HOURLY)).then(() => true, () => false))) {
    wrong.push(`${HOURLY} is missing, so sign-ups wait for the daily run to be confirmed`);
    fixes.push(`restore ${HOURLY} from Tidings' repository`);
  }
  if (wrong.length === 0) return ok(TITLE, 'both forms, the site and the hourly confirmations are set');
  return { status: broken ? 'fail' : 'warn', title: TITLE, detail: `${wrong.join('; ')}: ${broken ? 'people cannot join or choose what they receive' : 'the site\'s join and preference pages say they are not set up'}`, fix: `${fixes.join('; ')} (${SETUP})` };
}
