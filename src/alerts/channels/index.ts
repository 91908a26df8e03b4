/** Builds alert channels from the `alerts.channels` config section. */
import type { AlertChannelConfig } from '../../config/types.js';
import type { OutboxTarget } from '../delivery.js';
import type { OutboxRow } from '../store.js';
import type { AlertNotification, AlertSink } from '../types.js';
import { ConsoleSink } from './console.js';
import { EmailSink } from './email.js';
import { FileSink } from './file.js';
import { SlackSink } from './slack.js';

export { ConsoleSink, EmailSink, FileSink, SlackSink };

export function createSink(config: AlertChannelConfig): AlertSink {
  switch (config.type) {
    case 'slack':
      return new SlackSink({ name: config.name, webhookUrl: config.webhookUrl });
    case 'email':
      return new EmailSink({
        name: config.name,
        host: config.host,
        port: config.port,
        secure: config.secure,
        ...(config.user !== undefined ? { user: config.user } : {}),
        ...(config.passwordEnv !== undefined ? { passwordEnv: config.passwordEnv } : {}),
        from: config.from,
        to: config.to,
      });
    case 'file':
      return new FileSink(config.name, config.path);
    case 'console':
      return new ConsoleSink(config.name);
  }
}

export function createSinks(channels: Readonly<Record<string, AlertChannelConfig>>): AlertSink[] {
  return Object.values(channels).map(createSink);
}

/** Secrets in channel configs, for the redactor (passwords are added by the email channel itself). */
export function channelSecrets(channels: Readonly<Record<string, AlertChannelConfig>>): string[] {
  return Object.values(channels).flatMap((c) => (c.type === 'slack' ? [c.webhookUrl] : []));
}

/** Lets the delivery worker feed outbox rows of kind `alert` to a sink. */
export function alertTarget(sink: AlertSink): OutboxTarget {
  return {
    name: sink.name,
    deliver: (row: OutboxRow) => sink.send(JSON.parse(row.payload) as AlertNotification),
    ...(sink.close ? { close: () => sink.close!() } : {}),
  };
}
