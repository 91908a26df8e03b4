import { describe, expect, it } from 'vitest';
import { InputError, InputNotFoundError } from '../../src/errors.js';
import { avroTypeFromSchema, createAvroCodec, loadAvroSchemaFile, parseAvroSchema } from '../../src/ingest/avro-codec.js';
import { decode } from '../../src/ingest/codec.js';
import { AVRO_V1, AVRO_V2, EVENT_TIME, pseudoRandomBytes, transaction, without } from './fixtures.js';

const v1 = loadAvroSchemaFile(AVRO_V1);
const v2 = loadAvroSchemaFile(AVRO_V2);

describe('avro codec (raw binary)', () => {
  const codec = createAvroCodec({ writer: v2, name: 'transactions.avsc' });

  it('decodes a record into a plain object with epoch-ms timestamps', () => {
    const tx = transaction({ device_score: 0.25, channel: 'mobile' });
    const r = decode(v2.toBuffer(tx), codec);
    expect(r).toEqual({ ok: true, value: tx });
    if (r.ok) {
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(typeof r.value.event_time).toBe('number');
    }
  });

  it('accepts a Date for timestamp-millis when encoding and reads epoch ms back', () => {
    const r = decode(v2.toBuffer(transaction({ event_time: new Date(EVENT_TIME) })), codec);
    expect(r.ok && r.value.event_time).toBe(EVENT_TIME);
  });

  it('resolves an older writer schema (v1) to the reader (v2)', () => {
    const evolved = createAvroCodec({ writer: v1, reader: v2, name: 'transactions.v1.avsc' });
    const old = { ...without(transaction(), 'device_score'), legacy_terminal_id: 'T-9' };
    const r = decode(v1.toBuffer(old), evolved);
    // The field v2 added gets its default; the field v2 dropped is skipped.
    expect(r).toEqual({ ok: true, value: transaction({ device_score: null }) });
  });

  it('refuses a reader that cannot read the writer, naming the schema', () => {
    const incompatible = avroTypeFromSchema({ type: 'record', name: 'Transaction', namespace: 'dev.driftwatch.demo', fields: [{ name: 'brand_new', type: 'string' }] }, 'inline');
    expect(() => createAvroCodec({ writer: v2, reader: incompatible, name: 'transactions.avsc' })).toThrow(InputError);
    expect(() => createAvroCodec({ writer: v2, reader: incompatible, name: 'transactions.avsc' })).toThrow(/transactions\.avsc cannot be read with the reader schema/);
  });

  it('reports every truncation of a valid record as avro-truncated', () => {
    const full = v2.toBuffer(transaction({ device_score: 0.5 }));
    for (let len = 1; len < full.length; len++) {
      const r = decode(full.subarray(0, len), codec);
      expect(r.ok, `prefix of ${len} bytes`).toBe(false);
      if (!r.ok) expect(['avro-truncated', 'avro-invalid']).toContain(r.reasonClass);
    }
    const r = decode(full.subarray(0, full.length - 3), codec);
    expect(r).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'avro-truncated' });
    if (!r.ok) expect(r.reason).toContain('transactions.avsc');
  });

  it('reports trailing bytes', () => {
    const bytes = Buffer.concat([v2.toBuffer(transaction()), Buffer.from([1, 2, 3])]);
    expect(decode(bytes, codec)).toEqual({
      ok: false,
      stage: 'decode',
      reasonClass: 'avro-trailing',
      reason: '3 trailing bytes after the Avro record for transactions.avsc',
    });
  });

  it.each([
    ['null', null],
    ['zero bytes', Buffer.alloc(0)],
  ])('rejects an empty message (%s)', (_l, bytes) => {
    expect(decode(bytes, codec)).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'empty' });
  });

  it('never throws on random bytes (1000 seeds)', () => {
    let failures = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const r = decode(pseudoRandomBytes(1 + (seed % 300), seed), codec);
      if (!r.ok) {
        failures++;
        expect(r.stage === 'decode' || r.stage === 'validate').toBe(true);
      } else {
        expect(Object.keys(r.value)).toEqual(Object.keys(transaction()));
      }
    }
    expect(failures).toBeGreaterThan(950);
  });

  it('rejects an invalid enum index (wrong type on the wire)', () => {
    // A v2 record whose channel index is 9: patch the byte after the strings.
    const good = v2.toBuffer(transaction({ channel: 'online' }));
    const idx = good.indexOf(Buffer.from('DE')) + 2; // channel follows country
    expect(good[idx]).toBe(0); // zig-zag 0 = "online"
    const bad = Buffer.from(good);
    bad[idx] = 18; // zig-zag 9
    const r = decode(bad, codec);
    expect(r).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'avro-invalid' });
    if (!r.ok) expect(r.reason).toMatch(/enum index/);
  });

  it('rejects 5 MB of random bytes quickly and decodes a 5 MB string field', () => {
    const t0 = Date.now();
    expect(decode(pseudoRandomBytes(5 * 1024 * 1024, 7), codec).ok).toBe(false);
    const notes = avroTypeFromSchema({ type: 'record', name: 'N', fields: [{ name: 'notes', type: 'string' }] }, 'inline');
    const big = 'n'.repeat(5 * 1024 * 1024);
    const r = decode(notes.toBuffer({ notes: big }), createAvroCodec({ writer: notes }));
    expect(r.ok && (r.value.notes as string).length).toBe(big.length);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('avro logical types and plain values', () => {
  const schema = {
    type: 'record',
    name: 'L',
    fields: [
      { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      { name: 'fixed_price', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 4 } },
      { name: 'big', type: { type: 'bytes', logicalType: 'decimal', precision: 30, scale: 3 } },
      { name: 'at_micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'maybe_price', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 1 }], default: null },
      { name: 'raw', type: 'bytes' },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'when', type: { type: 'array', items: { type: 'long', logicalType: 'timestamp-millis' } } },
      { name: 'attrs', type: { type: 'map', values: 'long' } },
      {
        name: 'inner',
        type: { type: 'record', name: 'Inner', fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }] },
      },
    ],
  };
  const type = avroTypeFromSchema(schema, 'inline');
  const codec = createAvroCodec({ writer: type });
  const value = {
    price: 1234.56,
    fixed_price: -98765.4321,
    big: 123456789012.345,
    at_micros: EVENT_TIME * 1000 + 789,
    day: Math.floor(EVENT_TIME / 86_400_000),
    maybe_price: 12.5,
    raw: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
    tags: ['a', 'b'],
    when: [EVENT_TIME, new Date(EVENT_TIME + 1)],
    attrs: { x: 1 },
    inner: { at: EVENT_TIME },
  };

  it('converts decimal, timestamp-micros, date, bytes, arrays, maps and nested records', () => {
    const r = decode(type.toBuffer(value), codec);
    expect(r).toEqual({
      ok: true,
      value: {
        price: 1234.56,
        fixed_price: -98765.4321,
        big: 123456789012.345,
        at_micros: EVENT_TIME,
        day: Math.floor(EVENT_TIME / 86_400_000) * 86_400_000,
        maybe_price: 12.5,
        raw: '3q2+7w==',
        tags: ['a', 'b'],
        when: [EVENT_TIME, EVENT_TIME + 1],
        attrs: { x: 1 },
        inner: { at: EVENT_TIME },
      },
    });
    if (r.ok) expect(Object.getPrototypeOf(r.value.inner)).toBe(Object.prototype);
  });

  it('keeps null in a nullable decimal', () => {
    const r = decode(type.toBuffer({ ...value, maybe_price: null }), codec);
    expect(r.ok && r.value.maybe_price).toBeNull();
  });

  it('rejects an out-of-range timestamp with the field path', () => {
    const ts = avroTypeFromSchema(
      { type: 'record', name: 'T', fields: [{ name: 'inner', type: { type: 'record', name: 'I', fields: [{ name: 'at', type: 'long' }] } }] },
      'w',
    );
    const reader = avroTypeFromSchema(
      {
        type: 'record',
        name: 'T',
        fields: [{ name: 'inner', type: { type: 'record', name: 'I', fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }] } }],
      },
      'r',
    );
    const c = createAvroCodec({ writer: ts, reader });
    const r = decode(ts.toBuffer({ inner: { at: 9e15 } }), c);
    expect(r).toEqual({
      ok: false,
      stage: 'validate',
      reasonClass: 'logical-type',
      reason: '/inner/at timestamp-millis value out of the representable time range (got 9000000000000000)',
    });
  });

  it('resolves a timestamp-micros writer into a timestamp-millis reader', () => {
    const writer = avroTypeFromSchema({ type: 'record', name: 'E', fields: [{ name: 't', type: { type: 'long', logicalType: 'timestamp-micros' } }] }, 'w');
    const reader = avroTypeFromSchema({ type: 'record', name: 'E', fields: [{ name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } }] }, 'r');
    const r = decode(writer.toBuffer({ t: EVENT_TIME * 1000 + 999 }), createAvroCodec({ writer, reader }));
    expect(r).toEqual({ ok: true, value: { t: EVENT_TIME } });
  });

  it('refuses to read a decimal with another scale', () => {
    const writer = avroTypeFromSchema({ type: 'record', name: 'D', fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 3 } }] }, 'w');
    const reader = avroTypeFromSchema({ type: 'record', name: 'D', fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 2 } }] }, 'r');
    expect(() => createAvroCodec({ writer, reader, name: 'w.avsc' })).toThrow(/w\.avsc cannot be read/);
  });
});

describe('avro schema loading', () => {
  it('names the file when it is missing, not JSON, or not Avro', () => {
    expect(() => loadAvroSchemaFile('/nonexistent/x.avsc')).toThrow(InputNotFoundError);
    expect(() => loadAvroSchemaFile('/nonexistent/x.avsc')).toThrow(/\/nonexistent\/x\.avsc/);
    expect(() => parseAvroSchema('{nope', 'registry id 3')).toThrow(/Avro schema in registry id 3 is not JSON/);
    expect(() => parseAvroSchema('{"type":"record","name":"X","fields":[{"name":"a","type":"strin"}]}', 'y.avsc')).toThrow(
      /invalid Avro schema in y\.avsc/,
    );
  });

  it('keeps the demo schemas in step with the JSON Schema', async () => {
    const { readFileSync } = await import('node:fs');
    const { JSON_SCHEMA } = await import('./fixtures.js');
    const json = JSON.parse(readFileSync(JSON_SCHEMA, 'utf8')) as { properties: Record<string, unknown> };
    const avroFields = (JSON.parse(readFileSync(AVRO_V2, 'utf8')) as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
    expect(avroFields).toEqual(Object.keys(json.properties));
    expect(avroFields.length).toBeGreaterThanOrEqual(10);
  });
});
