import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, loadConfig, parseConfig } from '../../src/config/index.js';
import { ConfigError, ErrorCodes, InputNotFoundError } from '../../src/errors.js';

const MINIMAL = `kafka:
  brokers: [127.0.0.1:9092]
streams:
  - name: tx
    topic: transactions
    encoding: json
    schema: schemas/tx.json
`;

/** Parses and returns the ConfigError; fails the test when the config is accepted. */
function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, 'dw.yaml', { env, baseDir: '/srv' });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('config was accepted');
}

function problems(err: ConfigError): Array<{ line: number; field: string; message: string }> {
  return err.details.errors as Array<{ line: number; field: string; message: string }>;
}

describe('loadConfig: a good config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dw-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the shipped example with every section typed and durations in ms', async () => {
    const cfg = await loadConfig(resolve('driftwatch.example.yaml'), {
      env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', KAFKA_BROKERS: 'k1:9092, k2:9093' },
      baseDir: '/app',
    });
    expect(cfg.kafka).toEqual({ brokers: ['k1:9092', 'k2:9093'], clientId: 'driftwatch', groupId: 'driftwatch-demo', fromBeginning: true });
    expect(cfg.streams).toHaveLength(1);
    const s = cfg.streams[0]!;
    expect(s.schema).toBe('/app/schemas/transactions.schema.json');
    expect(s.windows).toEqual({ sizeMs: 3_600_000, slideMs: 3_600_000, allowedLatenessMs: 120_000, idleTimeoutMs: 300_000 });
    expect(s.extraFields).toBe('strip');
    expect(s.categorical).toContain('merchant_category');
    expect(s.keyedAggregates).toEqual([{ name: 'mean_amount_by_customer', key: 'customer_id', feature: 'amount', agg: 'mean' }]);
    expect(s.baseline).toBe('/app/baselines/transactions');
    expect(cfg.storage).toEqual({ duckdbPath: '/app/data/driftwatch.duckdb', parquetDir: '/app/data/parquet' });
    expect(cfg.alerts.groupWaitMs).toBe(30_000);
    expect(cfg.alerts.defaultChannels).toEqual(['console', 'slack']);
    expect(cfg.alerts.channels.slack).toEqual({ type: 'slack', name: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/X' });
    expect(cfg.alerts.channels.email).toMatchObject({ type: 'email', host: '127.0.0.1', port: 1025, secure: false, passwordEnv: 'SMTP_PASSWORD', to: ['ml-oncall@example.com'] });
    expect(cfg.alerts.channels.audit).toEqual({ type: 'file', name: 'audit', path: '/app/data/alerts.jsonl' });
    expect(cfg.retrain).toEqual({ enabled: true, topic: 'driftwatch.retrain' });
    expect(cfg.http).toEqual({ enabled: true, host: '0.0.0.0', port: 9464 });
    expect(cfg.logging.level).toBe('info');
    expect(cfg.source).toBe(resolve('driftwatch.example.yaml'));
  });

  it('returns a deeply frozen object', () => {
    const cfg = parseConfig(MINIMAL, 'dw.yaml', { env: {} });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.streams)).toBe(true);
    expect(Object.isFrozen(cfg.streams[0]!.windows)).toBe(true);
    expect(Object.isFrozen(cfg.alerts.channels)).toBe(true);
    expect(() => {
      (cfg.kafka.brokers as string[]).push('x:1');
    }).toThrow(TypeError);
  });

  it('applies defaults to a minimal config', () => {
    const cfg = parseConfig(MINIMAL, 'dw.yaml', { env: {}, baseDir: '/srv' });
    expect(cfg.kafka).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'driftwatch', groupId: 'driftwatch', fromBeginning: false });
    const s = cfg.streams[0]!;
    expect(s).toMatchObject({ dlqTopic: 'transactions.dlq', extraFields: 'allow', categorical: [], keyedAggregates: [], schemaIds: {} });
    expect(s.features).toBeUndefined();
    expect(s.baseline).toBeUndefined();
    expect(s.windows).toEqual({ sizeMs: 3_600_000, slideMs: 3_600_000, allowedLatenessMs: 60_000, idleTimeoutMs: 300_000 });
    expect(cfg.storage.duckdbPath).toBe('/srv/data/driftwatch.duckdb');
    expect(cfg.rules.dir).toBe('/srv/rules');
    // No alerts section: alerts are printed rather than dropped.
    expect(cfg.alerts).toEqual({ groupWaitMs: 30_000, channels: { console: { type: 'console', name: 'console' } }, defaultChannels: ['console'] });
    expect(cfg.retrain).toEqual({ enabled: false, topic: CONFIG_DEFAULTS.retrainTopic });
    expect(cfg.http).toEqual({ enabled: true, host: CONFIG_DEFAULTS.httpHost, port: CONFIG_DEFAULTS.httpPort });
    expect(cfg.logging.level).toBe('info');
  });

  it('parses hopping windows, compound durations, schema ids, registry and smtp defaults', () => {
    const cfg = parseConfig(
      `kafka: { brokers: "a:1,b:2", ssl: true, sasl: { mechanism: plain, username: u, password: p } }
streams:
  - name: avro
    topic: t
    encoding: confluent-avro
    registry: { url: "http://127.0.0.1:8081/" }
    schema_ids: { "007": s/v1.avsc }
    windows: { size: 1h30m, slide: 15m, allowed_lateness: 500, idle_timeout: 2w }
alerts:
  channels:
    mail: { type: email, host: smtp, secure: true, from: a@b.c, to: "x@y.z, q@r.s" }
retrain: { http: { url: "https://api.github.com/repos/a/b/dispatches", token_env: GH_TOKEN } }
`,
      'dw.yaml',
      { env: {}, baseDir: '/srv' },
    );
    expect(cfg.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(cfg.kafka.ssl).toBe(true);
    expect(cfg.kafka.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    const s = cfg.streams[0]!;
    expect(s.registry).toEqual({ url: 'http://127.0.0.1:8081', timeoutMs: 5000 });
    expect(s.schemaIds).toEqual({ '7': '/srv/s/v1.avsc' });
    expect(s.schema).toBeUndefined();
    expect(s.windows).toEqual({ sizeMs: 5_400_000, slideMs: 900_000, allowedLatenessMs: 500, idleTimeoutMs: 1_209_600_000 });
    expect(cfg.alerts.channels.mail).toEqual({ type: 'email', name: 'mail', host: 'smtp', port: 465, secure: true, from: 'a@b.c', to: ['x@y.z', 'q@r.s'] });
    expect(cfg.retrain).toEqual({
      enabled: true,
      topic: 'driftwatch.retrain',
      http: { url: 'https://api.github.com/repos/a/b/dispatches', tokenEnv: 'GH_TOKEN', eventType: 'driftwatch-retrain' },
    });
  });

  it('refuses a missing file with InputNotFoundError naming it', async () => {
    const path = join(dir, 'nope.yaml');
    await expect(loadConfig(path)).rejects.toThrow(InputNotFoundError);
    await expect(loadConfig(path)).rejects.toThrow(path);
  });

  it('reads from disk and names the file in errors', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, `${MINIMAL}logging: { level: loud }\n`);
    const err = await loadConfig(path, { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((err as ConfigError).message).toContain(`${path}:8:`);
  });
});

