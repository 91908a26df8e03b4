import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAvroSchemaFile, parseAvroSchema } from '../../src/ingest/avro-codec.js';
import { decode, decodeOne } from '../../src/ingest/codec.js';
import { confluentSchemaId, createConfluentAvroCodec, frameConfluent } from '../../src/ingest/confluent-codec.js';
import { HttpSchemaRegistry, LocalSchemaResolver } from '../../src/ingest/schema-registry.js';
import { AVRO_V1, AVRO_V2, pseudoRandomBytes, transaction, without } from './fixtures.js';
import { startRegistry, type FakeRegistry } from './registry-server.js';

const v1 = loadAvroSchemaFile(AVRO_V1);
const v2 = loadAvroSchemaFile(AVRO_V2);
const oldTx = { ...without(transaction(), 'device_score'), legacy_terminal_id: null };

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

describe('Confluent framing', () => {
  it('writes magic 0 and a big-endian id', () => {
    const framed = frameConfluent(0x01020304, Buffer.from([9, 9]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 9, 9]);
    expect(confluentSchemaId(framed)).toBe(0x01020304);
    expect(confluentSchemaId(Buffer.from([1, 0, 0, 0, 1]))).toBeUndefined();
    expect(confluentSchemaId(Buffer.from([0, 0, 0]))).toBeUndefined();
    expect(confluentSchemaId(null)).toBeUndefined();
  });
});

describe('confluent-avro codec', () => {
  const local = () => new LocalSchemaResolver({ '1': AVRO_V1, '2': AVRO_V2 });

  it('decodes messages of two writer versions into the reader schema', async () => {
    const codec = createConfluentAvroCodec({ resolver: local(), reader: v2 });
    const a = frameConfluent(1, v1.toBuffer(oldTx));
    const b = frameConfluent(2, v2.toBuffer(transaction({ device_score: 0.3, channel: 'mobile' })));
    await codec.prepare!([a, b]);
    expect(decode(a, codec)).toEqual({ ok: true, value: transaction({ device_score: null }) });
    expect(decode(b, codec)).toEqual({ ok: true, value: transaction({ device_score: 0.3, channel: 'mobile' }) });
  });

  it('reads with the writer schema when no reader schema is given', async () => {
    const codec = createConfluentAvroCodec({ resolver: local() });
    const r = await decodeOne(frameConfluent(1, v1.toBuffer({ ...oldTx, legacy_terminal_id: 'T1' })), codec);
    expect(r).toEqual({ ok: true, value: { ...oldTx, legacy_terminal_id: 'T1' } });
  });

  it.each([
    ['null', null, 'empty', 'message value is empty (null or zero bytes)'],
    ['zero bytes', Buffer.alloc(0), 'empty', 'message value is empty (null or zero bytes)'],
    ['too short', Buffer.from([0, 0, 1]), 'bad-framing', 'message of 3 bytes is shorter than the 5-byte Confluent header (magic byte + schema id)'],
    ['wrong magic byte', Buffer.from([0x7b, 0, 0, 0, 1, 2]), 'bad-framing', 'Confluent magic byte is 0x7b, expected 0x00'],
  ])('rejects %s as a decode error', async (_l, bytes, reasonClass, reason) => {
    const codec = createConfluentAvroCodec({ resolver: local(), reader: v2 });
    expect(await decodeOne(bytes, codec)).toEqual({ ok: false, stage: 'decode', reasonClass, reason });
  });

  it('reports an unknown id as a schema-registry failure naming it', async () => {
    const codec = createConfluentAvroCodec({ resolver: local(), reader: v2 });
    expect(await decodeOne(frameConfluent(77, v2.toBuffer(transaction())), codec)).toEqual({
      ok: false,
      stage: 'schema-registry',
      reasonClass: 'schema-unknown',
      reason: 'schema id 77 is not in the local schema map',
    });
  });

  it('reports a truncated body after a valid header', async () => {
    const codec = createConfluentAvroCodec({ resolver: local(), reader: v2 });
    const body = v2.toBuffer(transaction());
    const r = await decodeOne(frameConfluent(2, body.subarray(0, 10)), codec);
    expect(r).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'avro-truncated' });
    if (!r.ok) expect(r.reason).toContain('schema id 2');
  });

  it('never throws on random bytes behind a valid header or without one', async () => {
    const codec = createConfluentAvroCodec({ resolver: local(), reader: v2 });
    await codec.prepare!([frameConfluent(2, Buffer.alloc(0))]);
    for (let seed = 1; seed <= 300; seed++) {
      const noise = pseudoRandomBytes(1 + (seed % 120), seed);
      expect(decode(frameConfluent(2, noise), codec).ok).toBe(false);
      expect(decode(noise, codec).ok).toBe(false);
    }
  });

  it('reports a writer schema the reader cannot resolve as schema-invalid', async () => {
    const unrelated = JSON.stringify({ type: 'record', name: 'Transaction', namespace: 'dev.driftwatch.demo', fields: [{ name: 'only', type: 'int' }] });
    const codec = createConfluentAvroCodec({ resolver: { source: 'inline', resolve: async () => unrelated }, reader: v2 });
    const r = await decodeOne(frameConfluent(3, parseAvroSchema(unrelated, 'x').toBuffer({ only: 1 })), codec);
    expect(r).toMatchObject({ ok: false, stage: 'schema-registry', reasonClass: 'schema-invalid' });
    if (!r.ok) expect(r.reason).toMatch(/schema id 3 \(inline\) cannot be read with the reader schema/);
  });

  it('asks the registry once per id across batches, and retries failed ids in the next batch', async () => {
    let down = true;
    registry = await startRegistry(new Map([[2, readFileSync(AVRO_V2, 'utf8')]]), (_id, _a, res) => {
      if (down) res.writeHead(500).end();
    });
    const client = new HttpSchemaRegistry({ url: registry.url, retries: 1, backoffMs: 5, failureTtlMs: 0 });
    const codec = createConfluentAvroCodec({ resolver: client, reader: v2 });
    const msg = frameConfluent(2, v2.toBuffer(transaction()));

    await codec.prepare!([msg, msg, msg]);
    const failed = decode(msg, codec);
    expect(failed).toEqual({
      ok: false,
      stage: 'schema-registry',
      reasonClass: 'registry-unavailable',
      reason: `schema id 2 could not be fetched from schema registry ${registry.url} after 2 attempts: HTTP 500`,
    });
    expect(registry.hits.get(2)).toBe(2);

    down = false;
    await codec.prepare!([msg]);
    expect(decode(msg, codec).ok).toBe(true);
    await codec.prepare!([msg, msg]);
    expect(registry.hits.get(2)).toBe(3);
  });
});
