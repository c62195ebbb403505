/**
 * Classification-tree growth for random forests (Breiman 2001) and extremely randomised trees (Geurts, Ernst &
 * Wehenkel 2006) on the shared binned data.
 *
 * Criterion: Gini impurity, computed as squared error on one-hot targets (the same thing: the summed variance of
 * the one-hot class indicators is 1 - sum p_k^2). The per-bin statistics are the weighted class sums (w0, w1, w2)
 * and the row count, i.e. the "gradients" are one-hot class weights and the "hessian" is the weight; a split
 * maximises sum_k L_k^2 / W_L + sum_k R_k^2 / W_R (equivalently minimises the weighted child impurity), and its gain
 * (the weighted impurity decrease, as scikit-learn's MDI) is what feature importance adds up.
 *
 * - A fresh random feature subset at EVERY split (`maxFeatures`, sqrt of the column count by default); as in
 *   scikit-learn, features constant in the node do not count, so drawing goes on until `maxFeatures` non-constant
 *   features have been evaluated or none is left.
 * - Random forest: the best bin boundary of each drawn feature. Nodes of at least SMALL_NODE rows collect per-bin
 *   statistics in a 256-bin histogram; smaller nodes sort their (bin, position) keys instead, so that work stays
 *   proportional to the rows and not to the 256 bins.
 * - Extra trees: one uniformly random cut bin between the node's smallest and largest bin of each drawn feature, and
 *   the best of those; two sequential passes over the node's rows, no histogram.
 * - Missing values are tried on both sides of each candidate split; the better side is the default direction.
 */
import type { Random } from '@quant/core';
import { HISTOGRAM_BINS, MISSING_BIN } from './bin-codes.js';
import type { BinnedData } from './boost-grower.js';
import { partitionRows, partitionRowsByWords } from './partition.js';
import type { RowWords } from './row-words.js';
import { Tree, TreeBuffer, thresholdOfBin } from './tree.js';

const SMALL_NODE = 192;
/** Extra trees: cut of a feature that is constant in the node (no row is at or below it). */
const NO_CUT = -1;
/** Packed class counts (see `packedClasses`) need fewer rows than this: 3 x 17 bits stay exact in a float64. */
const PACKED_CLASS_LIMIT = 2 ** 17;
const CLASS_LANE = 2 ** 17;
const STRIDE = 4; // w0, w1, w2, count

export interface ForestTreeParameters {
  maxFeatures: number;
  minSamplesLeaf: number;
  maxDepth: number;
  randomThresholds: boolean;
}

export class ForestTreeGrower {
  private readonly partition: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly orderedLabel: Uint8Array;
  private readonly orderedWeight: Float64Array;
  private readonly keys: Uint32Array;
  private readonly histogram = new Float64Array(HISTOGRAM_BINS * STRIDE);
  /** Non-empty value bins of the current feature, ascending, with their statistics. */
  private readonly entryBin = new Int32Array(HISTOGRAM_BINS);
  private readonly entryStats = new Float64Array(HISTOGRAM_BINS * STRIDE);
  private entryCount = 0;
  private readonly missing = new Float64Array(STRIDE);
  private readonly featureOrder: Int32Array;
  /**
   * Extra trees: the node's bins of a batch of drawn features (`orderedBins[position * rowCount + index]`), and the
   * rows' one-hot class weights, in node order.
   */
  private readonly orderedBins: Uint8Array;
  private readonly batchFeatures: Int32Array;
  /** Cut bin (or NO_CUT) of each feature of the batch, whether it has missing values, the batch's packed left sums. */
  private readonly cuts: Int32Array;
  private readonly missingPresent: Int32Array;
  private readonly batchSums: Float64Array;
  /** Bins present among the gathered rows: seen[position * 256 + bin] === gatherStamp. */
  private readonly seen: Int32Array;
  private gatherStamp = 0;
  /**
   * Extra trees with unit row weights (no sample or class weights) and fewer than 2^17 rows: each row's class as a
   * packed count, 2^(17 x class), so that one addition counts all three classes exactly (sums stay below 2^51).
   */
  private packedClasses = false;
  private readonly orderedCode: Float64Array;
  private readonly orderedWeight0: Float64Array;
  private readonly orderedWeight1: Float64Array;
  private readonly orderedWeight2: Float64Array;
  /** Smallest and largest value bin of the last collected feature (and, extra trees, whether values are missing). */
  private readonly binRange = new Int32Array(3);
  // Best split of the current node.
  private bestScore = -Infinity;
  private bestFeature = -1;
  private bestBin = 0;
  private bestDefaultLeft = false;
  private readonly bestLeft = new Float64Array(STRIDE);
  private readonly candidateLeft = new Float64Array(STRIDE);
  /** Statistics (w0, w1, w2, rows) of every node of the tree being grown, by node id, and of the current node. */
  private nodeStats = new Float64Array(STRIDE * 1024);
  private readonly currentStats = new Float64Array(STRIDE);

