/**
 * Pearson chi-square test of homogeneity on the 2×K table (baseline counts, current counts),
 * equal to scipy.stats.chi2_contingency(table, correction=False).
 */
import type { Chi2Result } from './types.js';
import { InputError } from '../errors.js';
import { chi2Sf } from './special.js';

/**
 * Expected counts are row total × column total / grand total; statistic Σ (O − E)²/E over all
 * 2K cells; dof = K − 1; p = chi-square survival function. K = 1 is scipy's degenerate case
 * (statistic 0, p 1). Every column must have a non-zero total (a category seen on some side).
 */
export function chi2Contingency2xK(baseCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Chi2Result {
  const k = baseCounts.length;
  if (curCounts.length !== k) throw new InputError(`chi-square needs the same categories on both sides (${k} vs ${curCounts.length})`);
  if (k === 0) throw new InputError('chi-square needs at least one category');
  let rowB = 0;
  let rowC = 0;
  for (let i = 0; i < k; i++) {
    const b = baseCounts[i]!;
    const c = curCounts[i]!;
    if (!(b >= 0 && c >= 0)) throw new InputError(`chi-square counts must be ≥ 0 (category #${i}: ${b}, ${c})`);
    if (b + c === 0) throw new InputError(`chi-square category #${i} has no observations on either side`);
    rowB += b;
    rowC += c;
  }
  if (rowB === 0 || rowC === 0) throw new InputError(`chi-square needs observations on both sides (baseline ${rowB}, current ${rowC})`);
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof: 0 };
  const grand = rowB + rowC;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const col = baseCounts[i]! + curCounts[i]!;
    const eb = (rowB * col) / grand;
    const ec = (rowC * col) / grand;
    const db = baseCounts[i]! - eb;
    const dc = curCounts[i]! - ec;
    stat += (db * db) / eb + (dc * dc) / ec;
  }
  return { statistic: stat, pvalue: chi2Sf(stat, dof), dof };
}
