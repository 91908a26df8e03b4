/**
 * numpy.quantile(a, q) with the default method='linear' (Hyndman & Fan type 7) on an
 * ascending, NaN-free sample — reproduced bit for bit, because PSI bin edges decide which
 * bin a tied value falls in.
 */
import { InputError } from '../errors.js';

/**
 * Quantile q ∈ [0, 1] of an ascending sample. numpy computes the virtual index (n−1)·q, then
 * lerps between its neighbours a and b as a + (b−a)·γ, or b − (b−a)·(1−γ) when γ ≥ ½ (so the
 * result stays monotone and exact at the ends). Same operations here.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new InputError('quantile of an empty sample is undefined');
  if (!(q >= 0 && q <= 1)) throw new InputError(`quantile must be in [0, 1], got ${q}`);
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1]!;
  const prev = Math.floor(virtualIndex);
  const gamma = virtualIndex - prev;
  const a = sorted[prev]!;
  const b = sorted[prev + 1]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