  constructor(
    private readonly data: BinnedData,
    private readonly rowWords: RowWords,
    private readonly labels: Int8Array,
    private readonly parameters: ForestTreeParameters,
  ) {
    this.partition = new Uint32Array(data.rowCount);
    this.scratch = new Uint32Array(data.rowCount);
    this.orderedLabel = new Uint8Array(data.rowCount);
    this.orderedWeight = new Float64Array(data.rowCount);
    this.keys = new Uint32Array(SMALL_NODE);
    this.featureOrder = new Int32Array(data.featureCount);
    const randomThresholds = parameters.randomThresholds;
    const positions = Math.ceil(Math.min(parameters.maxFeatures, data.featureCount) / GATHER_GROUP) * GATHER_GROUP;
    this.orderedBins = new Uint8Array(randomThresholds ? data.rowCount * positions : 0);
    this.batchFeatures = new Int32Array(data.featureCount);
    this.cuts = new Int32Array(positions);
    this.seen = new Int32Array(randomThresholds ? positions * HISTOGRAM_BINS : 0);
    this.missingPresent = new Int32Array(positions);
    this.batchSums = new Float64Array(positions);
    this.orderedCode = new Float64Array(randomThresholds ? data.rowCount : 0);
    this.orderedWeight0 = new Float64Array(randomThresholds ? data.rowCount : 0);
    this.orderedWeight1 = new Float64Array(randomThresholds ? data.rowCount : 0);
    this.orderedWeight2 = new Float64Array(randomThresholds ? data.rowCount : 0);
  }

