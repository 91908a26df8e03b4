/**
 * The demo's configuration: examples/demo.yaml through the normal loader, with this run's
 * brokers, topics, group and output directory passed as the ${DW_DEMO_*} variables, plus a
 * Slack and/or email channel when SLACK_WEBHOOK_URL / SMTP_HOST are set in the environment.
 */
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { AlertChannelConfig, DriftwatchConfig } from '../config/types.js';
import type { Env } from '../config/env.js';
import type { DemoTopics } from './kafka-io.js';

export interface DemoConfigInput {
  readonly repoDir: string;
  readonly outDir: string;
  readonly brokers: readonly string[];
  readonly topics: DemoTopics;
  readonly groupId: string;
  readonly env: Env;
}

export const DEMO_CONFIG_FILE = join('examples', 'demo.yaml');

export async function loadDemoConfig(input: DemoConfigInput): Promise<DriftwatchConfig> {
  const env: Env = {
    ...input.env,
    DW_DEMO_BROKERS: input.brokers.join(','),
    DW_DEMO_TOPIC: input.topics.transactions,
    DW_DEMO_RETRAIN_TOPIC: input.topics.retrain,
    DW_DEMO_GROUP: input.groupId,
    DW_DEMO_DIR: input.outDir,
  };
  const config = await loadConfig(join(input.repoDir, DEMO_CONFIG_FILE), { env, baseDir: input.repoDir });
  return withOptionalChannels(config, input.env);
}

/** Channels the environment asks for, besides the file channel. Pure. */
export function optionalChannels(env: Env): AlertChannelConfig[] {
  const out: AlertChannelConfig[] = [];
  const slack = env.SLACK_WEBHOOK_URL?.trim();
  if (slack) out.push({ type: 'slack', name: 'slack', webhookUrl: slack });
  const host = env.SMTP_HOST?.trim();
  if (host) {
    const secure = env.SMTP_SECURE === 'true';
    out.push({
      type: 'email',
      name: 'email',
      host,
      port: Number(env.SMTP_PORT ?? (secure ? 465 : 587)),
      secure,
      ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
      ...(env.SMTP_PASSWORD ? { passwordEnv: 'SMTP_PASSWORD' } : {}),
      from: env.SMTP_FROM ?? 'driftwatch-demo@localhost',
      to: (env.SMTP_TO ?? 'ml-oncall@localhost').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    });
  }
  return out;
}

export function withOptionalChannels(config: DriftwatchConfig, env: Env): DriftwatchConfig {
  const extra = optionalChannels(env);
  if (extra.length === 0) return config;
  const channels = { ...config.alerts.channels, ...Object.fromEntries(extra.map((c) => [c.name, c])) };
  return { ...config, alerts: { ...config.alerts, channels, defaultChannels: Object.keys(channels) } };
}
