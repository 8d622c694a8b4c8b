/** A FIFO async mutex: jobs mutating one table queue behind each other, as BigQuery queues DML. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class KeyedMutex {
  private locks = new Map<string, Mutex>();

  get(key: string): Mutex {
    let m = this.locks.get(key);
    if (!m) this.locks.set(key, (m = new Mutex()));
    return m;
  }

  /** Locks several keys in sorted order so two jobs never deadlock. */
  async lockAll(keys: string[]): Promise<() => void> {
    const releases: Array<() => void> = [];
    for (const k of [...new Set(keys)].sort()) releases.push(await this.get(k).lock());
    return () => releases.reverse().forEach((r) => r());
  }
}
