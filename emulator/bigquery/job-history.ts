/**
 * The jobs the emulator remembers: every pending or running job, and a bounded recent set of finished ones.
 * BigQuery keeps job information for six months (jobs.list); an emulator that kept every finished job with its
 * result rows grew without limit in a long-lived process (npm start --keep-running, chaos, the benches). A job
 * dropped from the history answers 404 saying so (not supported by the local emulator), and its id stays taken as in
 * BigQuery, for a much larger but still bounded number of ids.
 */
import { notFound } from './errors.ts';

export const DEFAULT_FINISHED_JOBS_KEPT = 1_000;
/** Ids of dropped jobs remembered so that they stay taken and answer with the reason: 100 bytes each at most. */
const DROPPED_IDS_KEPT = 100_000;

export class JobHistory<J extends { jobId: string }> {
  private readonly jobs = new Map<string, J>();
  /** Finished job ids, oldest first. */
  private readonly finished: string[] = [];
  private readonly dropped = new Set<string>();

  constructor(private readonly finishedKept = DEFAULT_FINISHED_JOBS_KEPT) {
    if (!Number.isInteger(finishedKept) || finishedKept < 1) throw new Error(`finishedJobsKept must be a positive integer, got ${finishedKept}`);
  }

  /** Whether the id is taken: a remembered job, or one dropped from the history. */
  has(jobId: string): boolean {
    return this.jobs.has(jobId) || this.dropped.has(jobId);
  }

  add(job: J): void {
    this.jobs.set(job.jobId, job);
  }

  get(projectId: string, jobId: string): J {
    const job = this.jobs.get(jobId);
    if (job) return job;
    if (this.dropped.has(jobId)) {
      throw notFound(`Job ${projectId}:US.${jobId} (not supported by the local emulator: it keeps only the last ${this.finishedKept} finished jobs; BigQuery keeps job information for six months)`);
    }
    throw notFound(`Job ${projectId}:US.${jobId}`);
  }

  values(): J[] {
    return [...this.jobs.values()];
  }

  delete(jobId: string): void {
    this.jobs.delete(jobId);
  }

  /** Called once when a job is done: the oldest finished jobs beyond the bound are dropped. */
  finish(job: J): void {
    this.finished.push(job.jobId);
    while (this.finished.length > this.finishedKept) {
      const oldest = this.finished.shift()!;
      // A job deleted through jobs.delete is gone already and its id free, as in BigQuery.
      if (this.jobs.delete(oldest)) this.dropped.add(oldest);
    }
    for (const id of this.dropped) {
      if (this.dropped.size <= DROPPED_IDS_KEPT) break;
      this.dropped.delete(id);
    }
  }
}
