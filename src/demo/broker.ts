/**
 * A Kafka broker for the demo: the one answering at the configured address, else a local one
 * started through scripts/kafka.sh (real Apache Kafka from Maven Central; needs Java + Maven
 * once). Only a broker the demo started is stopped at the end.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaError } from '../errors.js';
import { brokerAnswers } from '../kafka/probe.js';

export interface DemoBroker {
  readonly brokers: string[];
  readonly started: boolean;
  stop(): Promise<void>;
}

function kafkaScript(repoDir: string, command: 'start' | 'stop', port: number, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [join(repoDir, 'scripts', 'kafka.sh'), command], { env: { ...process.env, KAFKA_PORT: String(port) }, timeout: 600_000 }, (err, _out, stderr) => {
      if (err === null) resolve();
      else reject(new KafkaError(`scripts/kafka.sh ${command} failed (KAFKA_PORT=${port}): ${stderr.trim() || err.message}`, { details: { port } }));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') onLine(line.trim());
    });
  });
}

/**
 * The broker at `brokers` if one answers; otherwise, for a single loopback address, starts
 * one with scripts/kafka.sh on that port.
 */
export async function ensureBroker(brokers: readonly string[], repoDir: string, onLine: (line: string) => void): Promise<DemoBroker> {
  if (await brokerAnswers(brokers, 1_500)) {
    await warmUp(brokers);
    return { brokers: [...brokers], started: false, stop: async () => undefined };
  }
  const local = brokers.length === 1 ? /^(127\.0\.0\.1|localhost):(\d{1,5})$/.exec(brokers[0]!) : null;
  if (local === null) {
    throw new KafkaError(`no Kafka broker answers at ${brokers.join(',')} (the demo starts one itself only for a single 127.0.0.1:<port> address)`, {
      details: { brokers },
    });
  }
  const port = Number(local[2]);
  onLine(`no broker at ${brokers[0]}: starting one with scripts/kafka.sh (the first start downloads Kafka jars through Maven)`);
  await kafkaScript(repoDir, 'start', port, onLine);
  if (!(await brokerAnswers(brokers, 30_000))) throw new KafkaError(`scripts/kafka.sh started a broker but ${brokers[0]} does not answer`, { details: { brokers } });
  await warmUp(brokers);
  return { brokers: [...brokers], started: true, stop: () => kafkaScript(repoDir, 'stop', port, onLine) };
}

/**
 * A fresh broker answers metadata before its group coordinator and producer-id manager are
 * ready; touching both once keeps kafkajs' "coordinator is loading" errors out of the demo.
 */
async function warmUp(brokers: readonly string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'driftwatch-demo-warmup', brokers: [...brokers], logLevel: logLevel.NOTHING, retry: { retries: 15 } });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  try {
    await admin.connect();
    await admin.describeGroups(['driftwatch-demo-warmup']);
    await producer.connect();
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
