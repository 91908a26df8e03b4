import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { AlertManager } from '../../../src/alerts/manager.js';
import { buildRetrainEvent, validateRetrainEvent } from '../../../src/retrain/event.js';
import { IDEMPOTENCY_HEADER, RetrainKafkaPublisher } from '../../../src/retrain/kafka-publisher.js';
import { startRetrainListener } from '../../../src/retrain/listen.js';
import type { RetrainListener } from '../../../src/retrain/listen.js';
import type { RetrainEvent } from '../../../src/retrain/types.js';
import { loadRules } from '../../../src/rules/load.js';
import { openDb, tempPath, until, windowOf } from '../../alerts/helpers.js';
import { drift, rulesDir } from '../../rules/helpers.js';
import { createTopic, newKafka, testBrokers, uniqueTopic } from '../helpers/kafka.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function event(model: string, windowIndex: number): RetrainEvent {
  return buildRetrainEvent({
    model,
    reason: 'critical_drift',
    stream: 'tx',
    windowStart: windowIndex * 300_000,
    windowEnd: (windowIndex + 1) * 300_000,
    features: [{ feature: 'amount', severity: 'critical', breaches: [{ test: 'psi', value: 0.4, threshold: 0.25, level: 'critical' }], drift: drift('amount', { psi: 0.4 }) }],
    driftedShare: 1,
    createdAt: Date.now(),
  });
}

/** Reads every message of `topic` from the beginning with a throwaway group. */
async function readAll(kafka: Kafka, topic: string, expected: number) {
  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  const got: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push({
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  await until(() => got.length >= expected, 30_000, `${expected} messages on ${topic}`);
  await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
  await consumer.disconnect();
  return got;
}

async function committed(kafka: Kafka, groupId: string, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t?.partitions[0]?.offset ?? '-1';
  } finally {
    await admin.disconnect();
  }
}

async function produce(kafka: Kafka, topic: string, events: RetrainEvent[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: events.map((e) => ({ key: e.model, value: JSON.stringify(e) })) });
  await producer.disconnect();
}

