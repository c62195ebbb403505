/**
 * Histogram tree growth for gradient boosting, second order (Chen & Guestrin 2016, XGBoost "hist"; Ke et al. 2017,
 * LightGBM).
 *
 * - Per-node histograms of gradient, hessian and row count for every feature of the tree's column subset.
 * - Histogram subtraction: only the smaller child's histogram is built from its rows; the larger child's is the
 *   parent's minus the smaller one (computed in place in the parent's buffer).
 * - Split gain with L1 (alpha) and L2 (lambda) regularisation: with T(G) = sign(G) max(|G| - alpha, 0),
 *   gain = 1/2 [T(GL)^2/(HL+lambda) + T(GR)^2/(HR+lambda) - T(G)^2/(H+lambda)]; a split must gain more than gamma
 *   (min split loss) and leave at least `minChildWeight` hessian and `minDataInLeaf` rows on each side.
 * - Missing values: the missing bin is tried on both sides and the better side becomes the split's default direction
 *   (sparsity-aware split finding, Chen & Guestrin 2016 Algorithm 3). With no missing value in the node, missing rows
 *   later follow the side with more hessian.
 * - Growth either depth-wise (every splittable node down to `maxDepth`, as XGBoost) or leaf-wise / best-first (always
 *   split the leaf with the largest gain until `maxLeaves`, as LightGBM), by the same candidate loop.
 * - Leaf weight: -T(G)/(H+lambda) times the learning rate.
 */
import { HISTOGRAM_BINS, MISSING_BIN } from '../binning.js';
import { Tree, TreeBuffer, thresholdOfBin } from './tree.js';

/**
 * Channels per histogram bin: gradient and hessian. Row counts are not accumulated (a third channel costs about a
 * third more time); as in LightGBM, the row count of a histogram range is estimated as hessian x (node rows / node
 * hessian) when `minDataInLeaf` is checked, while node row counts themselves are exact.
 */
const STRIDE = 2;

export interface BoostTreeParameters {
  /** Depth limit (root has depth 0); Infinity for none. */
  maxDepth: number;
  /** Leaf limit; Infinity for none. With a finite value growth is best-first (leaf-wise). */
  maxLeaves: number;
  learningRate: number;
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  minDataInLeaf: number;
}

/** The binned training set shared by all trees of a model. */
export interface BinnedData {
  readonly bins: Uint8Array;
  readonly rowCount: number;
  readonly featureCount: number;
  /** Bin edges per feature (raw thresholds). */
  readonly edges: readonly Float64Array[];
}

interface Candidate {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumGradient: number;
  sumHessian: number;
  count: number;
  /** Histogram buffer, or undefined when the node cannot be split. */
  histogram: Float64Array | undefined;
  bestGain: number;
  bestFeature: number;
  bestBin: number;
  bestDefaultLeft: boolean;
  leftGradient: number;
  leftHessian: number;
  leftCount: number;
}

function thresholdL1(gradient: number, alpha: number): number {
  if (gradient > alpha) return gradient - alpha;
  if (gradient < -alpha) return gradient + alpha;
  return 0;
}

/**
 * Grows boosted trees on one binned data set. Scratch buffers (row partition, ordered gradients, histogram pool)
 * are allocated once and reused by every tree.
 */
export class BoostTreeGrower {
  private readonly partition: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly orderedGradient: Float64Array;
  private readonly orderedHessian: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly histogramSize: number;
  /** Leaves of the last grown tree: node id and partition range. */
  private leafNode: number[] = [];
  private leafStart: number[] = [];
  private leafEnd: number[] = [];

  constructor(private readonly data: BinnedData, private readonly parameters: BoostTreeParameters) {
    this.partition = new Uint32Array(data.rowCount);
    this.scratch = new Uint32Array(data.rowCount);
    this.orderedGradient = new Float64Array(data.rowCount);
    this.orderedHessian = new Float64Array(data.rowCount);
    this.histogramSize = data.featureCount * HISTOGRAM_BINS * STRIDE;
  }

