import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadAvroSchemaFile } from '../../src/ingest/avro-codec.js';
import { frameConfluent } from '../../src/ingest/confluent-codec.js';
import { createStreamProcessor, type ProcessResult } from '../../src/ingest/stream.js';
import { AVRO_V1, AVRO_V2, EVENT_TIME, ROOT, jsonBytes, message, pseudoRandomBytes, transaction, without } from './fixtures.js';

const v1 = loadAvroSchemaFile(AVRO_V1);
const v2 = loadAvroSchemaFile(AVRO_V2);

const json = createStreamProcessor(
  { name: 'payments', topic: 'tx-json', codec: 'json', schema: 'schemas/transactions.schema.json', eventTimeField: 'event_time', extraFields: 'reject' },
  ROOT,
);
const avro = createStreamProcessor(
  { name: 'payments-avro', topic: 'tx-avro', codec: 'avro', schema: 'schemas/transactions.avsc', eventTimeField: 'event_time' },
  ROOT,
);

function failed(r: ProcessResult): { stage: string; reasonClass: string } {
  expect(r.ok).toBe(false);
  return r.ok ? { stage: '', reasonClass: '' } : { stage: r.stage, reasonClass: r.reasonClass };
}

describe('stream processor', () => {
  it('turns a valid JSON message into an IngestedEvent', () => {
    const r = json.process(message(jsonBytes(transaction()), '41', { key: Buffer.from('c42') }), 2);
    expect(r).toEqual({
      ok: true,
      event: {
        stream: 'payments',
        topic: 'tx-json',
        partition: 2,
        offset: '41',
        eventTime: EVENT_TIME,
        kafkaTimestamp: EVENT_TIME + 5,
        key: 'c42',
        fields: transaction(),
      },
    });
    expect(json.dlqTopic).toBe('tx-json.dlq');
  });

  it('uses an ISO event time from the payload', () => {
    const r = json.process(message(jsonBytes(transaction({ event_time: '2026-11-23T13:45:00Z' }))), 0);
    expect(r.ok && r.event.eventTime).toBe(EVENT_TIME);
  });

  it('falls back to the Kafka timestamp without an event-time field, and rejects a missing one', () => {
    const p = createStreamProcessor({ name: 's', topic: 't', codec: 'json' });
    const r = p.process(message(jsonBytes({ a: 1 }), '0', { timestamp: '1700000000000' }), 0);
    expect(r.ok && r.event.eventTime).toBe(1_700_000_000_000);
    expect(p.process(message(jsonBytes({ a: 1 }), '0', { timestamp: '-1' }), 0)).toEqual({
      ok: false,
      stage: 'validate',
      reasonClass: 'event-time',
      reason: 'Kafka message timestamp -1 is not usable and no event-time field is configured',
    });
  });

  it('rejects every bad input class without throwing', () => {
    const cases: Array<[string, Buffer | null, string, string]> = [
      ['null value', null, 'decode', 'empty'],
      ['zero-length value', Buffer.alloc(0), 'decode', 'empty'],
      ['random bytes', pseudoRandomBytes(200, 3), 'decode', 'invalid-utf8'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'decode', 'invalid-utf8'],
      ['not JSON', Buffer.from('amount=12'), 'decode', 'json-syntax'],
      ['wrong type', jsonBytes(transaction({ customer_age: 'forty' })), 'validate', 'type'],
      ['missing required field', jsonBytes(without(transaction(), 'country')), 'validate', 'required'],
      ['extra field', jsonBytes(transaction({ surprise: true })), 'validate', 'extra-field'],
      ['missing event time', jsonBytes(without(transaction(), 'event_time')), 'validate', 'required'],
      ['5 MB of junk', Buffer.alloc(5 * 1024 * 1024, 0x5b), 'decode', 'json-syntax'],
    ];
    for (const [label, bytes, stage, reasonClass] of cases) {
      expect(failed(json.process(message(bytes), 0)), label).toEqual({ stage, reasonClass });
    }
  });

  it('accepts a valid 5 MB JSON message when extra fields are allowed', () => {
    const p = createStreamProcessor(
      { name: 's', topic: 't', codec: 'json', schema: 'schemas/transactions.schema.json', eventTimeField: 'event_time', extraFields: 'allow' },
      ROOT,
    );
    const r = p.process(message(jsonBytes(transaction({ blob: 'z'.repeat(5 * 1024 * 1024) }))), 0);
    expect(r.ok).toBe(true);
  });

  it('rejects Avro bad input classes without throwing', () => {
    const good = v2.toBuffer(transaction());
    const cases: Array<[string, Buffer | null, string]> = [
      ['null value', null, 'empty'],
      ['truncated', good.subarray(0, good.length - 4), 'avro-truncated'],
      ['trailing bytes', Buffer.concat([good, Buffer.from([0])]), 'avro-trailing'],
      ['JSON sent to an Avro topic', jsonBytes(transaction()), 'avro-truncated'],
    ];
    for (const [label, bytes, reasonClass] of cases) {
      const r = avro.process(message(bytes), 0);
      expect(r.ok ? 'ok' : r.reasonClass, label).toBe(reasonClass);
    }
    for (let seed = 1; seed <= 300; seed++) avro.process(message(pseudoRandomBytes(seed, seed)), 0);
  });

  it('resolves v1-written Avro with the v2 reader schema', () => {
    const p = createStreamProcessor(
      { name: 's', topic: 't', codec: 'avro', schema: 'schemas/transactions.v1.avsc', readerSchema: 'schemas/transactions.avsc', eventTimeField: 'event_time' },
      ROOT,
    );
    const r = p.process(message(v1.toBuffer({ ...without(transaction(), 'device_score'), legacy_terminal_id: 'x' })), 0);
    expect(r.ok && r.event.fields).toEqual(transaction());
  });

  it('decodes confluent-avro through a local id map with a reader schema', async () => {
    const p = createStreamProcessor(
      {
        name: 's',
        topic: 't',
        codec: 'confluent-avro',
        schemaIds: { '10': 'schemas/transactions.v1.avsc', '11': 'schemas/transactions.avsc' },
        readerSchema: 'schemas/transactions.avsc',
        eventTimeField: 'event_time',
      },
      ROOT,
    );
    const a = frameConfluent(10, v1.toBuffer({ ...without(transaction(), 'device_score'), legacy_terminal_id: null }));
    const b = frameConfluent(11, v2.toBuffer(transaction({ device_score: 0.9 })));
    await p.prepare([a, b, null]);
    const ra = p.process(message(a), 0);
    const rb = p.process(message(b), 0);
    expect(ra.ok && ra.event.fields).toEqual(transaction());
    expect(rb.ok && rb.event.fields).toEqual(transaction({ device_score: 0.9 }));
  });

  it('names the stream in configuration errors', () => {
    expect(() => createStreamProcessor({ name: 'pay', topic: 'tx', codec: 'avro' })).toThrow(ConfigError);
    expect(() => createStreamProcessor({ name: 'pay', topic: 'tx', codec: 'avro' })).toThrow(/stream "pay" \(topic tx\): codec avro needs "schema"/);
    expect(() => createStreamProcessor({ name: 'pay', topic: 'tx', codec: 'confluent-avro' })).toThrow(/needs "registry" or "schemaIds"/);
    expect(() => createStreamProcessor({ name: 'pay', topic: 'tx', codec: 'json', schema: 'missing.json' }, ROOT)).toThrow(
      /stream "pay" \(topic tx\): cannot read JSON Schema file .*missing\.json/,
    );
    expect(() => createStreamProcessor({ name: 'pay', topic: 'tx', codec: 'xml' as never })).toThrow(/unknown codec xml/);
  });
});
