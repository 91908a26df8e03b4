/**
 * vitest globalSetup for the `integration` project: makes sure a real Kafka broker answers
 * and tells the tests where it is.
 *
 * - `DW_TEST_BROKERS=host:port[,host:port]` set: that broker must answer, else setup fails.
 * - otherwise `127.0.0.1:${DW_TEST_KAFKA_PORT ?? 19092}`: reused when something answers there,
 *   else started with `scripts/kafka.sh start` in a wiped `<repo>/.kafka/test-<port>`.
 *
 * Several engineers run the integration suite in the same checkout at once, so a broker started
 * here is shared: each run holds a lease file while it runs, and the last run to finish stops
 * the broker (a run that merely reused it must not pull it from under the others).
 *
 * Tests get the address through vitest's provide/inject (`kafkaBrokers`) and, for child
 * processes they spawn, the `DW_TEST_BROKERS` env var (workers fork after global setup).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { brokerAnswers } from '../../src/kafka/probe.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap brokers of the test Kafka cluster, e.g. ["127.0.0.1:19092"]. */
    kafkaBrokers: string[];
  }
}

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repoDir, 'scripts', 'kafka.sh');

/**
 * A fresh broker answers metadata before its group coordinator and producer-id manager are
 * ready; kafkajs retries through that but logs each "coordinator is loading" reply as an
 * ERROR. Touching both once here keeps that noise (and delay) out of the first test.
 */
async function warmUp(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'driftwatch-test-warmup', brokers, logLevel: logLevel.NOTHING, retry: { retries: 15 } });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  try {
    await admin.connect();
    await admin.describeGroups(['driftwatch-test-warmup']);
    await producer.connect();
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

interface ScriptResult {
  code: number;
  output: string;
}

function runScript(command: 'start' | 'stop' | 'status', env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((done) => {
    execFile('bash', [script, command], { env, timeout: 300_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      done({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** Lease files (one per vitest process using the shared test broker) and a mkdir lock. */
class Leases {
  readonly dir: string;
  private readonly lockDir: string;
  constructor(kafkaDir: string) {
    this.dir = `${kafkaDir}.leases`;
    this.lockDir = `${kafkaDir}.lock`;
  }

  /** Waits (without blocking the event loop) for the lock. */
  async lock(): Promise<void> {
    const deadline = Date.now() + 300_000;
    while (!this.tryLock(deadline)) await new Promise((r) => setTimeout(r, 200));
  }

  /** Same, blocking: teardown must finish even when vitest calls process.exit() meanwhile. */
  lockSync(): void {
    const deadline = Date.now() + 300_000;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!this.tryLock(deadline)) Atomics.wait(nap, 0, 0, 200);
  }

  private tryLock(deadline: number): boolean {
    mkdirSync(dirname(this.lockDir), { recursive: true });
    try {
      mkdirSync(this.lockDir);
      writeFileSync(join(this.lockDir, 'pid'), String(process.pid));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A holder that died keeps the dir; its pid tells us it is safe to break the lock.
      const holder = Number(readFileOr(join(this.lockDir, 'pid'), '0'));
      if (holder > 0 && !alive(holder)) rmSync(this.lockDir, { recursive: true, force: true });
      if (Date.now() >= deadline) throw new Error(`test Kafka lock ${this.lockDir} held by pid ${holder} for 5 min`);
      return false;
    }
  }

  unlock(): void {
    rmSync(this.lockDir, { recursive: true, force: true });
  }

  add(): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, String(process.pid)), '');
  }

  /** Drops our lease and the leases of dead processes; returns how many live ones remain. */
  release(): number {
    if (!existsSync(this.dir)) return 0;
    let live = 0;
    for (const name of readdirSync(this.dir)) {
      const pid = Number(name);
      if (pid === process.pid || !alive(pid)) unlinkSync(join(this.dir, name));
      else live++;
    }
    return live;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readFileOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function parseBrokers(text: string): string[] {
  const brokers = text.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const b of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw new Error(`DW_TEST_BROKERS: "${b}" is not host:port (got "${text}")`);
  }
  if (brokers.length === 0) throw new Error('DW_TEST_BROKERS is set but empty');
  return brokers;
}

function publish(project: TestProject, brokers: string[]): void {
  project.provide('kafkaBrokers', brokers);
  process.env.DW_TEST_BROKERS = brokers.join(',');
}

export default async function setup(project: TestProject): Promise<() => void> {
  const explicit = process.env.DW_TEST_BROKERS;
  if (explicit !== undefined && explicit.trim() !== '') {
    const brokers = parseBrokers(explicit);
    if (!(await brokerAnswers(brokers, 15_000))) {
      throw new Error(`DW_TEST_BROKERS=${explicit}: no Kafka broker answered within 15 s (unset it to start a local one)`);
    }
    publish(project, brokers);
    return () => undefined;
  }

  const port = Number(process.env.DW_TEST_KAFKA_PORT ?? 19092);
  if (!Number.isInteger(port) || port <= 0 || port >= 65535) {
    throw new Error(`DW_TEST_KAFKA_PORT must be a TCP port below 65535, got "${process.env.DW_TEST_KAFKA_PORT}"`);
  }
  const brokers = [`127.0.0.1:${port}`];
  const kafkaDir = join(repoDir, '.kafka', `test-${port}`);
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_DIR: kafkaDir };
  const leases = new Leases(kafkaDir);

  await leases.lock();
  try {
    if (!(await brokerAnswers(brokers, 1_000))) {
      // A broker of ours that is alive but mute is stopped before the wipe.
      if ((await runScript('status', env)).code === 0) await runScript('stop', env);
      rmSync(kafkaDir, { recursive: true, force: true });
      const started = await runScript('start', env);
      if (started.code !== 0) {
        throw new Error(`could not start the test Kafka broker (scripts/kafka.sh start, exit ${started.code}):\n${started.output}`);
      }
      if (!(await brokerAnswers(brokers, 30_000))) {
        throw new Error(`scripts/kafka.sh start succeeded but ${brokers[0]} does not answer:\n${started.output}`);
      }
      await warmUp(brokers);
    }
    leases.add();
  } finally {
    leases.unlock();
  }
  publish(project, brokers);

  // Last one out stops the broker, but only one that kafka.sh runs from our test dir (never
  // someone's own broker on that port). Synchronous on purpose: on Ctrl-C vitest runs this
  // teardown and calls process.exit() 1 ms later, which would cut an async stop short; the
  // exit hook covers a run that dies before teardown.
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    leases.lockSync();
    try {
      if (leases.release() > 0) return;
      const sh = (command: 'status' | 'stop') => spawnSync('bash', [script, command], { env, encoding: 'utf8', timeout: 60_000 });
      if (sh('status').status !== 0) return;
      const stopped = sh('stop');
      if (stopped.status !== 0) {
        throw new Error(`scripts/kafka.sh stop failed (exit ${stopped.status}):\n${stopped.stdout}${stopped.stderr}`);
      }
    } finally {
      leases.unlock();
      process.removeListener('exit', finish);
    }
  };
  process.once('exit', finish);
  return finish;
}
