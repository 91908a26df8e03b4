import { describe, expect, it } from 'vitest';
import { expandEnv, parseConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

describe('expandEnv (pure)', () => {
  it('substitutes, falls back, and keeps escaped references literal', () => {
    const env = { A: 'x', EMPTY: '' };
    expect(expandEnv('${A}-${A}', env)).toEqual({ value: 'x-x', refs: ['A', 'A'], missing: [], malformed: false });
    expect(expandEnv('${B:-dflt}', env).value).toBe('dflt');
    expect(expandEnv('${EMPTY:-dflt}', env).value).toBe('dflt');
    expect(expandEnv('${EMPTY}', env)).toMatchObject({ value: '', missing: [] });
    expect(expandEnv('$${A} costs $5', env)).toEqual({ value: '${A} costs $5', refs: [], missing: [], malformed: false });
    expect(expandEnv('${NOPE}', env)).toMatchObject({ missing: ['NOPE'] });
    expect(expandEnv('${1BAD}', env).malformed).toBe(true);
    expect(expandEnv('${A', env).malformed).toBe(true);
  });
});

const CONFIG = `kafka:
  brokers: \${BROKERS}
  sasl:
    mechanism: plain
    username: svc
    password: \${KAFKA_PASSWORD}
streams:
  - name: tx
    topic: \${TOPIC:-transactions}
    encoding: json
    schema: schemas/tx.json
alerts:
  channels:
    slack: { type: slack, webhook_url: "\${SLACK_URL}" }
    mail:
      type: email
      host: h
      port: \${SMTP_PORT}
      from: a@b.c
      to: x@y.z
http:
  port: "\${HTTP_PORT:-9000}"
`;

describe('${ENV} substitution in the config', () => {
  const env = { BROKERS: 'k:9092', KAFKA_PASSWORD: 's3cr3t-pw', SLACK_URL: 'https://hooks.slack.com/services/T/B/C', SMTP_PORT: '2525' };

  it('substitutes secrets and types unquoted whole references', () => {
    const cfg = parseConfig(CONFIG.replace('port: "${HTTP_PORT:-9000}"', 'port: ${HTTP_PORT:-9000}'), 'dw.yaml', { env });
    expect(cfg.kafka.brokers).toEqual(['k:9092']);
    expect(cfg.kafka.sasl?.password).toBe('s3cr3t-pw');
    expect(cfg.streams[0]!.topic).toBe('transactions');
    expect(cfg.alerts.channels.slack).toMatchObject({ webhookUrl: 'https://hooks.slack.com/services/T/B/C' });
    expect(cfg.alerts.channels.mail).toMatchObject({ port: 2525 });
    expect(cfg.http.port).toBe(9000);
  });

  it('keeps quoted references as strings (so the schema can refuse them)', () => {
    expect(() => parseConfig(CONFIG, 'dw.yaml', { env })).toThrow(/dw\.yaml:22:9: http\.port: must be an integer \(value from the environment not shown\)/);
  });

  it('names every missing variable with its line and field', () => {
    let err: unknown;
    try {
      parseConfig(CONFIG, 'dw.yaml', { env: { BROKERS: 'k:1' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toContain('dw.yaml:6:15: environment variable KAFKA_PASSWORD is not set (referenced by kafka.sasl.password)');
    expect(msg).toContain('dw.yaml:14:40: environment variable SLACK_URL is not set (referenced by alerts.channels.slack.webhook_url)');
    expect(msg).toContain('dw.yaml:18:13: environment variable SMTP_PORT is not set');
    expect(msg).not.toContain('TOPIC'); // has a fallback
  });

  it('never prints a substituted secret in an error', () => {
    const secretEnv = { ...env, SLACK_URL: 'hunter2 not-a-url', KAFKA_PASSWORD: 'pw-should-not-leak' };
    let msg = '';
    try {
      parseConfig(CONFIG.replace('mechanism: plain', 'mechanism: nope'), 'dw.yaml', { env: secretEnv });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('alerts.channels.slack.webhook_url: must be a valid absolute URL');
    expect(msg).toContain('kafka.sasl.mechanism: must be one of');
    expect(msg).not.toContain('hunter2');
    expect(msg).not.toContain('pw-should-not-leak');
  });

  it('refuses malformed references', () => {
    expect(() => parseConfig(CONFIG.replace('${BROKERS}', '${BROKERS'), 'dw.yaml', { env })).toThrow(/dw\.yaml:2:12: kafka\.brokers: malformed/);
  });

  it('does not touch keys or comments', () => {
    const cfg = parseConfig(`# \${NOT_SET} in a comment\n${CONFIG.replace('port: "${HTTP_PORT:-9000}"', 'port: 1')}`, 'dw.yaml', { env });
    expect(cfg.http.port).toBe(1);
  });
});
