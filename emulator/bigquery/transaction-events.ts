/**
 * Opt-in trace for fault injection (GRADEGUARD_EMULATOR_TRANSACTION_EVENTS=1): a JSON line on stderr when a job whose
 * script opens a transaction is inserted ("transaction begun", as near as the API shows it) and when a client first
 * sees that job done ("committed", or failed), with the run id its SQL or its run_id parameter carries and the table
 * it deletes from. The chaos suite times its kills and freezes from these lines; the writers' own processes cannot see
 * inside a `dataform run`.
 */
import type { Request } from './http.ts';

interface Tracked {
  runId: string | null;
  table: string | null;
  insertedAt: number;
}

const FORGET_AFTER_MS = 10 * 60_000;

export function transactionEventTracer(write: (line: string) => void): (req: Request, out: any) => void {
  const tracked = new Map<string, Tracked>();
  const emit = (event: string, jobId: string, t: Tracked, extra: Record<string, unknown> = {}) =>
    write(JSON.stringify({ severity: 'INFO', message: event, event, job_id: jobId, run_id: t.runId, table: t.table, time: new Date().toISOString(), ...extra }) + '\n');
  return (req, out) => {
    const path = (req.raw.url ?? '').split('?')[0];
    const jobId: string | undefined = out?.jobReference?.jobId;
    if (!jobId) return;
    if (req.method === 'POST' && /\/(jobs|queries)$/.test(path)) {
      const sql = req.body?.configuration?.query?.query ?? req.body?.query;
      if (typeof sql !== 'string' || !/\bBEGIN\s+TRANSACTION\b/i.test(sql)) return;
      const now = Date.now();
      for (const [id, t] of tracked) if (now - t.insertedAt > FORGET_AFTER_MS) tracked.delete(id);
      const params: any[] = req.body?.configuration?.query?.queryParameters ?? req.body?.queryParameters ?? [];
      const t: Tracked = {
        runId: /'([A-Za-z0-9_.:-]+)' AS run_id/.exec(sql)?.[1] ?? params.find((p) => p?.name === 'run_id')?.parameterValue?.value ?? null,
        table: /DELETE FROM `?[\w.-]*?\.?(\w+)`?\s/.exec(sql)?.[1] ?? null,
        insertedAt: now,
      };
      tracked.set(jobId, t);
      emit('transaction_job_inserted', jobId, t);
    }
    const t = tracked.get(jobId);
    if (t && (out?.status?.state === 'DONE' || out?.jobComplete === true)) {
      tracked.delete(jobId);
      emit('transaction_job_done', jobId, t, { error: out?.status?.errorResult?.message ?? null });
    }
  };
}
