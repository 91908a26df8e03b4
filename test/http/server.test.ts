import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, createReadiness, startOpsServer } from '../../src/http/index.js';
import type { OpsServer } from '../../src/http/index.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness = createReadiness()) {
  const metrics = createMetrics({ defaultMetrics: true });
  server = await startOpsServer({ metrics, readiness, host: '127.0.0.1', port: 0 });
  return { metrics, readiness, url: server.url };
}

describe('ops HTTP server', () => {
  it('serves Prometheus metrics on /metrics', async () => {
    const { metrics, url } = await start();
    metrics.eventsConsumed('tx', 42);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toContain('driftwatch_events_consumed_total{stream="tx"} 42');
    expect(body).toContain('# TYPE driftwatch_window_close_latency_seconds histogram');
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('answers /healthz with 200 while alive, whatever readiness says', async () => {
    const readiness = createReadiness();
    readiness.declare('kafka');
    const { url } = await start(readiness);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'alive' });
  });

  it('answers /readyz 503 naming what failed, then 200 once all checks pass', async () => {
    const readiness = createReadiness({ timeoutMs: 200 });
    let duckdbOpen = false;
    readiness.declare('kafka', 'consumer not connected');
    readiness.register('duckdb', () => ({ ok: duckdbOpen, detail: duckdbOpen ? 'open' : 'store not opened' }));
    readiness.register('baseline', async () => true);
    const { url } = await start(readiness);

    let res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      failed: ['duckdb', 'kafka'],
      checks: [
        { name: 'baseline', ok: true },
        { name: 'duckdb', ok: false, detail: 'store not opened' },
        { name: 'kafka', ok: false, detail: 'consumer not connected' },
      ],
    });

    readiness.set('kafka', true, 'connected to 127.0.0.1:9092');
    duckdbOpen = true;
    res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; failed: string[] };
    expect(body.status).toBe('ready');
    expect(body.failed).toEqual([]);

    readiness.set('kafka', false, 'crashed; restarting');
    res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { failed: string[] }).failed).toEqual(['kafka']);
  });

  it('fails a check that throws or hangs, without hanging /readyz', async () => {
    const readiness = createReadiness({ timeoutMs: 100 });
    readiness.register('hangs', () => new Promise<boolean>(() => undefined));
    readiness.register('throws', () => {
      throw new Error('DuckDB file locked by pid 42');
    });
    const { url } = await start(readiness);
    const t0 = Date.now();
    const res = await fetch(`${url}/readyz`);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Array<{ name: string; detail?: string }> };
    expect(body.checks).toEqual([
      { name: 'hangs', ok: false, detail: 'no answer within 100 ms' },
      { name: 'throws', ok: false, detail: 'DuckDB file locked by pid 42' },
    ]);
  });

  it('returns 404 for unknown paths, 405 for other methods, and supports HEAD', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses a port already in use, and closes cleanly', async () => {
    const { metrics, readiness } = await start();
    const port = server!.port;
    await expect(startOpsServer({ metrics, readiness, host: '127.0.0.1', port })).rejects.toThrow(/EADDRINUSE/);
    await server!.close();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
