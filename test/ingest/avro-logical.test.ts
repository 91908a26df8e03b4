import { describe, expect, it } from 'vitest';
import { decimalToNumber, decodeUnscaled, encodeDecimal } from '../../src/ingest/avro-logical.js';

describe('decimal two’s complement', () => {
  it.each([0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 32767n, -32768n, 2n ** 47n - 1n, -(2n ** 47n), 2n ** 70n + 5n, -(2n ** 70n) - 5n])(
    'round-trips %s',
    (n) => {
      const bytes = encodeDecimal(n);
      expect(decodeUnscaled(bytes)).toBe(n);
    },
  );

  it('uses the minimal length and sign-extends for fixed', () => {
    expect([...encodeDecimal(127n)]).toEqual([0x7f]);
    expect([...encodeDecimal(128n)]).toEqual([0x00, 0x80]);
    expect([...encodeDecimal(-1n)]).toEqual([0xff]);
    expect([...encodeDecimal(-1n, 4)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect([...encodeDecimal(1n, 3)]).toEqual([0, 0, 1]);
    expect(() => encodeDecimal(2n ** 40n, 4)).toThrow(/does not fit in 4 bytes/);
  });

  it('scales to a number on both the short and the BigInt path', () => {
    expect(decimalToNumber(encodeDecimal(123456n), 2)).toBe(1234.56);
    expect(decimalToNumber(encodeDecimal(-5n), 1)).toBe(-0.5);
    expect(decimalToNumber(encodeDecimal(123456789012345n), 3)).toBe(123456789012.345);
    expect(decimalToNumber(Buffer.alloc(0), 2)).toBe(0);
  });
});
