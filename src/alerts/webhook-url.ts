/**
 * Where Slack alerts go: SLACK_WEBHOOK_URL, or a Secret Manager secret holding the URL. The URL is a credential
 * (anyone holding it can post to the channel): it is validated here, and never logged anywhere; `redact` removes
 * it from any text (error messages) before that text reaches a log.
 */
import { UsageError } from '../runner/exit-codes.ts';
import { accessSecret, SECRET_NAME_PATTERN, type SecretManagerOptions } from './secret-manager.ts';

export interface WebhookSource {
  /** `projects/<p>/secrets/<s>` (the latest version is read). Wins over the environment. */
  slackSecret?: string;
  env?: NodeJS.ProcessEnv;
  secretManager?: SecretManagerOptions;
}

/** An https URL, or http to a loopback address (tests and local receivers). Malformed: bad input. */
export function validateWebhookUrl(value: string, source = 'SLACK_WEBHOOK_URL'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`${source} is not a valid URL (value not shown: it is a credential)`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new UsageError(`${source} must be an https:// URL (http:// only to 127.0.0.1 or localhost); value not shown`);
  }
  if (url.username || url.password) throw new UsageError(`${source} must not carry user credentials; value not shown`);
  return url.toString();
}

/** The webhook URL to use, or undefined when none is configured (alerts are then log lines only). */
export async function resolveWebhookUrl(source: WebhookSource = {}): Promise<string | undefined> {
  const env = source.env ?? process.env;
  if (source.slackSecret !== undefined) {
    if (!SECRET_NAME_PATTERN.test(source.slackSecret)) {
      throw new UsageError(`Invalid --slack-secret ${JSON.stringify(source.slackSecret)}: expected projects/<project>/secrets/<secret>`);
    }
    const value = await accessSecret(source.slackSecret, source.secretManager);
    return validateWebhookUrl(value, `the secret ${source.slackSecret}`);
  }
  const fromEnv = env.SLACK_WEBHOOK_URL;
  if (fromEnv === undefined || fromEnv.trim() === '') return undefined;
  return validateWebhookUrl(fromEnv);
}

/** Removes the URL (and its path, which is the secret part) from text meant for a log. */
export function redact(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join('[webhook]');
  try {
    const { pathname, search } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname + search).join('[webhook-path]').split(pathname).join('[webhook-path]');
  } catch {
    // not a URL: nothing more to remove
  }
  return out;
}
