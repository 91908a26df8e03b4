import { describe, expect, it } from 'vitest';
import { decode } from '../../src/ingest/codec.js';
import { createJsonCodec, decodeJson } from '../../src/ingest/json-codec.js';
import { jsonBytes, pseudoRandomBytes, transaction } from './fixtures.js';

describe('json codec', () => {
  const codec = createJsonCodec();

  it('decodes a UTF-8 JSON object, non-ASCII included', () => {
    const r = decode(jsonBytes(transaction({ merchant_category: 'café', customer_id: 'Ünïcødé 😀' })), codec);
    expect(r).toEqual({ ok: true, value: transaction({ merchant_category: 'café', customer_id: 'Ünïcødé 😀' }) });
  });

  it.each([
    ['null', null],
    ['zero bytes', Buffer.alloc(0)],
  ])('rejects an empty message (%s)', (_label, bytes) => {
    expect(decodeJson(bytes)).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'empty' });
  });

  it.each([
    ['lone continuation byte', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d])],
    ['overlong encoding of "/"', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])],
    ['UTF-16 surrogate encoded in UTF-8', Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])],
    ['Latin-1 text', Buffer.from('{"city":"Köln"}', 'latin1')],
    ['truncated multi-byte sequence', Buffer.from([0x7b, 0x22, 0xe2, 0x82, 0x22, 0x3a, 0x31, 0x7d])],
  ])('rejects invalid UTF-8 (%s) instead of replacing it with U+FFFD', (_label, bytes) => {
    expect(decodeJson(bytes)).toEqual({
      ok: false,
      stage: 'decode',
      reasonClass: 'invalid-utf8',
      reason: 'message value is not valid UTF-8',
    });
  });

  it('rejects malformed JSON with the parser message', () => {
    const r = decodeJson(Buffer.from('{"amount": 12,'));
    expect(r).toMatchObject({ ok: false, stage: 'decode', reasonClass: 'json-syntax' });
    if (!r.ok) expect(r.reason).toMatch(/^invalid JSON: /);
  });

  it.each([
    ['array', '[1,2]', 'an array'],
    ['string', '"x"', 'a string'],
    ['number', '42', 'a number'],
    ['null', 'null', 'null'],
    ['boolean', 'true', 'a boolean'],
  ])('requires an object, not a %s', (_label, text, got) => {
    expect(decodeJson(Buffer.from(text))).toEqual({
      ok: false,
      stage: 'decode',
      reasonClass: 'not-object',
      reason: `JSON value must be an object, got ${got}`,
    });
  });

  it('survives random bytes without throwing', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = decodeJson(pseudoRandomBytes(1 + (seed % 64), seed));
      expect(r.ok).toBe(false);
    }
  });

  it('decodes a 5 MB message', () => {
    const big = transaction({ notes: 'x'.repeat(5 * 1024 * 1024) });
    const bytes = jsonBytes(big);
    expect(bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    const r = decodeJson(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.value.notes as string).length).toBe(5 * 1024 * 1024);
  });

  it('rejects a 5 MB message that is not JSON with a bounded reason', () => {
    const r = decodeJson(Buffer.alloc(5 * 1024 * 1024, 0x41));
    expect(r).toMatchObject({ ok: false, reasonClass: 'json-syntax' });
  });
});
