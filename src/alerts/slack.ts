/**
 * POSTs a message to a Slack incoming webhook. Retries on 429 (waiting what Retry-After says) and on 5xx or a
 * network error, with jittered exponential backoff, and gives up once `maxTotalMs` is spent: an alert is worth
 * a few seconds of a run, never the run. Other 4xx (revoked or wrong webhook) are not retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface DeliveryPolicy {
  /** Upper bound on the whole delivery, waits included. Default 30 s. */
  maxTotalMs?: number;
  /** One request's timeout (also bounded by what is left of maxTotalMs). Default 10 s. */
  requestTimeoutMs?: number;
  /** First backoff; doubles per attempt up to maxBackoffMs. Default 500 ms. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Time and waiting (default: the wall clock): the tests inject a clock whose waits pass at once. */
  clock?: DeliveryClock;
}

interface DeliveryClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const wallClock: DeliveryClock = { now: Date.now, sleep };

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** Last HTTP status, or undefined after a network error. */
  status?: number;
  /** Why it gave up (no URL inside). */
  error?: string;
  elapsedMs: number;
}

/** The least time left in the bound for which another attempt is started. */
const MIN_ATTEMPT_MS = 250;

export async function postWebhook(url: string, payload: unknown, policy: DeliveryPolicy = {}): Promise<DeliveryResult> {
  const maxTotalMs = policy.maxTotalMs ?? 30_000;
  const requestTimeoutMs = policy.requestTimeoutMs ?? 10_000;
  const initialBackoffMs = policy.initialBackoffMs ?? 500;
  const maxBackoffMs = policy.maxBackoffMs ?? 8_000;
  const clock = policy.clock ?? wallClock;
  const started = clock.now();
  const body = JSON.stringify(payload);
  let attempts = 0;
  let status: number | undefined;
  let error: string;
  for (;;) {
    attempts++;
    const remaining = maxTotalMs - (clock.now() - started);
    let waitMs: number;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(Math.max(1, Math.floor(Math.min(requestTimeoutMs, remaining)))),
      });
      status = response.status;
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true, attempts, status, elapsedMs: clock.now() - started };
      error = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (status !== 429 && status < 500) return { ok: false, attempts, status, error, elapsedMs: clock.now() - started };
      waitMs = retryAfterMs(response.headers.get('retry-after'), clock.now()) ?? backoff(attempts, initialBackoffMs, maxBackoffMs);
    } catch (cause) {
      status = undefined;
      const reason = (cause as Error & { cause?: { code?: string } }).cause?.code ?? (cause as Error).name;
      error = `network error (${reason})`;
      waitMs = backoff(attempts, initialBackoffMs, maxBackoffMs);
    }
    // An attempt needs a window of its own: one started with a few milliseconds left only times out, and its
    // TimeoutError would replace the cause worth reporting (a refused connection, a 503).
    const left = maxTotalMs - (clock.now() - started);
    if (waitMs + Math.min(requestTimeoutMs, MIN_ATTEMPT_MS) >= left) return { ok: false, attempts, status, error: `${error}; gave up after ${attempts} attempts`, elapsedMs: clock.now() - started };
    await clock.sleep(waitMs);
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1_000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function backoff(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
