/**
 * Content id of a baseline: sha256 over the settings, every feature's counts/edges/
 * categories and the exact bytes of its stored values. Source path and creation time are
 * left out on purpose, so rebuilding from the same data gives the same id.
 */
import { createHash } from 'node:crypto';
import type { FeatureBaseline } from '../drift/types.js';
import type { BaselineSettings } from './types.js';
import { BaselineFormat } from './types.js';
import { float64LeBytes } from './f64.js';

export function baselineId(settings: BaselineSettings, features: Iterable<FeatureBaseline>): string {
  const hash = createHash('sha256');
  hash.update(`${BaselineFormat.name}/${BaselineFormat.version}\n`);
  hash.update(`${JSON.stringify([settings.cap, settings.seed, settings.psiBins])}\n`);
  for (const f of features) {
    const counts = [f.rowCount, f.nullCount, f.nanCount, f.infCount];
    if (f.kind === 'numeric') {
      const header = [f.kind, f.name, counts, f.finiteCount, f.sorted.length, f.sampled, f.psiBins, Array.from(f.psiEdges)];
      hash.update(`${JSON.stringify(header)}\n`);
      hash.update(float64LeBytes(f.sorted));
    } else {
      const categories = [...f.categories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      hash.update(`${JSON.stringify([f.kind, f.name, counts, categories])}\n`);
    }
  }
  return hash.digest('hex');
}
