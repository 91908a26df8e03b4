// Readiness probe for scripts/kafka.sh: exits 0 when the broker at argv[2] (host:port)
// answers a metadata request through kafkajs — a TCP connect alone is not enough,
// the socket accepts before the broker can serve requests.
import { Kafka, logLevel } from 'kafkajs';

const broker = process.argv[2] ?? '127.0.0.1:9092';
const kafka = new Kafka({
  clientId: 'driftwatch-kafka-probe',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
});
const admin = kafka.admin();
try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  console.log(`broker ${broker} answered: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`);
  process.exitCode = 0;
} catch (err) {
  console.error(`broker ${broker} did not answer: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
