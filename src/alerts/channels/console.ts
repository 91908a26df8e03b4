/** Console channel for the demo: the plain-text notification on stdout (or a given stream). */
import { notificationText } from '../format.js';
import type { AlertNotification, AlertSink } from '../types.js';

export class ConsoleSink implements AlertSink {
  readonly type = 'console';

  constructor(
    readonly name: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  async send(n: AlertNotification): Promise<void> {
    const rule = '─'.repeat(72);
    this.out.write(`${rule}\n${notificationText(n)}\n${rule}\n`);
  }
}
