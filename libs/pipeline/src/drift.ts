/**
 * Feature drift: is the model scoring data unlike what it learned from?
 *
 * At training time each feature's distribution is summarised (decile edges, the share of training values in each
 * decile bin, the share of missing values, and a seeded sample of values); at scan time the recent values are
 * compared with it by
 * - the population stability index over 11 bins (the 10 decile bins of the finite values, and one bin for missing
 *   values): PSI = sum over bins of (a - e) ln(a / e), with a and e the actual and expected shares of all values
 *   (Siddiqi 2006; rule of thumb: < 0.1 stable, 0.1-0.25 warning, > 0.25 drift). The expected shares are the
 *   training shares of each bin, not a flat tenth: a feature with ties (a 0/1 flag, a calendar field, a feature that
 *   is often exactly 0) puts far more than a tenth of its values in one bin, and a flat tenth would report drift on
 *   the training data itself;
 * - the two-sample Kolmogorov-Smirnov test against the training sample: D = max |F1 - F2| over the pooled values
 *   (both empirical distribution functions evaluated after all values tied at a point), p-value from the asymptotic
 *   Kolmogorov distribution with the Stephens correction, lambda = (sqrt(n) + 0.12 + 0.11 / sqrt(n)) D,
 *   n = n1 n2 / (n1 + n2) (Numerical Recipes, 3rd ed., sections 6.14 and 14.3.3).
 */
import { InvalidArgumentError, createRandom, type FeatureMatrix } from '@quant/core';

export interface FeatureReference {
  readonly feature: string;
  /**
   * Nine inner decile edges of the finite training values, ascending (ties repeat an edge); empty when training had
   * no finite value. Bin i holds the values v with edges[i - 1] < v <= edges[i].
   */
  readonly edges: number[];
  /**
   * Share of the finite training values in each of the `edges.length + 1` bins (sums to 1). Absent in model files
   * written before it existed: the shares of `sample` stand in for it then.
   */
  readonly shares?: number[];
  /** Share of missing (NaN) values in training. */
  readonly missingShare: number;
  /** A seeded sample of finite training values, sorted. */
  readonly sample: number[];
}

export type DriftStatus = 'stable' | 'warning' | 'drift';

export interface DriftResult {
  readonly feature: string;
  readonly psi: number;
  readonly ksStatistic: number;
  readonly ksPValue: number;
  readonly status: DriftStatus;
}

/** PSI thresholds: the usual credit-scoring rule of thumb. */
export const PSI_WARNING = 0.1;
export const PSI_DRIFT = 0.25;
/** A bin with values on one side only gets this share on the other, so the logarithm stays finite. */
const EMPTY_SHARE = 1e-4;

function finiteSorted(values: ArrayLike<number | null>): Float64Array {
  const finite: number[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (typeof value === 'number' && Number.isFinite(value)) finite.push(value);
  }
  return Float64Array.from(finite).sort();
}

/** Summaries of every column of a training matrix. */
export function featureReferences(matrix: FeatureMatrix, options: { sampleSize?: number; seed: number }): FeatureReference[] {
  const sampleSize = options.sampleSize ?? 500;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new InvalidArgumentError(`sampleSize must be a positive integer, got ${sampleSize}`);
  const random = createRandom(options.seed);
  return matrix.columns.map((feature, column) => {
    const values = matrix.values.subarray(column * matrix.rowCount, (column + 1) * matrix.rowCount);
    const sorted = finiteSorted(values);
    const edges: number[] = [];
    if (sorted.length > 0) {
      for (let decile = 1; decile < 10; decile++) edges.push(sorted[Math.min(sorted.length - 1, Math.floor((decile * sorted.length) / 10))]!);
    }
    const sample: number[] = [];
    if (sorted.length <= sampleSize) sample.push(...sorted);
    else for (let draw = 0; draw < sampleSize; draw++) sample.push(sorted[Math.floor(random.next() * sorted.length)]!);
    sample.sort((a, b) => a - b);
    return {
      feature,
      edges,
      shares: Array.from(binShares(sorted, edges)),
      missingShare: matrix.rowCount === 0 ? 0 : 1 - sorted.length / matrix.rowCount,
      sample,
    };
  });
}

