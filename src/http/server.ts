/**
 * The operations endpoint: /metrics (Prometheus), /healthz (the process is alive), /readyz
 * (every readiness check passes; 503 with a JSON body naming what failed otherwise).
 * Plain node:http: three routes do not need a framework.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../errors.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  /** Default 0.0.0.0 (scraped from other hosts); tests use 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger?: { warn(obj: object, msg?: string): void };
}

export interface OpsServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger?.warn({ err: errorMessage(err), url: req.url }, 'ops endpoint failed');
      if (!res.headersSent) send(res, 500, JSON_TYPE, JSON.stringify({ error: errorMessage(err) }));
      else res.end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, JSON_TYPE, JSON.stringify({ error: `method ${req.method ?? '?'} not allowed` }));
      return;
    }
    switch (path) {
      case '/metrics':
        send(res, 200, options.metrics.contentType, await options.metrics.render());
        return;
      case '/healthz':
        send(res, 200, JSON_TYPE, JSON.stringify({ status: 'alive', uptime_seconds: Math.round((Date.now() - started) / 1000) }));
        return;
      case '/readyz': {
        const report = await options.readiness.evaluate();
        const body = { status: report.ready ? 'ready' : 'not_ready', failed: report.failed, checks: report.checks };
        send(res, report.ready ? 200 : 503, JSON_TYPE, JSON.stringify(body));
        return;
      }
      default:
        send(res, 404, JSON_TYPE, JSON.stringify({ error: 'not found', endpoints: ['/metrics', '/healthz', '/readyz'] }));
    }
  };

  // Probes must not keep a stopping process alive.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