  /**
   * Grows one tree on `rows` (ascending row indices) using the given per-row gradients and hessians (already
   * multiplied by the row weights) and the allowed `features`.
   */
  grow(rows: Uint32Array, gradient: Float64Array, hessian: Float64Array, features: Int32Array): Tree {
    const parameters = this.parameters;
    const partition = this.partition;
    partition.set(rows);
    const count = rows.length;
    let sumGradient = 0;
    let sumHessian = 0;
    for (let index = 0; index < count; index++) {
      const row = rows[index]!;
      sumGradient += gradient[row]!;
      sumHessian += hessian[row]!;
    }
    const tree = new TreeBuffer(1);
    this.leafNode = [];
    this.leafStart = [];
    this.leafEnd = [];
    const root = this.makeCandidate(tree, 0, count, 0, sumGradient, sumHessian, count);
    if (this.canSplit(root)) {
      root.histogram = this.acquire();
      this.buildHistogram(root.histogram, root.start, root.end, gradient, hessian, features);
      this.findBestSplit(root, features);
    }
    const open: Candidate[] = [root];
    let leafCount = 1;
    const leafWise = Number.isFinite(parameters.maxLeaves);
    while (open.length > 0) {
      let pick = 0;
      if (leafWise) {
        for (let index = 1; index < open.length; index++) if (open[index]!.bestGain > open[pick]!.bestGain) pick = index;
      }
      const candidate = open[pick]!;
      open.splice(pick, 1);
      if (candidate.bestFeature < 0 || leafCount >= parameters.maxLeaves) {
        this.release(candidate);
        this.leafNode.push(candidate.node);
        this.leafStart.push(candidate.start);
        this.leafEnd.push(candidate.end);
        continue;
      }
      leafCount++;
      this.split(tree, candidate, open, gradient, hessian, features);
    }
    return tree.finish();
  }

  /**
   * Adds the last grown tree's leaf values to `margin[row * stride + column]` for the rows it was grown on (their
   * leaves are known from the final row partition, so no traversal is needed) and marks those rows in `visited`.
   */
  addToGrownRows(tree: Tree, margin: Float64Array, stride: number, column: number, visited: Uint8Array): void {
    const partition = this.partition;
    for (let leaf = 0; leaf < this.leafNode.length; leaf++) {
      const value = tree.value[this.leafNode[leaf]!]!;
      const end = this.leafEnd[leaf]!;
      for (let index = this.leafStart[leaf]!; index < end; index++) {
        const row = partition[index]!;
        margin[row * stride + column]! += value;
        visited[row] = 1;
      }
    }
  }

  private makeCandidate(tree: TreeBuffer, start: number, end: number, depth: number, sumGradient: number, sumHessian: number, count: number): Candidate {
    const parameters = this.parameters;
    const node = tree.addNode(sumHessian);
    const weight = -thresholdL1(sumGradient, parameters.alpha) / (sumHessian + parameters.lambda);
    tree.setValue(node, 0, weight * parameters.learningRate);
    return {
      node, start, end, depth, sumGradient, sumHessian, count,
      histogram: undefined,
      bestGain: 0, bestFeature: -1, bestBin: 0, bestDefaultLeft: false,
      leftGradient: 0, leftHessian: 0, leftCount: 0,
    };
  }

  private canSplit(candidate: Candidate): boolean {
    const parameters = this.parameters;
    return (
      candidate.depth < parameters.maxDepth &&
      candidate.count >= 2 * Math.max(1, parameters.minDataInLeaf) &&
      candidate.sumHessian >= 2 * parameters.minChildWeight
    );
  }

