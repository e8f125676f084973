import { existsSync, readFileSync } from 'node:fs';
import { GoogleAuth, JWT } from 'google-auth-library';
import { SourceError } from './source.ts';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

const HOW = 'set GOOGLE_SERVICE_ACCOUNT_JSON to the service-account key (the whole JSON), or GOOGLE_APPLICATION_CREDENTIALS to the path of that file, or sign in with Application Default Credentials (see the README, "Google Sheets")';

/**
 * Google credentials, in this order: GOOGLE_SERVICE_ACCOUNT_JSON (the key itself, as a CI secret
 * holds it), GOOGLE_APPLICATION_CREDENTIALS (a key file, or the external-account file that
 * google-github-actions/auth writes for Workload Identity Federation), then Application Default
 * Credentials (gcloud auth application-default login, or a Google Cloud machine's account).
 */
export function googleAuth(env: NodeJS.ProcessEnv = process.env): GoogleAuth {
  const json = env.GOOGLE_SERVICE_ACCOUNT_JSON?.trim();
  if (json) return new GoogleAuth({ authClient: serviceAccountClient(parseKey(json, 'GOOGLE_SERVICE_ACCOUNT_JSON')) });
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (keyFile) {
    if (!existsSync(keyFile)) throw new SourceError(`GOOGLE_APPLICATION_CREDENTIALS points at ${keyFile}, which does not exist: ${HOW}`);
    const key = parseKey(readFileSync(keyFile, 'utf8'), `the file ${keyFile} (GOOGLE_APPLICATION_CREDENTIALS)`);
    if (key.type === 'service_account') return new GoogleAuth({ authClient: serviceAccountClient(key) });
  }
  // Federated (Workload Identity) and user credentials: the library's own Application Default Credentials.
  return new GoogleAuth({ scopes: [SHEETS_SCOPE] });
}

function parseKey(text: string, where: string): Record<string, string> {
  try {
    return JSON.parse(text);
  } catch {
    throw new SourceError(`${where} is not valid JSON: it should hold the whole service-account key file, from { to }`);
  }
}

/**
 * Only a service-account key is built from the JSON here (an arbitrary credential config can run
 * programs, so those go through the library's own checks). The key signs its own short-lived
 * token, as Google's client libraries do: no round trip to the token endpoint.
 */
function serviceAccountClient(key: Record<string, string>): JWT {
  if (key.type !== 'service_account' || !key.client_email || !key.private_key) {
    throw new SourceError(`the Google key is not a service-account key (it needs "type": "service_account", client_email and private_key): create a JSON key for the service account, see the README`);
  }
  const client = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [SHEETS_SCOPE] });
  client.useJWTAccessWithScope = true;
  return client;
}

/** The email the spreadsheet must be shared with, when the credentials are a service account. */
export async function serviceAccountEmail(auth: GoogleAuth): Promise<string | undefined> {
  try {
    const client = await auth.getClient();
    if (client instanceof JWT) return client.email;
    return (await auth.getCredentials()).client_email ?? undefined;
  } catch {
    return undefined;
  }
}

/** Turns "no credentials at all" into what to do about it. */
export function credentialsError(error: unknown): SourceError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/could not load the default credentials|no credentials|default credentials/i.test(message)) {
    return new SourceError(`no Google credentials found: ${HOW}`);
  }
  return undefined;
}
