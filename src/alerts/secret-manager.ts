/**
 * Reads a secret's latest version through Secret Manager's REST API (`GET /v1/<name>/versions/latest:access`)
 * with an Application Default Credentials token. There is no Secret Manager emulator, so the base URL is
 * configurable (option or GRADEGUARD_SECRET_MANAGER_URL) and the tests point it at a local HTTP server that
 * plays Secret Manager: a fake of Google's API, the only one in this project, because nothing real exists to run.
 */
export const SECRET_NAME_PATTERN = /^projects\/[A-Za-z0-9][A-Za-z0-9-]{0,62}\/secrets\/[A-Za-z0-9_-]{1,255}$/;
const DEFAULT_SECRET_MANAGER_URL = 'https://secretmanager.googleapis.com';

export interface SecretManagerOptions {
  /** Default GRADEGUARD_SECRET_MANAGER_URL, else https://secretmanager.googleapis.com. */
  baseUrl?: string;
  /** Default: an ADC access token (google-auth-library, scope cloud-platform). */
  getAccessToken?: () => Promise<string>;
  timeoutMs?: number;
}

class SecretAccessError extends Error {
  override name = 'SecretAccessError';
}

async function adcToken(): Promise<string> {
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const token = await auth.getAccessToken();
  if (!token) throw new SecretAccessError('Application Default Credentials gave no access token (gcloud auth application-default login)');
  return token;
}

/** The secret's value as text. Errors name the secret and the HTTP status, never the value. */
export async function accessSecret(name: string, options: SecretManagerOptions = {}): Promise<string> {
  if (!SECRET_NAME_PATTERN.test(name)) throw new SecretAccessError(`Invalid secret name ${JSON.stringify(name)}`);
  const baseUrl = (options.baseUrl ?? process.env.GRADEGUARD_SECRET_MANAGER_URL ?? DEFAULT_SECRET_MANAGER_URL).replace(/\/+$/, '');
  const token = await (options.getAccessToken ?? adcToken)();
  const response = await fetch(`${baseUrl}/v1/${name}/versions/latest:access`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) {
    throw new SecretAccessError(`Secret Manager answered ${response.status} for ${name}/versions/latest (needs roles/secretmanager.secretAccessor)`);
  }
  const body = (await response.json()) as { payload?: { data?: string } };
  if (!body.payload?.data) throw new SecretAccessError(`Secret Manager returned no payload for ${name}`);
  return Buffer.from(body.payload.data, 'base64').toString('utf8').trim();
}
