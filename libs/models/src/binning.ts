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

/** The bin code reserved for missing values. */
export const MISSING_BIN = 255;
/** Bins per feature in a histogram: 255 value bins and the missing bin. */
export const HISTOGRAM_BINS = 256;
/** Largest number of value bins per feature. */
export const MAX_VALUE_BINS = 255;

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
    const buffer = new Float64Array(count);
    const edges: Float64Array[] = [];
    for (let feature = 0; feature < X.columnCount; feature++) {
      const offset = feature * rowCount;
      let present = 0;
      for (let index = 0; index < count; index++) {
        const value = X.values[offset + (sampleRows === undefined ? index : sampleRows[index]!)]!;
        if (value === value) buffer[present++] = value;
      }
      edges.push(quantileEdges(buffer.subarray(0, present).sort(), maxBins));
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
function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
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

/** Bin of each value of one column: the first edge >= value (binary search), MISSING_BIN for NaN. */
function binColumn(values: MatrixValues, offset: number, rowCount: number, edges: Float64Array, bins: Uint8Array): void {
  const edgeCount = edges.length;
  for (let row = 0; row < rowCount; row++) {
    const value = values[offset + row]!;
    if (value !== value) {
      bins[offset + row] = MISSING_BIN;
      continue;
    }
    let low = 0;
    let high = edgeCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (edges[middle]! < value) low = middle + 1;
      else high = middle;
    }
    bins[offset + row] = low;
  }
}
