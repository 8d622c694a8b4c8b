/**
 * Where Slack alerts go: SLACK_WEBHOOK_URL, or a Secret Manager secret holding the URL. The URL is a credential
 * (anyone holding it can post to the channel): it is validated here, and never logged anywhere; `redact` removes
 * it — and any piece of it a receiver's error body echoes — from any text before that text reaches a log.
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

/** Removes the URL, its path and any echoed piece of it (the path is the secret part) from text meant for a log. */
export function redact(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join('[webhook]');
  try {
    const { pathname, search } = new URL(url);
    if (pathname.length > 1)
      out = out
        .split(pathname + search)
        .join('[webhook-path]')
        .split(pathname)
        .join('[webhook-path]');
    return redactEchoes(out, secretPieces(url));
  } catch {
    return out; // not a URL: nothing more to remove
  }
}

/** An echo this long of a secret piece is redacted: a receiver quoting the token's start leaks most of it. */
const MIN_ECHO = 6;

/**
 * The parts of a webhook URL that identify or authorise it: path segments and query values (Slack's
 * /services/T…/B…/token), except plain short words such as "services".
 */
function secretPieces(url: string): string[] {
  const { pathname, searchParams } = new URL(url);
  const parts = [...pathname.split('/').map((p) => safeDecode(p)), ...searchParams.values()];
  return parts.filter((p) => p.length >= MIN_ECHO && (/[^a-z]/.test(p) || p.length >= 16));
}

function redactEchoes(text: string, pieces: string[]): string {
  if (!pieces.length) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    let longest = 0;
    for (const piece of pieces) {
      if (i + MIN_ECHO > text.length || !piece.includes(text.slice(i, i + MIN_ECHO))) continue;
      let end = i + MIN_ECHO;
      while (end < text.length && piece.includes(text.slice(i, end + 1))) end++;
      longest = Math.max(longest, end - i);
    }
    if (longest) {
      out += '[redacted]';
      i += longest;
    } else {
      out += text[i++];
    }
  }
  return out;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
