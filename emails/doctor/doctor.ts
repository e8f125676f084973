import { openSource } from '../../sync/sources/open.ts';
import type { Source } from '../../sync/sources/source.ts';
import { resendFromEnv } from '../send/provider.ts';
import type { Check } from './check.ts';
import { checkWebhooks } from './receiver.ts';
import { checkResend } from './resend.ts';
import { checkSheet } from './sheet.ts';
import { checkSignup } from './signup.ts';
import { checkUnsubscribe } from './unsubscribe.ts';
import { checkSchedule, checkSecrets } from './workflow.ts';

export interface DoctorOptions {
  /** csv:<folder> or sheets:<id>, as --source. */
  source: string;
  /** The date the data is read as of (default today in the org time zone). */
  asOf?: string;
  env?: NodeJS.ProcessEnv;
  /** The repository holding .github/workflows (default: the current folder). */
  root?: string;
  /** How the source is opened (default openSource; tests pass a client with other credentials). */
  open?: (spec: string) => Promise<Source>;
}

/** Every check of a setup, in the order staff set it up: the sheet, Resend, webhooks, unsubscribe, sign-up, the Action. */
export async function runDoctor(options: DoctorOptions): Promise<Check[]> {
  const env = options.env ?? process.env;
  const root = options.root ?? process.cwd();
  const sheet = await checkSheet(() => (options.open ?? openSource)(options.source), options.asOf);
  const settings = sheet.synced?.dataset.settings;
  const resend = await checkResend(env.RESEND_API_KEY?.trim() ? resendFromEnv(env) : undefined, settings);
  return [
    ...sheet.checks,
    ...resend.checks,
    await checkWebhooks(env, settings, resend.sendingOnly),
    checkUnsubscribe(settings, sheet.synced?.problems ?? [], env),
    await checkSignup(settings, sheet.synced?.problems ?? [], root),
    await checkSchedule(root),
    await checkSecrets(root, env),
  ];
}
