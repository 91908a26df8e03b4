/** Raw little-endian float64 codec for stored baseline values (see FORMAT.md). */
import { endianness } from 'node:os';

const littleEndianHost = endianness() === 'LE';

/** The bytes of `values` as little-endian float64 (a view when the host is LE). */
export function float64LeBytes(values: Float64Array): Uint8Array {
  if (littleEndianHost) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
  return out;
}

/** Decodes little-endian float64 bytes; byteLength must be a multiple of 8. */
export function float64FromLeBytes(bytes: Uint8Array): Float64Array {
  const n = bytes.byteLength / 8;
  if (littleEndianHost && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Float64Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
