/**
 * Compact storage of one decision tree in typed arrays, so that prediction is a tight loop over numbers.
 *
 * Node `i` is a leaf when `feature[i] === -1`. An internal node sends a row left when its value `v` satisfies
 * `v <= threshold[i]` (raw values) or, equivalently, its bin `b` satisfies `b <= thresholdBin[i]` (binned values, see
 * binning.ts); a missing value (NaN, or the missing bin) goes left when `defaultLeft[i]` is 1. Every node keeps its
 * output (`outputCount` values: one margin for a boosted tree, three class probabilities for a forest tree) and its
 * cover (the hessian or weighted row count of the training rows that reached it, used by TreeSHAP).
 */
import { FormatError, type MatrixValues } from '@quant/core';
import { MISSING_BIN } from './bin-codes.js';

export interface TreeJson {
  outputCount: number;
  feature: number[];
  threshold: (number | null)[];
  thresholdBin: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  gain: number[];
}

export class Tree {
  constructor(
    readonly outputCount: number,
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly thresholdBin: Uint8Array,
    readonly defaultLeft: Uint8Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly value: Float64Array,
    readonly cover: Float64Array,
    readonly gain: Float64Array,
  ) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  /** Leaf reached by one row of a column-major raw matrix. */
  leafOfRaw(values: MatrixValues, rowCount: number, row: number): number {
    const feature = this.feature;
    let node = 0;
    let split = feature[0]!;
    while (split >= 0) {
      const value = values[split * rowCount + row]!;
      if (value !== value) node = this.defaultLeft[node] === 1 ? this.left[node]! : this.right[node]!;
      else node = value <= this.threshold[node]! ? this.left[node]! : this.right[node]!;
      split = feature[node]!;
    }
    return node;
  }

  /** Leaf reached by one row of a column-major binned matrix. */
  leafOfBinned(bins: Uint8Array, rowCount: number, row: number): number {
    const feature = this.feature;
    let node = 0;
    let split = feature[0]!;
    while (split >= 0) {
      const bin = bins[split * rowCount + row]!;
      if (bin === MISSING_BIN) node = this.defaultLeft[node] === 1 ? this.left[node]! : this.right[node]!;
      else node = bin <= this.thresholdBin[node]! ? this.left[node]! : this.right[node]!;
      split = feature[node]!;
    }
    return node;
  }

  /**
   * Leaf reached by one row of row-major packed bins (see row-words.ts): the row's bins sit in a few adjacent
   * words, so a traversal touches one or two cache lines instead of one per split as with column-major bins.
   */
  leafOfRowWords(words: Uint32Array, wordsPerRow: number, row: number): number {
    const feature = this.feature;
    const base = row * wordsPerRow;
    let node = 0;
    let split = feature[0]!;
    while (split >= 0) {
      const bin = (words[base + (split >>> 2)]! >>> ((split & 3) << 3)) & 0xff;
      if (bin === MISSING_BIN) node = this.defaultLeft[node] === 1 ? this.left[node]! : this.right[node]!;
      else node = bin <= this.thresholdBin[node]! ? this.left[node]! : this.right[node]!;
      split = feature[node]!;
    }
    return node;
  }

  /** Number of leaves. */
  leafCount(): number {
    let count = 0;
    for (let node = 0; node < this.feature.length; node++) if (this.feature[node]! < 0) count++;
    return count;
  }

  /** Adds each split's gain to `importance[feature]`. */
  addImportance(importance: Float64Array): void {
    for (let node = 0; node < this.feature.length; node++) {
      const feature = this.feature[node]!;
      if (feature >= 0) importance[feature]! += this.gain[node]!;
    }
  }

  toJSON(): TreeJson {
    return {
      outputCount: this.outputCount,
      feature: Array.from(this.feature),
      // JSON has no Infinity: the "everything but missing" threshold is stored as null.
      threshold: Array.from(this.threshold, (value) => (Number.isFinite(value) ? value : null)),
      thresholdBin: Array.from(this.thresholdBin),
      defaultLeft: Array.from(this.defaultLeft),
      left: Array.from(this.left),
      right: Array.from(this.right),
      value: Array.from(this.value),
      cover: Array.from(this.cover),
      gain: Array.from(this.gain),
    };
  }

  static fromJSON(json: TreeJson): Tree {
    if (typeof json !== 'object' || json === null || !Array.isArray(json.feature)) throw new FormatError('a stored tree needs a "feature" array');
    const nodeCount = json.feature.length;
    const sameLength = [json.threshold, json.thresholdBin, json.defaultLeft, json.left, json.right, json.cover, json.gain];
    if (sameLength.some((array) => !Array.isArray(array) || array.length !== nodeCount) || json.value.length !== nodeCount * json.outputCount) {
      throw new FormatError(`a stored tree has arrays of inconsistent lengths (${nodeCount} nodes)`);
    }
    for (let node = 0; node < nodeCount; node++) {
      const feature = json.feature[node]!;
      if (feature >= 0) {
        const left = json.left[node]!;
        const right = json.right[node]!;
        if (!(left > node && left < nodeCount && right > node && right < nodeCount)) {
          throw new FormatError(`stored tree node ${node} has children ${left} and ${right} outside ${node + 1}..${nodeCount - 1}`);
        }
      }
    }
    return new Tree(
      json.outputCount,
      Int32Array.from(json.feature),
      Float64Array.from(json.threshold, (value) => (value === null ? Infinity : value)),
      Uint8Array.from(json.thresholdBin),
      Uint8Array.from(json.defaultLeft),
      Int32Array.from(json.left),
      Int32Array.from(json.right),
      Float64Array.from(json.value),
      Float64Array.from(json.cover),
      Float64Array.from(json.gain),
    );
  }
}

/** Growable node storage used while a tree is grown; `finish()` returns the compact Tree. */
export class TreeBuffer {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly thresholdBin: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly gain: number[] = [];

  constructor(readonly outputCount: number) {}

  /** Adds a node (a leaf until `setSplit`), returns its id. */
  addNode(cover: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.thresholdBin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.cover.push(cover);
    this.gain.push(0);
    for (let output = 0; output < this.outputCount; output++) this.value.push(0);
    return id;
  }

  setValue(node: number, output: number, value: number): void {
    this.value[node * this.outputCount + output] = value;
  }

  setCover(node: number, cover: number): void {
    this.cover[node] = cover;
  }

  get nodeCount(): number {
    return this.feature.length;
  }

  /** Left child of a node, or -1 for a leaf. */
  leftOf(node: number): number {
    return this.left[node]!;
  }

  rightOf(node: number): number {
    return this.right[node]!;
  }

  setSplit(node: number, feature: number, thresholdBin: number, threshold: number, defaultLeft: boolean, left: number, right: number, gain: number): void {
    this.feature[node] = feature;
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = threshold;
    this.defaultLeft[node] = defaultLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;
    this.gain[node] = gain;
  }

  finish(): Tree {
    return new Tree(
      this.outputCount,
      Int32Array.from(this.feature),
      Float64Array.from(this.threshold),
      Uint8Array.from(this.thresholdBin),
      Uint8Array.from(this.defaultLeft),
      Int32Array.from(this.left),
      Int32Array.from(this.right),
      Float64Array.from(this.value),
      Float64Array.from(this.cover),
      Float64Array.from(this.gain),
    );
  }
}

/** Raw threshold of a split at `bin`: the bin's upper edge, or +Infinity for the last value bin. */
export function thresholdOfBin(edges: Float64Array, bin: number): number {
  return bin < edges.length ? edges[bin]! : Infinity;
}