  /** Grows one tree on `rows` (ascending, unique) with per-row weights (bootstrap count x sample weight). */
  grow(rows: Uint32Array, rowWeight: Float64Array, random: Random): Tree {
    const partition = this.partition;
    partition.set(rows);
    const labels = this.labels;
    const tree = new TreeBuffer(3);
    const rootStats = new Float64Array(STRIDE);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      rootStats[labels[row]!]! += rowWeight[row]!;
    }
    rootStats[3] = rows.length;
    let unitWeights = rows.length < PACKED_CLASS_LIMIT;
    for (let index = 0; index < rows.length && unitWeights; index++) unitWeights = rowWeight[rows[index]!] === 1;
    this.packedClasses = this.parameters.randomThresholds && unitWeights;
    // Depth-first growth with an explicit stack of (node, start, end, depth); node statistics by node id.
    const stackNode: number[] = [];
    const stackStart: number[] = [];
    const stackEnd: number[] = [];
    const stackDepth: number[] = [];
    stackNode.push(this.addNode(tree, rootStats[0]!, rootStats[1]!, rootStats[2]!, rootStats[3]!));
    stackStart.push(0);
    stackEnd.push(rows.length);
    stackDepth.push(0);
    const stats = this.currentStats;
    const left = this.bestLeft;
    while (stackNode.length > 0) {
      const node = stackNode.pop()!;
      const start = stackStart.pop()!;
      const end = stackEnd.pop()!;
      const depth = stackDepth.pop()!;
      const nodeStats = this.nodeStats;
      for (let channel = 0; channel < STRIDE; channel++) stats[channel] = nodeStats[node * STRIDE + channel]!;
      if (!this.findSplit(start, end, depth, stats, rowWeight, random)) continue;
      const feature = this.bestFeature;
      const splitBin = this.bestBin;
      const defaultLeft = this.bestDefaultLeft;
      const gain = this.bestScore - sumOfSquaresRatio(stats);
      // Extra trees read the children's bins from the row words next: partitioning on them brings those lines into
      // cache; the random forest reads columns.
      const leftEnd = this.parameters.randomThresholds
        ? partitionRowsByWords(partition, this.scratch, this.rowWords.words, this.rowWords.wordsPerRow, feature, start, end, splitBin, defaultLeft)
        : partitionRows(partition, this.scratch, this.data.bins, feature * this.data.rowCount, start, end, splitBin, defaultLeft);
      const leftNode = this.addNode(tree, left[0]!, left[1]!, left[2]!, left[3]!);
      const rightNode = this.addNode(tree, stats[0]! - left[0]!, stats[1]! - left[1]!, stats[2]! - left[2]!, stats[3]! - left[3]!);
      tree.setSplit(node, feature, splitBin, thresholdOfBin(this.data.edges[feature]!, splitBin), defaultLeft, leftNode, rightNode, gain);
      stackNode.push(rightNode, leftNode);
      stackStart.push(leftEnd, start);
      stackEnd.push(end, leftEnd);
      stackDepth.push(depth + 1, depth + 1);
    }
    return tree.finish();
  }

  /** Adds a node with class weights w0..w2 and `rows` rows: its class frequencies, its cover, its statistics. */
  private addNode(tree: TreeBuffer, w0: number, w1: number, w2: number, rows: number): number {
    const total = w0 + w1 + w2;
    const node = tree.addNode(total);
    tree.setValue(node, 0, total > 0 ? w0 / total : 1 / 3);
    tree.setValue(node, 1, total > 0 ? w1 / total : 1 / 3);
    tree.setValue(node, 2, total > 0 ? w2 / total : 1 / 3);
    if ((node + 1) * STRIDE > this.nodeStats.length) {
      const larger = new Float64Array(this.nodeStats.length * 2);
      larger.set(this.nodeStats);
      this.nodeStats = larger;
    }
    const offset = node * STRIDE;
    this.nodeStats[offset] = w0;
    this.nodeStats[offset + 1] = w1;
    this.nodeStats[offset + 2] = w2;
    this.nodeStats[offset + 3] = rows;
    return node;
  }

  /** Finds the node's split into the best* fields; false when the node stays a leaf. */
  private findSplit(start: number, end: number, depth: number, stats: Float64Array, rowWeight: Float64Array, random: Random): boolean {
    const parameters = this.parameters;
    const count = end - start;
    if (depth >= parameters.maxDepth || count < 2 * parameters.minSamplesLeaf) return false;
    let classesPresent = 0;
    for (let label = 0; label < 3; label++) if (stats[label]! > 0) classesPresent++;
    if (classesPresent <= 1) return false; // pure node
    if (this.packedClasses) {
      gatherClassCodes(this.partition, start, count, this.labels, this.orderedCode);
    } else if (parameters.randomThresholds) {
      gatherOneHotWeights(this.partition, start, count, this.labels, rowWeight, this.orderedWeight0, this.orderedWeight1, this.orderedWeight2);
    } else {
      gatherLabelsAndWeights(this.partition, start, count, this.labels, rowWeight, this.orderedLabel, this.orderedWeight);
    }
    this.bestScore = -Infinity;
    this.bestFeature = -1;
    const order = this.featureOrder;
    const featureCount = order.length;
    for (let index = 0; index < featureCount; index++) order[index] = index;
    if (parameters.randomThresholds) {
      this.findRandomSplit(start, count, stats, random);
      return this.bestFeature >= 0;
    }
    let evaluated = 0;
    for (let index = 0; index < featureCount && evaluated < parameters.maxFeatures; index++) {
      const other = index + random.nextInt(featureCount - index);
      const feature = order[other]!;
      order[other] = order[index]!;
      order[index] = feature;
      if (count >= SMALL_NODE) this.collectByHistogram(feature, start, count);
      else this.collectBySorting(feature, start, count);
      const distinct = this.entryCount + (this.missing[3]! > 0 ? 1 : 0);
      if (distinct <= 1) continue; // constant in this node: does not count
      evaluated++;
      this.evaluate(feature, stats);
    }
    return this.bestFeature >= 0;
  }

  /**
   * Extra trees (Geurts et al. 2006): features are drawn (without replacement) in batches of the number still
   * needed; each batch's bins are gathered in one pass over the node's rows in the row-major words (one cache line
   * per row for all of them, where column-major bins would cost one per feature). Each feature then gets its
   * smallest and largest value bin and one cut bin c drawn uniformly in [smallest, largest); the split is
   * "bin <= c" (threshold: the upper edge of bin c, a point between the node's smallest and largest value), and the
   * class weights at or below the cuts are summed for the whole batch in one pass. Constant features do not count,
   * so drawing goes on until `maxFeatures` features were cut or none is left.
   */
  private findRandomSplit(start: number, count: number, stats: Float64Array, random: Random): void {
    const { words, wordsPerRow } = this.rowWords;
    const order = this.featureOrder;
    const featureCount = order.length;
    const { batchFeatures, cuts, missingPresent, orderedBins, binRange: range, candidateLeft: left, missing } = this;
    const maxFeatures = this.parameters.maxFeatures;
    const stride = this.data.rowCount;
    let evaluated = 0;
    let drawn = 0;
    while (evaluated < maxFeatures && drawn < featureCount) {
      const batch = Math.min(maxFeatures - evaluated, featureCount - drawn);
      for (let position = 0; position < batch; position++) {
        const index = drawn + position;
        const other = index + random.nextInt(featureCount - index);
        const feature = order[other]!;
        order[other] = order[index]!;
        order[index] = feature;
        batchFeatures[position] = feature;
      }
      drawn += batch;
      const stamp = ++this.gatherStamp;
      gatherRowBins(words, wordsPerRow, this.partition, start, count, batchFeatures, batch, orderedBins, stride, this.seen, stamp);
      for (let position = 0; position < batch; position++) {
        markedRange(this.seen, position * HISTOGRAM_BINS, stamp, range);
        const smallest = range[0]!;
        const largest = range[1]!;
        const hasMissing = range[2]!;
        missingPresent[position] = hasMissing;
        const valueKinds = largest < 0 ? 0 : smallest < largest ? 2 : 1;
        // NO_CUT: constant in the node (puts every row on the right in the sums below).
        if (valueKinds + hasMissing <= 1) cuts[position] = NO_CUT;
        else cuts[position] = valueKinds === 2 ? smallest + random.nextInt(largest - smallest) : largest;
      }
      if (this.packedClasses) sumPackedAtOrBelow(orderedBins, stride, count, cuts, batch, this.orderedCode, this.batchSums);
      for (let position = 0; position < batch; position++) {
        const cut = cuts[position]!;
        if (cut === NO_CUT) continue;
        evaluated++;
        const offset = position * stride;
        const hasMissing = missingPresent[position]! === 1;
        if (this.packedClasses) {
          unpackClassCounts(this.batchSums[position]!, left);
          if (hasMissing) unpackClassCounts(sumPackedMissing(orderedBins, offset, count, this.orderedCode), missing);
        } else {
          sumAtOrBelow(orderedBins, offset, count, cut, this.orderedWeight0, this.orderedWeight1, this.orderedWeight2, left);
          if (hasMissing) sumMissing(orderedBins, offset, count, this.orderedWeight0, this.orderedWeight1, this.orderedWeight2, missing);
        }
        if (!hasMissing) missing.fill(0);
        const feature = batchFeatures[position]!;
        this.consider(feature, cut, left, stats, false);
        if (hasMissing) {
          for (let channel = 0; channel < STRIDE; channel++) left[channel]! += missing[channel]!;
          this.consider(feature, cut, left, stats, true);
        }
      }
    }
  }

  private collectByHistogram(feature: number, start: number, count: number): void {
    const histogram = this.histogram;
    const bins = this.data.bins;
    const base = feature * this.data.rowCount;
    const partition = this.partition;
    const orderedLabel = this.orderedLabel;
    const orderedWeight = this.orderedWeight;
    const range = this.binRange;
    fillClassHistogram(bins, base, partition, start, count, orderedLabel, orderedWeight, histogram, range);
    const minimum = range[0]!;
    const maximum = range[1]!;
    let entries = 0;
    const entryStats = this.entryStats;
    for (let bin = minimum; bin <= maximum && bin < MISSING_BIN; bin++) {
      const slot = bin * STRIDE;
      if (histogram[slot + 3] === 0) continue;
      this.entryBin[entries] = bin;
      const target = entries * STRIDE;
      for (let channel = 0; channel < STRIDE; channel++) {
        entryStats[target + channel] = histogram[slot + channel]!;
        histogram[slot + channel] = 0;
      }
      entries++;
    }
    const missingSlot = MISSING_BIN * STRIDE;
    for (let channel = 0; channel < STRIDE; channel++) {
      this.missing[channel] = histogram[missingSlot + channel]!;
      histogram[missingSlot + channel] = 0;
    }
    this.entryCount = entries;
  }

  private collectBySorting(feature: number, start: number, count: number): void {
    const bins = this.data.bins;
    const base = feature * this.data.rowCount;
    const partition = this.partition;
    const keys = this.keys;
    for (let index = 0; index < count; index++) keys[index] = (bins[base + partition[start + index]!]! << 16) | index;
    const sorted = keys.subarray(0, count).sort();
    const entryStats = this.entryStats;
    const missing = this.missing;
    missing.fill(0);
    let entries = 0;
    let currentBin = -1;
    for (let position = 0; position < count; position++) {
      const key = sorted[position]!;
      const bin = key >>> 16;
      const index = key & 0xffff;
      const label = this.orderedLabel[index]!;
      const weight = this.orderedWeight[index]!;
      if (bin === MISSING_BIN) {
        missing[label]! += weight;
        missing[3]! += 1;
        continue;
      }
      if (bin !== currentBin) {
        currentBin = bin;
        this.entryBin[entries] = bin;
        entryStats.fill(0, entries * STRIDE, entries * STRIDE + STRIDE);
        entries++;
      }
      const target = (entries - 1) * STRIDE;
      entryStats[target + label]! += weight;
      entryStats[target + 3]! += 1;
    }
    this.entryCount = entries;
  }

  /** Evaluates every boundary between the collected feature's non-empty bins (random forest). */
  private evaluate(feature: number, stats: Float64Array): void {
    const entries = this.entryCount;
    const entryStats = this.entryStats;
    const missing = this.missing;
    const hasMissing = missing[3]! > 0;
    const left = this.candidateLeft;
    left.fill(0);
    // The last boundary only separates values from missing values.
    const last = hasMissing ? entries - 1 : entries - 2;
    for (let entry = 0; entry <= last; entry++) {
      for (let channel = 0; channel < STRIDE; channel++) left[channel]! += entryStats[entry * STRIDE + channel]!;
      this.consider(feature, this.entryBin[entry]!, left, stats, false);
      if (hasMissing) {
        for (let channel = 0; channel < STRIDE; channel++) left[channel]! += missing[channel]!;
        this.consider(feature, this.entryBin[entry]!, left, stats, true);
        for (let channel = 0; channel < STRIDE; channel++) left[channel]! -= missing[channel]!;
      }
    }
  }

  private consider(feature: number, bin: number, left: Float64Array, stats: Float64Array, missingLeft: boolean): void {
    const minimum = this.parameters.minSamplesLeaf;
    const leftCount = left[3]!;
    const rightCount = stats[3]! - leftCount;
    if (leftCount < minimum || rightCount < minimum) return;
    const l0 = left[0]!;
    const l1 = left[1]!;
    const l2 = left[2]!;
    const r0 = stats[0]! - l0;
    const r1 = stats[1]! - l1;
    const r2 = stats[2]! - l2;
    const leftWeight = l0 + l1 + l2;
    const rightWeight = r0 + r1 + r2;
    if (!(leftWeight > 0 && rightWeight > 0)) return;
    const score = (l0 * l0 + l1 * l1 + l2 * l2) / leftWeight + (r0 * r0 + r1 * r1 + r2 * r2) / rightWeight;
    if (score > this.bestScore) {
      this.bestScore = score;
      this.bestFeature = feature;
      this.bestBin = bin;
      // With no missing value in the node, missing rows later follow the heavier side.
      this.bestDefaultLeft = missingLeft || (this.missing[3] === 0 && leftWeight >= rightWeight);
      this.bestLeft.set(left);
    }
  }
}