describe('parseConfig: errors name file, line and field', () => {
  it('YAML syntax errors', () => {
    const err = configError('kafka:\n  brokers: [a:1\nstreams: []\n');
    expect(err.message).toMatch(/^dw\.yaml: invalid YAML/);
    expect(problems(err)[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('duplicate keys', () => {
    const err = configError(`${MINIMAL}http: { port: 1 }\nhttp: { port: 2 }\n`);
    expect(err.message).toContain('dw.yaml:9:');
    expect(err.message).toMatch(/unique/i);
  });

  it('an empty file', () => {
    expect(configError('# nothing\n').message).toContain('dw.yaml:1:1: (top level): the file is empty');
  });

  it('unknown keys, pointing at the key, with a suggestion', () => {
    const err = configError(MINIMAL.replace('    encoding: json', '    encoding: json\n    dlqtopic: x'));
    expect(problems(err)).toEqual([
      { line: 7, column: 5, field: 'streams[0].dlqtopic', message: "unknown key 'dlqtopic' (did you mean 'dlq_topic'?)" },
    ]);
  });

  it('wrong types and enum values, with the offending value', () => {
    const err = configError(`${MINIMAL}http:\n  port: "80"\nlogging:\n  level: loud\n`);
    expect(err.message).toContain("dw.yaml:9:9: http.port: must be an integer, got '80'");
    expect(err.message).toContain("dw.yaml:11:10: logging.level: must be one of trace, debug, info, warn, error, fatal, silent, got 'loud'");
  });

  it('missing required keys, at the mapping that needs them', () => {
    const err = configError('kafka:\n  client_id: x\nstreams:\n  - name: a\n    encoding: json\n    schema: s.json\n');
    expect(problems(err)).toEqual([
      { line: 2, column: 3, field: 'kafka', message: "missing required key 'brokers'" },
      { line: 4, column: 5, field: 'streams[0]', message: "missing required key 'topic'" },
    ]);
  });

  it('keys required by the encoding', () => {
    const err = configError(
      'kafka: { brokers: [a:1] }\nstreams:\n  - { name: a, topic: a, encoding: avro }\n  - { name: b, topic: b, encoding: confluent-avro }\n',
    );
    expect(problems(err)).toEqual([
      { line: 3, column: 5, field: 'streams[0]', message: "missing required key 'schema' (required for encoding avro)" },
      { line: 4, column: 5, field: 'streams[1]', message: 'needs one of: registry, schema_ids (required for encoding confluent-avro)' },
    ]);
  });

  it('bad durations, names and URLs', () => {
    const err = configError(
      `kafka: { brokers: [a:1] }
streams:
  - name: -bad
    topic: t
    encoding: confluent-avro
    registry:
      url: not a url
    windows:
      size: 5 minutes
`,
    );
    const byField = Object.fromEntries(problems(err).map((p) => [p.field, p]));
    expect(byField['streams[0].name']).toMatchObject({ line: 3, message: expect.stringContaining('a name of letters') });
    expect(byField['streams[0].registry.url']).toMatchObject({ line: 7, message: expect.stringContaining('absolute URL') });
    expect(byField['streams[0].windows.size']).toMatchObject({
      line: 9,
      message: "must be a duration like 500ms, 30s, 15m, 1h30m, 1d, or a number of milliseconds, got '5 minutes'",
    });
  });

  it('unknown alert channel types (discriminator)', () => {
    const err = configError(`${MINIMAL}alerts:\n  channels:\n    ops:\n      type: pagerduty\n`);
    expect(problems(err)).toEqual([
      { line: 11, column: 13, field: 'alerts.channels.ops.type', message: "must be one of slack, email, file, console, got 'pagerduty'" },
    ]);
  });

  it('cross-field problems: duplicate names and topics, slide > size, unknown channels, stray categorical, sasl, brokers', () => {
    const err = configError(`kafka:
  brokers: [a:1, nohost]
  sasl: { mechanism: scram-sha-512, username: u }
streams:
  - name: tx
    topic: t
    encoding: json
    schema: s.json
    windows: { size: 10m, slide: 1h }
    features: [amount]
    categorical: [country]
  - name: tx
    topic: t
    encoding: json
    schema: s.json
alerts:
  default_channels: [pager]
  channels:
    log: { type: console }
`);
    expect(problems(err).map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      "2 kafka.brokers[1]: broker 'nohost' must be host:port",
      '3 kafka.sasl.password: missing required key \'password\' (required for sasl mechanism scram-sha-512)',
      '9 streams[0].windows.slide: window slide (3600000 ms) must not exceed the window size (600000 ms)',
      "11 streams[0].categorical[0]: categorical feature 'country' is not in this stream's features list",
      "12 streams[1].name: duplicate stream name 'tx' (also streams[0])",
      "13 streams[1].topic: topic 't' is already consumed by streams[0]",
      "17 alerts.default_channels[0]: unknown channel 'pager' (configured: log)",
    ]);
  });

  it('reports every schema problem at once, sorted by line', () => {
    const err = configError(`kafka: { brokers: [a:1], groupid: g }\nstreams:\n  - { name: a, topic: a, encoding: xml }\nhttp: { port: -1 }\n`);
    expect(problems(err).map((p) => p.line)).toEqual([1, 3, 4]);
    expect(err.message).toMatch(/invalid configuration \(3 problems\)/);
  });
});
