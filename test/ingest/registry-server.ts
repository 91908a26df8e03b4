import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistry {
  readonly url: string;
  /** Requests per schema id. */
  readonly hits: Map<number, number>;
  close(): Promise<void>;
}

/** Answer `res` yourself, or return true to leave the request hanging; else the schema is served. */
export type Behaviour = (id: number, attempt: number, res: ServerResponse) => boolean | void;

/**
 * A real HTTP server on 127.0.0.1 speaking the Confluent `GET /schemas/ids/{id}` API.
 * `schemas` answers 200; `behaviour` can override per request (500s, delays, junk).
 */
export async function startRegistry(schemas: ReadonlyMap<number, string>, behaviour?: Behaviour): Promise<FakeRegistry> {
  const hits = new Map<number, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    const id = Number(m[1]);
    const attempt = (hits.get(id) ?? 0) + 1;
    hits.set(id, attempt);
    if (behaviour) {
      if (behaviour(id, attempt, res) === true || res.headersSent || res.writableEnded) return;
    }
    const schema = schemas.get(id);
    if (schema === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify({ schema }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