/** sum_k s_k^2 / W of node statistics (the Gini "purity" of the node times its weight). */
function sumOfSquaresRatio(stats: Float64Array): number {
  const total = stats[0]! + stats[1]! + stats[2]!;
  return total > 0 ? (stats[0]! ** 2 + stats[1]! ** 2 + stats[2]! ** 2) / total : 0;
}

// The hot loops, as standalone functions: V8 then optimises each as a whole (a long loop inside a method is compiled
// on-stack, and that code was thrown away at every exit of the loop).

function gatherLabelsAndWeights(
  partition: Uint32Array, start: number, count: number, labels: Int8Array, rowWeight: Float64Array, orderedLabel: Uint8Array, orderedWeight: Float64Array,
): void {
  for (let index = 0; index < count; index++) {
    const row = partition[start + index]!;
    orderedLabel[index] = labels[row]!;
    orderedWeight[index] = rowWeight[row]!;
  }
}

/** The node's row weights as one-hot class weights, in node order (extra trees). */
function gatherOneHotWeights(
  partition: Uint32Array, start: number, count: number, labels: Int8Array, rowWeight: Float64Array,
  weight0: Float64Array, weight1: Float64Array, weight2: Float64Array,
): void {
  for (let index = 0; index < count; index++) {
    const row = partition[start + index]!;
    const label = labels[row]!;
    const weight = rowWeight[row]!;
    weight0[index] = label === 0 ? weight : 0;
    weight1[index] = label === 1 ? weight : 0;
    weight2[index] = label === 2 ? weight : 0;
  }
}

