import { Kafka, logLevel } from 'kafkajs';

/**
 * True when a broker answers a metadata request within about `timeoutMs`. A TCP connect is
 * not enough: the socket accepts before the broker can serve requests.
 */
export async function brokerAnswers(brokers: readonly string[], timeoutMs: number, clientId = 'driftwatch-probe'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new Kafka({
      clientId,
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
