/**
 * File channel: one JSON object per line (JSON Lines), for audits and the demo. A crash
 * between the append and the outbox update can repeat a line; readers dedupe on `id`.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NotifyError, errorMessage } from '../../errors.js';
import { summaryLine } from '../format.js';
import type { AlertNotification, AlertSink } from '../types.js';

export class FileSink implements AlertSink {
  readonly type = 'file';

  constructor(
    readonly name: string,
    private readonly path: string,
  ) {}

  async send(n: AlertNotification): Promise<void> {
    const line = JSON.stringify({
      type: 'drift_alert',
      sent_at: new Date().toISOString(),
      summary: summaryLine(n),
      ...n,
      window_start: new Date(n.windowStart).toISOString(),
      window_end: new Date(n.windowEnd).toISOString(),
    });
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, `${line}\n`, 'utf8');
    } catch (err) {
      throw new NotifyError(`file channel '${this.name}': cannot append to ${this.path}: ${errorMessage(err)}`, {
        retryable: true,
        details: { channel: this.name, path: this.path },
      });
    }
  }
}