/**
 * The node's bins of `batch` features, from the row-major words: `orderedBins[position * stride + index]` is the bin
 * of features[position] for row partition[start + index]. Features go by groups of 8 (or 4 for a small remainder),
 * each group in one pass over the rows with its word offsets and shifts in registers; a partial group repeats its
 * last feature into the spare positions (orderedBins has room for them).
 */
function gatherRowBins(
  words: Uint32Array, wordsPerRow: number, partition: Uint32Array, start: number, count: number,
  features: Int32Array, batch: number, orderedBins: Uint8Array, stride: number, seen: Int32Array, stamp: number,
): void {
  for (let first = 0; first < batch; first += GATHER_GROUP) {
    const last = Math.min(batch, first + GATHER_GROUP) - 1;
    if (last - first < 4) {
      gatherFour(
        words, wordsPerRow, partition, start, count,
        features[first]!, features[Math.min(first + 1, last)]!, features[Math.min(first + 2, last)]!, features[Math.min(first + 3, last)]!,
        orderedBins, first * stride, stride, seen, first * HISTOGRAM_BINS, stamp,
      );
    } else {
      gatherEight(
        words, wordsPerRow, partition, start, count,
        features[first]!, features[first + 1]!, features[first + 2]!, features[first + 3]!, features[first + 4]!,
        features[Math.min(first + 5, last)]!, features[Math.min(first + 6, last)]!, features[Math.min(first + 7, last)]!,
        orderedBins, first * stride, stride, seen, first * HISTOGRAM_BINS, stamp,
      );
    }
  }
}

