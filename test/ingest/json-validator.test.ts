import { describe, expect, it } from 'vitest';
import { InputError, InputNotFoundError } from '../../src/errors.js';
import { createJsonValidator, loadJsonSchemaFile } from '../../src/ingest/json-validator.js';
import { JSON_SCHEMA, transaction, without } from './fixtures.js';

const schema = loadJsonSchemaFile(JSON_SCHEMA);

describe('JSON Schema validation (draft 2020-12)', () => {
  const validate = createJsonValidator(schema, { name: 'transactions.schema.json' });

  it('accepts a valid transaction, with epoch-ms or ISO event time, and a null device score', () => {
    expect(validate(transaction())).toBeNull();
    expect(validate(transaction({ event_time: '2026-11-23T13:45:00.000Z', device_score: 0.7 }))).toBeNull();
  });

  it.each([
    ['wrong type', { amount: '12.50' }, 'type', '/amount must be number (got "12.50")'],
    ['negative amount', { amount: -1 }, 'range', '/amount must be >= 0 (got -1)'],
    ['integer expected', { customer_age: 41.5 }, 'type', '/customer_age must be integer (got 41.5)'],
    ['hour out of range', { hour_of_day: 24 }, 'range', '/hour_of_day must be <= 23 (got 24)'],
    ['device score above 1', { device_score: 1.5 }, 'range', '/device_score must be <= 1 (got 1.5)'],
    ['unknown channel', { channel: 'fax' }, 'enum', '/channel must be one of "online", "pos", "atm", "mobile" (got "fax")'],
    ['bad country code', { country: 'Germany' }, 'pattern', '/country must match pattern ^[A-Z]{2}$ (got "Germany")'],
    ['bad date-time', { event_time: '23/11/2026' }, 'format', '/event_time must match format "date-time" (got "23/11/2026")'],
    ['boolean as string', { card_present: 'yes' }, 'type', '/card_present must be boolean (got "yes")'],
    ['object where a string goes', { customer_id: { id: 1 } }, 'type', '/customer_id must be string (got object)'],
  ])('rejects %s with a reason naming the field', (_label, overrides, reasonClass, reason) => {
    expect(validate(transaction(overrides))).toEqual({ ok: false, stage: 'validate', reasonClass, reason });
  });

  it('names a missing required field', () => {
    expect(validate(without(transaction(), 'merchant_category'))).toEqual({
      ok: false,
      stage: 'validate',
      reasonClass: 'required',
      reason: '/merchant_category is required',
    });
  });

  it('shortens huge values in reasons', () => {
    const r = validate(transaction({ amount: 'x'.repeat(100_000) }));
    expect(r?.reason.length).toBeLessThan(120);
  });
});

describe('extra-fields policy', () => {
  const extra = () => transaction({ loyalty_tier: 'gold', nested: { a: 1 } });

  it('keeps the schema as written when no policy is set (extra fields allowed by default)', () => {
    const record = extra();
    expect(createJsonValidator(schema)(record)).toBeNull();
    expect(record.loyalty_tier).toBe('gold');
  });

  it('allow: keeps extra fields even if the schema forbids them', () => {
    const strict = { ...schema, additionalProperties: false };
    const record = extra();
    expect(createJsonValidator(strict, { extraFields: 'allow' })(record)).toBeNull();
    expect(record).toEqual(extra());
  });

  it('reject: names the first extra field', () => {
    expect(createJsonValidator(schema, { extraFields: 'reject' })(extra())).toEqual({
      ok: false,
      stage: 'validate',
      reasonClass: 'extra-field',
      reason: '/loyalty_tier is not allowed (extra field)',
    });
  });

  it('strip: removes extra fields in place and accepts the record', () => {
    const record = extra();
    expect(createJsonValidator(schema, { extraFields: 'strip' })(record)).toBeNull();
    expect(record).toEqual(transaction());
  });

  it('strip still rejects records that are invalid for other reasons', () => {
    const r = createJsonValidator(schema, { extraFields: 'strip' })({ ...extra(), amount: null });
    expect(r).toMatchObject({ ok: false, reasonClass: 'type', reason: '/amount must be number (got null)' });
  });
});

describe('schema files', () => {
  it('names the file when it is missing, not JSON, or not a schema', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    expect(() => loadJsonSchemaFile('/nonexistent/s.json')).toThrow(InputNotFoundError);
    const dir = mkdtempSync(join(tmpdir(), 'dw-schema-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"type": ');
    expect(() => loadJsonSchemaFile(bad)).toThrow(new RegExp(`JSON Schema file ${bad} is not valid JSON`));
    expect(() => createJsonValidator({ type: 'object', properties: { a: { type: 'nonsense' } } }, { name: 'x.json' })).toThrow(InputError);
    expect(() => createJsonValidator({ type: 'object', properties: { a: { type: 'nonsense' } } }, { name: 'x.json' })).toThrow(/cannot compile x\.json/);
  });
});