  private acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histogramSize);
  }

  private release(candidate: Candidate): void {
    if (candidate.histogram !== undefined) this.pool.push(candidate.histogram);
    candidate.histogram = undefined;
  }

  /** Gradient/hessian/count histograms of rows partition[start..end) for the given features (zeroing them first). */
  private buildHistogram(histogram: Float64Array, start: number, end: number, gradient: Float64Array, hessian: Float64Array, features: Int32Array): void {
    const partition = this.partition;
    const orderedGradient = this.orderedGradient;
    const orderedHessian = this.orderedHessian;
    const count = end - start;
    // Ordered gradients (LightGBM): gather once so that the per-feature loops read them sequentially.
    for (let index = 0; index < count; index++) {
      const row = partition[start + index]!;
      orderedGradient[index] = gradient[row]!;
      orderedHessian[index] = hessian[row]!;
    }
    const bins = this.data.bins;
    const rowCount = this.data.rowCount;
    for (let position = 0; position < features.length; position++) {
      const feature = features[position]!;
      const base = feature * rowCount;
      const offset = feature * HISTOGRAM_BINS * STRIDE;
      histogram.fill(0, offset, offset + HISTOGRAM_BINS * STRIDE);
      for (let index = 0; index < count; index++) {
        const slot = offset + bins[base + partition[start + index]!]! * STRIDE;
        histogram[slot]! += orderedGradient[index]!;
        histogram[slot + 1]! += orderedHessian[index]!;
      }
    }
  }

  private findBestSplit(candidate: Candidate, features: Int32Array): void {
    const parameters = this.parameters;
    const histogram = candidate.histogram!;
    const { lambda, alpha, minChildWeight } = parameters;
    // Estimated counts (see STRIDE); with no row minimum, any side with a non-negligible hessian is non-empty.
    const minCount = parameters.minDataInLeaf > 1 ? parameters.minDataInLeaf : 1e-6;
    const totalGradient = candidate.sumGradient;
    const totalHessian = candidate.sumHessian;
    const totalCount = candidate.count;
    const countPerHessian = totalCount / totalHessian;
    const parentScore = thresholdL1(totalGradient, alpha) ** 2 / (totalHessian + lambda);
    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = 0;
    let bestDefaultLeft = false;
    let bestLeftGradient = 0;
    let bestLeftHessian = 0;
    let bestLeftCount = 0;
    for (let position = 0; position < features.length; position++) {
      const feature = features[position]!;
      const offset = feature * HISTOGRAM_BINS * STRIDE;
      const missingSlot = offset + MISSING_BIN * STRIDE;
      const missingGradient = histogram[missingSlot]!;
      const missingHessian = histogram[missingSlot + 1]!;
      const missingCount = missingHessian * countPerHessian;
      const lastBin = this.data.edges[feature]!.length; // last value bin
      // A split at the last value bin only separates values from missing values.
      const finalBin = missingHessian > 0 ? lastBin : lastBin - 1;
      let leftGradient = 0;
      let leftHessian = 0;
      let leftCount = 0;
      for (let bin = 0; bin <= finalBin; bin++) {
        const slot = offset + bin * STRIDE;
        const binHessian = histogram[slot + 1]!;
        if (binHessian === 0) continue;
        leftGradient += histogram[slot]!;
        leftHessian += binHessian;
        leftCount += binHessian * countPerHessian;
        // Missing values to the right.
        let rightCount = totalCount - leftCount;
        if (leftCount >= minCount && rightCount >= minCount) {
          const rightHessian = totalHessian - leftHessian;
          if (leftHessian >= minChildWeight && rightHessian >= minChildWeight) {
            const gain =
              thresholdL1(leftGradient, alpha) ** 2 / (leftHessian + lambda) +
              thresholdL1(totalGradient - leftGradient, alpha) ** 2 / (rightHessian + lambda) -
              parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestFeature = feature;
              bestBin = bin;
              // With no missing values here, missing rows later follow the heavier side.
              bestDefaultLeft = missingHessian === 0 && leftHessian >= rightHessian;
              bestLeftGradient = leftGradient;
              bestLeftHessian = leftHessian;
              bestLeftCount = leftCount;
            }
          }
        }
        if (missingHessian === 0) continue;
        // Missing values to the left.
        const withMissingGradient = leftGradient + missingGradient;
        const withMissingHessian = leftHessian + missingHessian;
        const withMissingCount = leftCount + missingCount;
        rightCount = totalCount - withMissingCount;
        if (withMissingCount >= minCount && rightCount >= minCount) {
          const rightHessian = totalHessian - withMissingHessian;
          if (withMissingHessian >= minChildWeight && rightHessian >= minChildWeight) {
            const gain =
              thresholdL1(withMissingGradient, alpha) ** 2 / (withMissingHessian + lambda) +
              thresholdL1(totalGradient - withMissingGradient, alpha) ** 2 / (rightHessian + lambda) -
              parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestFeature = feature;
              bestBin = bin;
              bestDefaultLeft = true;
              bestLeftGradient = withMissingGradient;
              bestLeftHessian = withMissingHessian;
              bestLeftCount = withMissingCount;
            }
          }
        }
      }
    }
    // Loss change is half the score difference; gamma is the minimum loss change of a split.
    const lossChange = bestGain / 2;
    if (bestFeature >= 0 && lossChange > parameters.gamma) {
      candidate.bestGain = lossChange;
      candidate.bestFeature = bestFeature;
      candidate.bestBin = bestBin;
      candidate.bestDefaultLeft = bestDefaultLeft;
      candidate.leftGradient = bestLeftGradient;
      candidate.leftHessian = bestLeftHessian;
      candidate.leftCount = bestLeftCount;
    } else {
      candidate.bestFeature = -1;
    }
  }

  private split(tree: TreeBuffer, candidate: Candidate, open: Candidate[], gradient: Float64Array, hessian: Float64Array, features: Int32Array): void {
    const { start, end, bestFeature: feature, bestBin: splitBin, bestDefaultLeft: defaultLeft } = candidate;
    // Stable partition: left rows stay in place (in order), right rows go through the scratch buffer.
    const partition = this.partition;
    const scratch = this.scratch;
    const bins = this.data.bins;
    const base = feature * this.data.rowCount;
    let leftEnd = start;
    let rightCount = 0;
    for (let index = start; index < end; index++) {
      const row = partition[index]!;
      const bin = bins[base + row]!;
      const goLeft = bin === MISSING_BIN ? defaultLeft : bin <= splitBin;
      if (goLeft) partition[leftEnd++] = row;
      else scratch[rightCount++] = row;
    }
    partition.set(scratch.subarray(0, rightCount), leftEnd);

    const depth = candidate.depth + 1;
    const left = this.makeCandidate(tree, start, leftEnd, depth, candidate.leftGradient, candidate.leftHessian, leftEnd - start);
    const right = this.makeCandidate(
      tree, leftEnd, end, depth,
      candidate.sumGradient - candidate.leftGradient,
      candidate.sumHessian - candidate.leftHessian,
      end - leftEnd,
    );
    tree.setSplit(
      candidate.node, feature, splitBin, thresholdOfBin(this.data.edges[feature]!, splitBin), defaultLeft,
      left.node, right.node, candidate.bestGain,
    );

    const leftSplittable = this.canSplit(left);
    const rightSplittable = this.canSplit(right);
    const parentHistogram = candidate.histogram!;
    candidate.histogram = undefined;
    if (leftSplittable || rightSplittable) {
      const [small, large] = left.count <= right.count ? [left, right] : [right, left];
      const smallHistogram = this.acquire();
      this.buildHistogram(smallHistogram, small.start, small.end, gradient, hessian, features);
      // Histogram subtraction: parent - smaller child = larger child, in the parent's buffer.
      for (let position = 0; position < features.length; position++) {
        const offset = features[position]! * HISTOGRAM_BINS * STRIDE;
        const stop = offset + HISTOGRAM_BINS * STRIDE;
        for (let slot = offset; slot < stop; slot++) parentHistogram[slot]! -= smallHistogram[slot]!;
      }
      small.histogram = smallHistogram;
      large.histogram = parentHistogram;
      for (const child of [left, right]) {
        if (this.canSplit(child)) this.findBestSplit(child, features);
        else this.release(child);
      }
    } else {
      this.pool.push(parentHistogram);
    }
    open.push(left, right);
  }
}