/** Features gathered per pass over the rows (orderedBins needs a multiple of it in positions). */
const GATHER_GROUP = 8;

function gatherFour(
  words: Uint32Array, wordsPerRow: number, partition: Uint32Array, start: number, count: number,
  f0: number, f1: number, f2: number, f3: number, orderedBins: Uint8Array, offset: number, stride: number,
  seen: Int32Array, mark: number, stamp: number,
): void {
  const w0 = f0 >>> 2, w1 = f1 >>> 2, w2 = f2 >>> 2, w3 = f3 >>> 2;
  const s0 = (f0 & 3) << 3, s1 = (f1 & 3) << 3, s2 = (f2 & 3) << 3, s3 = (f3 & 3) << 3;
  for (let index = 0; index < count; index++) {
    const base = partition[start + index]! * wordsPerRow;
    const target = offset + index;
    const b0 = (words[base + w0]! >>> s0) & 0xff;
    const b1 = (words[base + w1]! >>> s1) & 0xff;
    const b2 = (words[base + w2]! >>> s2) & 0xff;
    const b3 = (words[base + w3]! >>> s3) & 0xff;
    orderedBins[target] = b0;
    orderedBins[target + stride] = b1;
    orderedBins[target + 2 * stride] = b2;
    orderedBins[target + 3 * stride] = b3;
    seen[mark + b0] = stamp;
    seen[mark + 256 + b1] = stamp;
    seen[mark + 512 + b2] = stamp;
    seen[mark + 768 + b3] = stamp;
  }
}

