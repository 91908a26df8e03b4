import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaRegistryError } from '../../src/errors.js';
import { ChainedSchemaResolver, HttpSchemaRegistry, LocalSchemaResolver, reasonClassOf, redactUrl } from '../../src/ingest/schema-registry.js';
import { AVRO_V1, AVRO_V2 } from './fixtures.js';
import { startRegistry, type FakeRegistry } from './registry-server.js';

const V2 = readFileSync(AVRO_V2, 'utf8');
let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const fast = { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 500 };

describe('HTTP schema registry client', () => {
  it('fetches a schema by id and caches it (one request for many lookups)', async () => {
    registry = await startRegistry(new Map([[7, V2]]));
    const client = new HttpSchemaRegistry({ url: `${registry.url}/`, ...fast });
    const results = await Promise.all([client.resolve(7), client.resolve(7), client.resolve(7)]);
    expect(results).toEqual([V2, V2, V2]);
    expect(await client.resolve(7)).toBe(V2);
    expect(registry.hits.get(7)).toBe(1);
  });

  it('retries 500s with backoff and succeeds within the budget', async () => {
    registry = await startRegistry(new Map([[7, V2]]), (_id, attempt, res) => {
      if (attempt <= 2) res.writeHead(500).end('boom');
    });
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 3, ...fast });
    expect(await client.resolve(7)).toBe(V2);
    expect(registry.hits.get(7)).toBe(3);
  });

  it('gives up after the retry budget with a reason naming the id and the registry URL', async () => {
    registry = await startRegistry(new Map([[7, V2]]), (_id, _attempt, res) => {
      res.writeHead(503).end();
    });
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 2, ...fast });
    const err = await client.resolve(7).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect((err as Error).message).toBe(`schema id 7 could not be fetched from schema registry ${registry.url} after 3 attempts: HTTP 503`);
    expect(reasonClassOf(err)).toBe('registry-unavailable');
    expect((err as SchemaRegistryError).code).toBe('DW_SCHEMA_REGISTRY');
    expect(registry.hits.get(7)).toBe(3);
  });

  it('remembers a failure for failureTtlMs, then asks again', async () => {
    let fail = true;
    registry = await startRegistry(new Map([[7, V2]]), (_id, _a, res) => {
      if (fail) res.writeHead(500).end();
    });
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 0, failureTtlMs: 150, ...fast });
    await expect(client.resolve(7)).rejects.toThrow(/HTTP 500/);
    await expect(client.resolve(7)).rejects.toThrow(/HTTP 500/);
    expect(registry.hits.get(7)).toBe(1);
    fail = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(await client.resolve(7)).toBe(V2);
    expect(registry.hits.get(7)).toBe(2);
  });

  it('does not retry a 404', async () => {
    registry = await startRegistry(new Map());
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 3, ...fast });
    const err = await client.resolve(99).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`schema id 99 not found in schema registry ${registry.url}`);
    expect(reasonClassOf(err)).toBe('schema-unknown');
    expect(registry.hits.get(99)).toBe(1);
  });

  it('times out a hanging registry and counts it against the budget', async () => {
    registry = await startRegistry(new Map([[7, V2]]), () => true);
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 1, backoffMs: 5, timeoutMs: 100 });
    const t0 = Date.now();
    await expect(client.resolve(7)).rejects.toThrow(/after 2 attempts: timed out after 100 ms/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it.each([
    ['not JSON', 'nope', /response is not JSON/],
    ['no schema field', '{"id":7}', /response has no "schema" string/],
    ['a protobuf schema', '{"schema":"syntax = \\"proto3\\";","schemaType":"PROTOBUF"}', /schemaType PROTOBUF is not AVRO/],
  ])('reports a response that is %s as schema-invalid', async (_l, body, pattern) => {
    registry = await startRegistry(new Map(), (_id, _a, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const client = new HttpSchemaRegistry({ url: registry.url, ...fast });
    const err = await client.resolve(1).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(pattern);
    expect(reasonClassOf(err)).toBe('schema-invalid');
  });

  it('reports connection refused as unavailable after retries', async () => {
    const tmp = await startRegistry(new Map());
    const url = tmp.url;
    await tmp.close();
    const client = new HttpSchemaRegistry({ url, retries: 1, ...fast });
    await expect(client.resolve(1)).rejects.toThrow(new RegExp(`from schema registry ${url} after 2 attempts`));
  });

  it('keeps credentials out of its name', () => {
    expect(redactUrl('https://user:secret@registry.example:8081/')).toBe('https://***@registry.example:8081');
    expect(new HttpSchemaRegistry({ url: 'http://u:p@h:1' }).source).not.toContain('p@');
  });
});

describe('local and chained resolvers', () => {
  it('reads ids from local .avsc files', async () => {
    const local = new LocalSchemaResolver({ '1': AVRO_V1, '2': AVRO_V2 });
    expect(await local.resolve(2)).toBe(V2);
    const err = await local.resolve(3).catch((e: unknown) => e);
    expect(reasonClassOf(err)).toBe('schema-unknown');
    const missingFile = new LocalSchemaResolver({ '4': '/nonexistent/x.avsc' });
    await expect(missingFile.resolve(4)).rejects.toThrow(/cannot read \/nonexistent\/x\.avsc/);
  });

  it('falls through to the next source only for unknown ids', async () => {
    registry = await startRegistry(new Map([[5, V2]]));
    const chain = new ChainedSchemaResolver([new LocalSchemaResolver({ '1': AVRO_V1 }), new HttpSchemaRegistry({ url: registry.url, ...fast })]);
    expect(await chain.resolve(1)).toBe(readFileSync(AVRO_V1, 'utf8'));
    expect(await chain.resolve(5)).toBe(V2);
    await expect(chain.resolve(6)).rejects.toThrow(/schema id 6 not found in schema registry/);
    expect(registry.hits.get(1)).toBeUndefined();
  });
});
