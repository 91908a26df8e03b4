/**
 * Sink writes per partition, in order, off the fetch loop: kafkajs fetches the next
 * batch while the sink makes the previous one durable. `inFlight` lets the consumer
 * pause a partition whose sink falls behind. Jobs must handle their own errors.
 */
export class PartitionWriteQueue {
  private readonly queues = new Map<string, { tail: Promise<void>; inFlight: number; waiters: Array<() => void> }>();

  enqueue(key: string, job: () => Promise<void>): void {
    let q = this.queues.get(key);
    if (!q) {
      q = { tail: Promise.resolve(), inFlight: 0, waiters: [] };
      this.queues.set(key, q);
    }
    const queue = q;
    queue.inFlight++;
    queue.tail = queue.tail
      .then(job)
      .catch(() => undefined)
      .finally(() => {
        queue.inFlight--;
        const waiters = queue.waiters.splice(0);
        for (const w of waiters) w();
      });
  }

  inFlight(key: string): number {
    return this.queues.get(key)?.inFlight ?? 0;
  }

  /** Resolves once the partition has fewer than `limit` writes pending. */
  async whenBelow(key: string, limit: number): Promise<void> {
    for (;;) {
      const q = this.queues.get(key);
      if (!q || q.inFlight < limit) return;
      await new Promise<void>((resolve) => q.waiters.push(resolve));
    }
  }

  /** Resolves when every write queued so far, and any queued meanwhile, has finished. */
  async drain(): Promise<void> {
    for (;;) {
      const pending = [...this.queues.values()].filter((q) => q.inFlight > 0);
      if (pending.length === 0) return;
      await Promise.all(pending.map((q) => q.tail));
    }
  }
}