function gatherEight(
  words: Uint32Array, wordsPerRow: number, partition: Uint32Array, start: number, count: number,
  f0: number, f1: number, f2: number, f3: number, f4: number, f5: number, f6: number, f7: number,
  orderedBins: Uint8Array, offset: number, stride: number, seen: Int32Array, mark: number, stamp: number,
): void {
  const w0 = f0 >>> 2, w1 = f1 >>> 2, w2 = f2 >>> 2, w3 = f3 >>> 2, w4 = f4 >>> 2, w5 = f5 >>> 2, w6 = f6 >>> 2, w7 = f7 >>> 2;
  const s0 = (f0 & 3) << 3, s1 = (f1 & 3) << 3, s2 = (f2 & 3) << 3, s3 = (f3 & 3) << 3;
  const s4 = (f4 & 3) << 3, s5 = (f5 & 3) << 3, s6 = (f6 & 3) << 3, s7 = (f7 & 3) << 3;
  for (let index = 0; index < count; index++) {
    const base = partition[start + index]! * wordsPerRow;
    const target = offset + index;
    const b0 = (words[base + w0]! >>> s0) & 0xff;
    const b1 = (words[base + w1]! >>> s1) & 0xff;
    const b2 = (words[base + w2]! >>> s2) & 0xff;
    const b3 = (words[base + w3]! >>> s3) & 0xff;
    const b4 = (words[base + w4]! >>> s4) & 0xff;
    const b5 = (words[base + w5]! >>> s5) & 0xff;
    const b6 = (words[base + w6]! >>> s6) & 0xff;
    const b7 = (words[base + w7]! >>> s7) & 0xff;
    orderedBins[target] = b0;
    orderedBins[target + stride] = b1;
    orderedBins[target + 2 * stride] = b2;
    orderedBins[target + 3 * stride] = b3;
    orderedBins[target + 4 * stride] = b4;
    orderedBins[target + 5 * stride] = b5;
    orderedBins[target + 6 * stride] = b6;
    orderedBins[target + 7 * stride] = b7;
    seen[mark + b0] = stamp;
    seen[mark + 256 + b1] = stamp;
    seen[mark + 512 + b2] = stamp;
    seen[mark + 768 + b3] = stamp;
    seen[mark + 1024 + b4] = stamp;
    seen[mark + 1280 + b5] = stamp;
    seen[mark + 1536 + b6] = stamp;
    seen[mark + 1792 + b7] = stamp;
  }
}

/**
 * Smallest value bin, largest value bin (-1 when none) and whether the missing bin is present, from the bins marked
 * with `stamp` in seen[mark..mark + 256) by the gather: two short scans from the ends instead of a pass over the rows.
 */
function markedRange(seen: Int32Array, mark: number, stamp: number, range: Int32Array): void {
  let smallest = 0;
  while (smallest < MISSING_BIN && seen[mark + smallest] !== stamp) smallest++;
  // With no value bin (smallest reached 255), the downward scan stops at -1.
  let largest = MISSING_BIN - 1;
  while (largest >= 0 && largest >= smallest && seen[mark + largest] !== stamp) largest--;
  if (smallest === MISSING_BIN) largest = -1;
  range[0] = smallest;
  range[1] = largest;
  range[2] = seen[mark + MISSING_BIN] === stamp ? 1 : 0; // missing values present
}

/** Class weights and row count of the rows whose bin is <= cut (never the missing bin, as cut < 255). */
function sumAtOrBelow(
  orderedBins: Uint8Array, offset: number, count: number, cut: number,
  weight0: Float64Array, weight1: Float64Array, weight2: Float64Array, output: Float64Array,
): void {
  let left0 = 0;
  let left1 = 0;
  let left2 = 0;
  let leftCount = 0;
  for (let index = 0; index < count; index++) {
    // 1 when bin <= cut (both in 0..255), else 0.
    const isLeft = ((cut - orderedBins[offset + index]!) >>> 31) ^ 1;
    left0 += isLeft * weight0[index]!;
    left1 += isLeft * weight1[index]!;
    left2 += isLeft * weight2[index]!;
    leftCount += isLeft;
  }
  output[0] = left0;
  output[1] = left1;
  output[2] = left2;
  output[3] = leftCount;
}

/** Class weights and row count of the rows with a missing value. */
function sumMissing(
  orderedBins: Uint8Array, offset: number, count: number, weight0: Float64Array, weight1: Float64Array, weight2: Float64Array, output: Float64Array,
): void {
  let missing0 = 0;
  let missing1 = 0;
  let missing2 = 0;
  let missingCount = 0;
  for (let index = 0; index < count; index++) {
    const isMissing = (orderedBins[offset + index]! + 1) >> 8;
    missing0 += isMissing * weight0[index]!;
    missing1 += isMissing * weight1[index]!;
    missing2 += isMissing * weight2[index]!;
    missingCount += isMissing;
  }
  output[0] = missing0;
  output[1] = missing1;
  output[2] = missing2;
  output[3] = missingCount;
}

/**
 * Per-bin class weights and row counts of the node's rows (`histogram[bin * 4 + class]`, `[bin * 4 + 3]` = rows),
 * with the smallest and largest value bin written to `range` (random forest, large nodes).
 */