/** Shares of sorted finite values in the bins the edges define (all zero when there are no values). */
function binShares(sorted: Float64Array, edges: readonly number[]): Float64Array {
  const shares = new Float64Array(edges.length + 1);
  let bin = 0;
  for (const value of sorted) {
    while (bin < edges.length && value > edges[bin]!) bin++;
    shares[bin]! += 1;
  }
  if (sorted.length > 0) for (let index = 0; index < shares.length; index++) shares[index] = shares[index]! / sorted.length;
  return shares;
}

/** Asymptotic Kolmogorov survival function Q(z) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 z^2) (Numerical Recipes 6.14). */
export function kolmogorovSurvival(z: number): number {
  if (!(z > 0)) return 1;
  if (z < 1.18) {
    // The alternating series converges slowly for small z; use the equivalent form
    // P(z) = sqrt(2 pi) / z sum_{j>=1} exp(-(2j - 1)^2 pi^2 / (8 z^2)), Q = 1 - P.
    const y = Math.exp((-Math.PI * Math.PI) / (8 * z * z));
    const p = (Math.sqrt(2 * Math.PI) / z) * (y + y ** 9 + y ** 25 + y ** 49);
    return Math.min(1, Math.max(0, 1 - p));
  }
  const x = Math.exp(-2 * z * z);
  return Math.min(1, Math.max(0, 2 * (x - x ** 4 + x ** 9 - x ** 16)));
}

/** Two-sample Kolmogorov-Smirnov statistic and p-value of two ascending samples. */
export function kolmogorovSmirnov(first: ArrayLike<number>, second: ArrayLike<number>): { statistic: number; pValue: number } {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) return { statistic: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < n1 && j < n2) {
    // Step both distribution functions past every value equal to the smaller current one before comparing them:
    // comparing in the middle of a run of ties would report a gap that no threshold actually separates.
    const value = Math.min(first[i]!, second[j]!);
    while (i < n1 && first[i]! === value) i++;
    while (j < n2 && second[j]! === value) j++;
    statistic = Math.max(statistic, Math.abs(i / n1 - j / n2));
  }
  const effective = Math.sqrt((n1 * n2) / (n1 + n2));
  return { statistic, pValue: kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * statistic) };
}

/** One side's share of all values in each of the 11 bins: the finite bins scaled by the finite share, then missing. */
function populationShares(finiteShares: ArrayLike<number>, missingShare: number): Float64Array {
  const shares = new Float64Array(finiteShares.length + 1);
  for (let bin = 0; bin < finiteShares.length; bin++) shares[bin] = (1 - missingShare) * finiteShares[bin]!;
  shares[finiteShares.length] = missingShare;
  return shares;
}

/** Compares recent values of a feature (NaN for missing) with its training reference. */
export function compareWithReference(reference: FeatureReference, recent: ArrayLike<number>): DriftResult {
  if (recent.length === 0) throw new InvalidArgumentError(`drift of ${reference.feature}: there are no recent values to compare`);
  // Model files are JSON: a NaN edge of an all-missing feature comes back as null; such a feature has no finite bins.
  const edges = reference.edges.every((edge) => typeof edge === 'number' && Number.isFinite(edge)) ? reference.edges : [];
  const trainingSample = finiteSorted(reference.sample);
  const trainingShares = reference.shares !== undefined && reference.shares.length === edges.length + 1
    ? reference.shares
    : binShares(trainingSample, edges);
  const sorted = finiteSorted(recent);
  const expected = populationShares(trainingShares, reference.missingShare);
  const actual = populationShares(binShares(sorted, edges), 1 - sorted.length / recent.length);
  let psi = 0;
  for (let bin = 0; bin < expected.length; bin++) {
    const e = expected[bin]!;
    const a = actual[bin]!;
    if (e === 0 && a === 0) continue;
    const expectedShare = Math.max(e, EMPTY_SHARE);
    const actualShare = Math.max(a, EMPTY_SHARE);
    psi += (actualShare - expectedShare) * Math.log(actualShare / expectedShare);
  }
  const { statistic, pValue } = kolmogorovSmirnov(trainingSample, sorted);
  const status: DriftStatus = psi > PSI_DRIFT ? 'drift' : psi > PSI_WARNING ? 'warning' : 'stable';
  return { feature: reference.feature, psi, ksStatistic: statistic, ksPValue: pValue, status };
}
