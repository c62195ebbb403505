/**
 * Feature quantisation for the histogram tree engine (the "hist" method of Chen & Guestrin 2016 / XGBoost, and of
 * Ke et al. 2017 / LightGBM): each feature is quantised ONCE into at most 255 value bins, so that split finding works
 * on small per-bin histograms instead of sorted raw values.
 *
 * Bin edges are quantiles of the training values (computed on a seeded subsample when the data is large). Bin `b` of
 * feature `f` holds the values `v` with `edges[b-1] < v <= edges[b]`; the last bin holds everything above the last
 * edge. So "bin <= b" is exactly "v <= edges[b]", which is why a tree can store the raw threshold `edges[b]` and
 * predict on raw values with the same result as on bins. NaN (missing) goes to the reserved bin `MISSING_BIN` (255);
 * every split learns a default direction for it (XGBoost's sparsity-aware split finding).
 */
import { InvalidArgumentError, createRandom, describeValue, type FeatureMatrix, type MatrixValues } from '@quant/core';

import { HISTOGRAM_BINS, MAX_VALUE_BINS, MISSING_BIN } from './tree/bin-codes.js';

export { HISTOGRAM_BINS, MAX_VALUE_BINS, MISSING_BIN };

export interface BinningOptions {
  /** Value bins per feature, 2..255 (default 255). */
  maxBins?: number;
  /** Rows used to find quantiles when there are more (default 200,000). */
  sampleSize?: number;
  seed?: number;
}

/** Learned bin edges, one ascending Float64Array per feature (length = value bins - 1). */
export class BinMapper {
  constructor(readonly edges: readonly Float64Array[]) {}

  get columnCount(): number {
    return this.edges.length;
  }

  /** Value bins of a feature (edges + 1). */
  binCount(feature: number): number {
    return this.edges[feature]!.length + 1;
  }

  /** Learns quantile edges from a training matrix. */
  static fit(X: FeatureMatrix, options: BinningOptions = {}): BinMapper {
    const maxBins = options.maxBins ?? MAX_VALUE_BINS;
    if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_VALUE_BINS) {
      throw new InvalidArgumentError(`maxBins must be an integer in 2..${MAX_VALUE_BINS}, got ${describeValue(maxBins)}`);
    }
    const sampleSize = options.sampleSize ?? 200_000;
    const rowCount = X.rowCount;
    let sampleRows: Uint32Array | undefined;
    if (rowCount > sampleSize) {
      // Seeded sample without replacement (partial Fisher-Yates), sorted so column reads stay sequential.
      const random = createRandom(options.seed ?? 0);
      const all = new Uint32Array(rowCount);
      for (let row = 0; row < rowCount; row++) all[row] = row;
      for (let index = 0; index < sampleSize; index++) {
        const other = index + random.nextInt(rowCount - index);
        const value = all[index]!;
        all[index] = all[other]!;
        all[other] = value;
      }
      sampleRows = all.slice(0, sampleSize).sort();
    }
    const count = sampleRows === undefined ? rowCount : sampleRows.length;
    const values = X.values;
    // Float32 columns are sorted by a radix sort of their bit patterns (several times faster than a comparison
    // sort); float64 columns by the typed-array sort.
    const sorter = values instanceof Float32Array ? new Float32RadixSorter(count) : undefined;
    const buffer = sorter === undefined ? new Float64Array(count) : sorter.values;
    const edges: Float64Array[] = [];
    for (let feature = 0; feature < X.columnCount; feature++) {
      const offset = feature * rowCount;
      let present = 0;
      for (let index = 0; index < count; index++) {
        const value = values[offset + (sampleRows === undefined ? index : sampleRows[index]!)]!;
        if (value === value) buffer[present++] = value;
      }
      const sorted = sorter === undefined ? buffer.subarray(0, present).sort() : sorter.sort(present);
      edges.push(quantileEdges(sorted, maxBins));
    }
    return new BinMapper(edges);
  }

  /** Quantises a matrix: column-major Uint8Array, `bins[feature * rows + row]`. */
  transform(X: FeatureMatrix): Uint8Array {
    if (X.columnCount !== this.edges.length) {
      throw new InvalidArgumentError(`the bin edges were learned on ${this.edges.length} columns, but the matrix has ${X.columnCount}`);
    }
    const rowCount = X.rowCount;
    const bins = new Uint8Array(rowCount * X.columnCount);
    for (let feature = 0; feature < X.columnCount; feature++) {
      binColumn(X.values, feature * rowCount, rowCount, this.edges[feature]!, bins);
    }
    return bins;
  }

  toJSON(): number[][] {
    return this.edges.map((edge) => Array.from(edge));
  }

  static fromJSON(json: readonly (readonly number[])[]): BinMapper {
    return new BinMapper(json.map((edge) => Float64Array.from(edge)));
  }
}