function fillClassHistogram(
  bins: Uint8Array, base: number, partition: Uint32Array, start: number, count: number, orderedLabel: Uint8Array, orderedWeight: Float64Array,
  histogram: Float64Array, range: Int32Array,
): void {
  let minimum = MISSING_BIN;
  let maximum = 0;
  for (let index = 0; index < count; index++) {
    const bin = bins[base + partition[start + index]!]!;
    const slot = bin * STRIDE;
    histogram[slot + orderedLabel[index]!]! += orderedWeight[index]!;
    histogram[slot + 3]! += 1;
    if (bin !== MISSING_BIN) {
      if (bin < minimum) minimum = bin;
      if (bin > maximum) maximum = bin;
    }
  }
  range[0] = minimum;
  range[1] = maximum;
}

/** The node's rows' classes as packed counts 2^(17 x class), in node order (extra trees with unit weights). */
function gatherClassCodes(partition: Uint32Array, start: number, count: number, labels: Int8Array, orderedCode: Float64Array): void {
  for (let index = 0; index < count; index++) {
    const label = labels[partition[start + index]!]!;
    orderedCode[index] = label === 0 ? 1 : label === 1 ? CLASS_LANE : CLASS_LANE * CLASS_LANE;
  }
}

/** Class counts from a packed sum (see gatherClassCodes): counts of classes 0, 1, 2 and their total. */
function unpackClassCounts(packed: number, output: Float64Array): void {
  const count2 = Math.floor(packed / (CLASS_LANE * CLASS_LANE));
  const rest = packed - count2 * CLASS_LANE * CLASS_LANE;
  const count1 = Math.floor(rest / CLASS_LANE);
  const count0 = rest - count1 * CLASS_LANE;
  output[0] = count0;
  output[1] = count1;
  output[2] = count2;
  output[3] = count0 + count1 + count2;
}

/**
 * Packed class counts of the rows at or below each cut of a batch (`sums[position]`), eight features per pass: per
 * row one code load and, per feature, a 0/1 side that multiplies it (branch-free: a random cut makes a per-row
 * branch unpredictable). NO_CUT counts nothing; `cuts` and `sums` have room for whole groups.
 */
function sumPackedAtOrBelow(orderedBins: Uint8Array, stride: number, count: number, cuts: Int32Array, batch: number, codes: Float64Array, sums: Float64Array): void {
  for (let first = 0; first < batch; first += GATHER_GROUP) {
    // Spare positions of a partial group count nothing.
    for (let position = batch; position < first + GATHER_GROUP; position++) cuts[position] = NO_CUT;
    const c0 = cuts[first]!, c1 = cuts[first + 1]!, c2 = cuts[first + 2]!, c3 = cuts[first + 3]!;
    const c4 = cuts[first + 4]!, c5 = cuts[first + 5]!, c6 = cuts[first + 6]!, c7 = cuts[first + 7]!;
    const o0 = first * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
    const o4 = o3 + stride, o5 = o4 + stride, o6 = o5 + stride, o7 = o6 + stride;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let index = 0; index < count; index++) {
      const code = codes[index]!;
      // ((cut - bin) >>> 31) ^ 1 is 1 when bin <= cut (bins 0..255, cut -1..254), else 0.
      s0 += (((c0 - orderedBins[o0 + index]!) >>> 31) ^ 1) * code;
      s1 += (((c1 - orderedBins[o1 + index]!) >>> 31) ^ 1) * code;
      s2 += (((c2 - orderedBins[o2 + index]!) >>> 31) ^ 1) * code;
      s3 += (((c3 - orderedBins[o3 + index]!) >>> 31) ^ 1) * code;
      s4 += (((c4 - orderedBins[o4 + index]!) >>> 31) ^ 1) * code;
      s5 += (((c5 - orderedBins[o5 + index]!) >>> 31) ^ 1) * code;
      s6 += (((c6 - orderedBins[o6 + index]!) >>> 31) ^ 1) * code;
      s7 += (((c7 - orderedBins[o7 + index]!) >>> 31) ^ 1) * code;
    }
    // `sums` has room for whole groups.
    sums[first] = s0;
    sums[first + 1] = s1;
    sums[first + 2] = s2;
    sums[first + 3] = s3;
    sums[first + 4] = s4;
    sums[first + 5] = s5;
    sums[first + 6] = s6;
    sums[first + 7] = s7;
  }
}

/** Packed class counts of the rows with a missing value. */
function sumPackedMissing(orderedBins: Uint8Array, offset: number, count: number, codes: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < count; index++) sum += ((orderedBins[offset + index]! + 1) >> 8) * codes[index]!;
  return sum;
}