describe('retrain events on a real Kafka broker', () => {
  it('the alert manager publishes ONE event per incident, key = model, through the outbox', async () => {
    const topic = uniqueTopic('retrain');
    await createTopic(topic, 1);
    const kafka = newKafka('retrain-pub');
    const rules = loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\nretrain: { on: critical, model: fraud-scorer }\n' }));
    const db = await openDb(tempPath('k.duckdb'));
    cleanups.push(() => db.close());
    const m = await AlertManager.open({ conn: db.conn, rules, retrainTargets: [new RetrainKafkaPublisher({ kafka, topic })] });
    cleanups.push(() => m.close());
    for (let i = 0; i < 3; i++) await m.onWindowEvaluated(windowOf(rules, 'tx', i, { amount: { psi: 0.4 }, country: { psi: 0.3 } }, { baselineId: 'base-9' }));
    await m.worker.idle();
    const got = await readAll(kafka, topic, 1);
    expect(got).toHaveLength(1);
    const e = validateRetrainEvent(JSON.parse(got[0]!.value));
    expect(got[0]!.key).toBe('fraud-scorer');
    expect(got[0]!.headers[IDEMPOTENCY_HEADER]).toBe(e.idempotency_key);
    expect(e).toMatchObject({ model: 'fraud-scorer', reason: 'critical_drift', stream: 'tx', baseline_id: 'base-9' });
    expect(e.drifted_features.map((f) => f.feature).sort()).toEqual(['amount', 'country']);
  });

  it('retrain listen commits the offset only after the command exits 0', async () => {
    const topic = uniqueTopic('retrain-listen');
    await createTopic(topic, 1);
    const kafka = newKafka('retrain-listen');
    const groupId = `${topic}-g`;
    const counter = tempPath('count');
    const seen = tempPath('seen.jsonl');
    writeFileSync(counter, '0');
    // Fails on the first two runs, then succeeds; records each successful event's key.
    const command = `n=$(cat ${counter}); n=$((n+1)); echo $n > ${counter}; [ $n -ge 3 ] || exit 7; printf '%s %s\\n' "$DRIFTWATCH_IDEMPOTENCY_KEY" "$DRIFTWATCH_ATTEMPT" >> ${seen}`;
    const commits: string[] = [];
    const listener: RetrainListener = await startRetrainListener({
      kafka,
      topic,
      groupId,
      command,
      fromBeginning: true,
      backoff: { initialMs: 300, maxMs: 600, factor: 2 },
      exec: { output: 'ignore' },
      onCommitted: (c) => commits.push(c.offset),
    });
    cleanups.push(() => listener.stop());
    const e1 = event('fraud-scorer', 1);
    await produce(kafka, topic, [e1]);
    await until(() => readFileSync(counter, 'utf8').trim() === '2', 30_000, 'two failed runs');
    expect(await committed(kafka, groupId, topic)).toBe('-1'); // nothing committed while failing
    await until(() => commits.length === 1, 30_000, 'success and commit');
    expect(await committed(kafka, groupId, topic)).toBe('1');
    expect(readFileSync(seen, 'utf8')).toBe(`${e1.idempotency_key} 3\n`);
    // The next event succeeds at once.
    const e2 = event('fraud-scorer', 2);
    await produce(kafka, topic, [e2]);
    await until(() => commits.length === 2, 30_000, 'second commit');
    expect(await committed(kafka, groupId, topic)).toBe('2');
    expect(readFileSync(seen, 'utf8').trim().split('\n').map((l) => l.split(' ')[0])).toEqual([e1.idempotency_key, e2.idempotency_key]);
  });

  it('a listener that gives up leaves the offset; the next listener gets the same event again', async () => {
    const topic = uniqueTopic('retrain-giveup');
    await createTopic(topic, 1);
    const kafka = newKafka('retrain-giveup');
    const groupId = `${topic}-g`;
    const e = event('churn', 4);
    await produce(kafka, topic, [e]);
    const first = await startRetrainListener({
      kafka, topic, groupId, command: 'exit 1', fromBeginning: true, maxAttempts: 2,
      backoff: { initialMs: 100, maxMs: 100, factor: 1 }, exec: { output: 'ignore' },
    });
    await expect(first.done).rejects.toThrow(/retrain command failed 2 times for model churn .*offset not committed/);
    await first.stop().catch(() => undefined);
    expect(await committed(kafka, groupId, topic)).toBe('-1');

    const out = tempPath('got.json');
    const second = await startRetrainListener({
      kafka, topic, groupId, command: `cat > ${out}`, fromBeginning: true, exec: { output: 'ignore' },
    });
    cleanups.push(() => second.stop());
    await until(() => existsSync(out) && readFileSync(out, 'utf8').length > 0, 30_000, 'redelivered event');
    await until(async () => (await committed(kafka, groupId, topic)) === '1', 30_000, 'commit after success');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ model: 'churn', idempotency_key: e.idempotency_key });
  });

  it('skips (and commits past) a message that is not a retrain event', async () => {
    const topic = uniqueTopic('retrain-bad');
    await createTopic(topic, 1);
    const kafka = newKafka('retrain-bad');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'not json' }, { value: JSON.stringify(event('m', 1)) }] });
    await producer.disconnect();
    const commits: string[] = [];
    const l = await startRetrainListener({
      kafka, topic, groupId: `${topic}-g`, command: 'true', fromBeginning: true, exec: { output: 'ignore' },
      onCommitted: (c) => commits.push(c.offset),
    });
    cleanups.push(() => l.stop());
    await until(() => commits.length === 1, 30_000, 'commit');
    expect(commits).toEqual(['1']);
    expect(await committed(kafka, `${topic}-g`, topic)).toBe('2');
  });

  it('the CLI: `driftwatch retrain listen` runs the command, commits, stops on SIGTERM; --max-attempts fails loudly', async () => {
    const topic = uniqueTopic('retrain-cli');
    await createTopic(topic, 1);
    const kafka = newKafka('retrain-cli');
    const groupId = `${topic}-g`;
    const e = event('fraud-scorer', 7);
    await produce(kafka, topic, [e]);
    const out = tempPath('cli.json');
    const cli = (args: string[]) => {
      const child = spawn(process.execPath, ['bin/driftwatch.js', 'retrain', 'listen', '--brokers', testBrokers().join(','), '--topic', topic, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      cleanups.push(() => void child.kill('SIGKILL'));
      return { child, exit, stderr: () => stderr };
    };
    const failing = cli(['--group', groupId, '--from-beginning', '--exec', 'exit 3', '--max-attempts', '1']);
    expect(await failing.exit).toBe(2);
    expect(failing.stderr()).toMatch(/retrain command failed 1 times for model fraud-scorer .*offset not committed \[DW_KAFKA_FAILED\]/);
    expect(await committed(kafka, groupId, topic)).toBe('-1');

    const ok = cli(['--group', groupId, '--from-beginning', '--exec', `cat > ${out}`]);
    await until(async () => (await committed(kafka, groupId, topic)) === '1', 45_000, 'CLI commit');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ idempotency_key: e.idempotency_key });
    ok.child.kill('SIGTERM');
    expect(await ok.exit).toBe(0);
    expect(ok.stderr()).toContain('retrain command succeeded; offset committed');
  });
});