/**
 * Edges from sorted values: midpoints between distinct values when there are few of them (as LightGBM and
 * scikit-learn do), otherwise the distinct values at evenly spaced quantile ranks.
 */
function quantileEdges(sorted: Float32Array | Float64Array, maxBins: number): Float64Array {
  const count = sorted.length;
  if (count === 0) return new Float64Array(0);
  const distinct: number[] = [];
  for (let index = 0; index < count && distinct.length <= maxBins; index++) {
    const value = sorted[index]!;
    if (distinct.length === 0 || value !== distinct[distinct.length - 1]) distinct.push(value);
  }
  if (distinct.length <= maxBins) {
    const edges = new Float64Array(distinct.length - 1);
    for (let index = 0; index + 1 < distinct.length; index++) {
      const middle = (distinct[index]! + distinct[index + 1]!) / 2;
      // A midpoint can round up to the upper value; the lower value keeps "v <= edge" exact.
      edges[index] = middle < distinct[index + 1]! ? middle : distinct[index]!;
    }
    return edges;
  }
  const edges: number[] = [];
  for (let bin = 1; bin < maxBins; bin++) {
    const value = sorted[Math.min(count - 1, Math.floor((bin * count) / maxBins))]!;
    if (value < sorted[count - 1]! && (edges.length === 0 || value > edges[edges.length - 1]!)) edges.push(value);
  }
  return Float64Array.from(edges);
}

/**
 * LSD radix sort of float32 values (three passes of 11, 11 and 10 bits) on their bit patterns mapped to unsigned
 * integers that order like the floats: negative values have all bits flipped, the others only the sign bit. NaN must
 * be left out by the caller.
 */
class Float32RadixSorter {
  /** Values to sort are written here first. */
  readonly values: Float32Array;
  private readonly keys: Uint32Array;
  private readonly other: Uint32Array;
  private readonly otherValues: Float32Array;
  private readonly counts = new Uint32Array(2048);

  constructor(capacity: number) {
    this.values = new Float32Array(capacity);
    this.keys = new Uint32Array(this.values.buffer);
    this.otherValues = new Float32Array(capacity);
    this.other = new Uint32Array(this.otherValues.buffer);
  }

  /** Sorts values[0..count) ascending; returns the sorted view (of `values`). */
  sort(count: number): Float32Array {
    const keys = this.keys;
    for (let index = 0; index < count; index++) {
      const bits = keys[index]!;
      keys[index] = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    }
    let from = keys;
    let to = this.other;
    for (const [shift, width] of [[0, 11], [11, 11], [22, 10]] as const) {
      const counts = this.counts;
      const mask = (1 << width) - 1;
      counts.fill(0);
      for (let index = 0; index < count; index++) counts[(from[index]! >>> shift) & mask]! += 1;
      let total = 0;
      for (let digit = 0; digit <= mask; digit++) {
        const digitCount = counts[digit]!;
        counts[digit] = total;
        total += digitCount;
      }
      for (let index = 0; index < count; index++) {
        const key = from[index]!;
        to[counts[(key >>> shift) & mask]!++] = key;
      }
      [from, to] = [to, from];
    }
    // Three passes: the sorted keys are in `other`; map them back into `values`.
    for (let index = 0; index < count; index++) {
      const key = from[index]!;
      keys[index] = key & 0x80000000 ? (key & 0x7fffffff) >>> 0 : ~key >>> 0;
    }
    return this.values.subarray(0, count);
  }
}

/**
 * Bin of each value of one column: the number of edges below the value (= the first edge >= value), MISSING_BIN for
 * NaN. Branch-free binary search over the edges padded to 256 with +Infinity: eight fixed steps whose comparisons
 * become additions, so unpredictable values cost no mispredicted branches.
 */
function binColumn(values: MatrixValues, offset: number, rowCount: number, edges: Float64Array, bins: Uint8Array): void {
  const padded = new Float64Array(HISTOGRAM_BINS).fill(Infinity);
  padded.set(edges);
  for (let row = 0; row < rowCount; row++) {
    const value = values[offset + row]!;
    if (value !== value) {
      bins[offset + row] = MISSING_BIN;
      continue;
    }
    let low = (padded[127]! < value ? 1 : 0) << 7;
    low += (padded[low + 63]! < value ? 1 : 0) << 6;
    low += (padded[low + 31]! < value ? 1 : 0) << 5;
    low += (padded[low + 15]! < value ? 1 : 0) << 4;
    low += (padded[low + 7]! < value ? 1 : 0) << 3;
    low += (padded[low + 3]! < value ? 1 : 0) << 2;
    low += (padded[low + 1]! < value ? 1 : 0) << 1;
    low += padded[low]! < value ? 1 : 0;
    bins[offset + row] = low;
  }
}
