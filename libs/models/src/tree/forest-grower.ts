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
 * - Random forest: the best bin boundary of each drawn feature. Extra trees: one uniformly random bin boundary
 *   between the node's smallest and largest bin of each drawn feature, and the best of those.
 * - Missing values are tried on both sides of each candidate split; the better side is the default direction.
 * - Nodes of at least SMALL_NODE rows use 256-bin histograms; smaller nodes sort their (bin, position) keys instead,
 *   so that work stays proportional to the rows and not to the 256 bins.
 */
import type { Random } from '@quant/core';
import { HISTOGRAM_BINS, MISSING_BIN } from '../binning.js';
import type { BinnedData } from './boost-grower.js';
import { Tree, TreeBuffer, thresholdOfBin } from './tree.js';

const SMALL_NODE = 192;
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
  // Best split of the current node.
  private bestScore = -Infinity;
  private bestFeature = -1;
  private bestBin = 0;
  private bestDefaultLeft = false;
  private readonly bestLeft = new Float64Array(STRIDE);
  private readonly candidateLeft = new Float64Array(STRIDE);

  constructor(private readonly data: BinnedData, private readonly labels: Int8Array, private readonly parameters: ForestTreeParameters) {
    this.partition = new Uint32Array(data.rowCount);
    this.scratch = new Uint32Array(data.rowCount);
    this.orderedLabel = new Uint8Array(data.rowCount);
    this.orderedWeight = new Float64Array(data.rowCount);
    this.keys = new Uint32Array(SMALL_NODE);
    this.featureOrder = new Int32Array(data.featureCount);
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
    // Depth-first growth with an explicit stack of [node, start, end, depth] and the node statistics.
    const stack: { node: number; start: number; end: number; depth: number; stats: Float64Array }[] = [];
    const root = this.addNode(tree, rootStats);
    stack.push({ node: root, start: 0, end: rows.length, depth: 0, stats: rootStats });
    while (stack.length > 0) {
      const { node, start, end, depth, stats } = stack.pop()!;
      if (!this.findSplit(start, end, depth, stats, rowWeight, random)) continue;
      const feature = this.bestFeature;
      const splitBin = this.bestBin;
      const defaultLeft = this.bestDefaultLeft;
      const leftStats = Float64Array.from(this.bestLeft);
      const rightStats = Float64Array.from(stats, (value, index) => value - leftStats[index]!);
      const gain = this.bestScore - sumOfSquaresRatio(stats);
      const bins = this.data.bins;
      const base = feature * this.data.rowCount;
      const scratch = this.scratch;
      let leftEnd = start;
      let rightCount = 0;
      for (let index = start; index < end; index++) {
        const row = partition[index]!;
        const bin = bins[base + row]!;
        if (bin === MISSING_BIN ? defaultLeft : bin <= splitBin) partition[leftEnd++] = row;
        else scratch[rightCount++] = row;
      }
      partition.set(scratch.subarray(0, rightCount), leftEnd);
      const left = this.addNode(tree, leftStats);
      const right = this.addNode(tree, rightStats);
      tree.setSplit(node, feature, splitBin, thresholdOfBin(this.data.edges[feature]!, splitBin), defaultLeft, left, right, gain);
      stack.push({ node: right, start: leftEnd, end, depth: depth + 1, stats: rightStats });
      stack.push({ node: left, start, end: leftEnd, depth: depth + 1, stats: leftStats });
    }
    return tree.finish();
  }

  private addNode(tree: TreeBuffer, stats: Float64Array): number {
    const total = stats[0]! + stats[1]! + stats[2]!;
    const node = tree.addNode(total);
    for (let label = 0; label < 3; label++) tree.setValue(node, label, total > 0 ? stats[label]! / total : 1 / 3);
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
    const partition = this.partition;
    const labels = this.labels;
    for (let index = 0; index < count; index++) {
      const row = partition[start + index]!;
      this.orderedLabel[index] = labels[row]!;
      this.orderedWeight[index] = rowWeight[row]!;
    }
    this.bestScore = -Infinity;
    this.bestFeature = -1;
    const order = this.featureOrder;
    const featureCount = order.length;
    for (let index = 0; index < featureCount; index++) order[index] = index;
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
      this.evaluate(feature, stats, random);
    }
    return this.bestFeature >= 0;
  }

  private collectByHistogram(feature: number, start: number, count: number): void {
    const histogram = this.histogram;
    const bins = this.data.bins;
    const base = feature * this.data.rowCount;
    const partition = this.partition;
    const orderedLabel = this.orderedLabel;
    const orderedWeight = this.orderedWeight;
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

  /** Evaluates the boundaries of the collected feature (all of them, or one random one for extra trees). */
  private evaluate(feature: number, stats: Float64Array, random: Random): void {
    const entries = this.entryCount;
    const entryStats = this.entryStats;
    const missing = this.missing;
    const hasMissing = missing[3]! > 0;
    const left = this.candidateLeft;
    left.fill(0);
    let first = 0;
    let last = hasMissing ? entries - 1 : entries - 2;
    if (this.parameters.randomThresholds) {
      // Geurts et al. 2006: one random cut point, uniform between the node's smallest and largest (bin) value.
      let chosen = entries - 1; // values | missing, when there is a single value bin
      if (entries >= 2) {
        const low = this.entryBin[0]!;
        const high = this.entryBin[entries - 1]!;
        const cut = low + random.nextInt(high - low);
        chosen = 0;
        while (chosen + 1 < entries && this.entryBin[chosen + 1]! <= cut) chosen++;
      }
      for (let entry = 0; entry < chosen; entry++) {
        for (let channel = 0; channel < STRIDE; channel++) left[channel]! += entryStats[entry * STRIDE + channel]!;
      }
      first = chosen;
      last = chosen;
    }
    for (let entry = first; entry <= last; entry++) {
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
