/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature Attribution for Tree
 * Ensembles", Algorithm 2), following the reference implementation in the shap package.
 *
 * For one row, the Shapley value of each feature is computed for the set function v(S) = E[f(x) | x_S], where the
 * expectation follows both branches of every split on a feature outside S, weighted by node cover (training hessian
 * for boosted trees, weighted row count for forest trees). Polynomial time: O(leaves x depth^2) per tree and row.
 * Contributions satisfy local accuracy: base + sum over features = model output.
 */
import type { FeatureMatrix, MatrixValues } from '@quant/core';
import { CLASS_COUNT } from '../interface.js';
import type { Tree } from './tree.js';

export interface ShapValues {
  /** Row-major contributions: `values[(row * features + feature) * 3 + class]`. */
  readonly values: Float64Array;
  /** Expected output per class (the output with no feature known). */
  readonly base: Float64Array;
  readonly rowCount: number;
  readonly featureCount: number;
}

/** Path of unique features from the root, with the fractions of zero (cover) and one (x's branch) paths. */
class PathState {
  feature: Int32Array;
  zeroFraction: Float64Array;
  oneFraction: Float64Array;
  weight: Float64Array;

  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zeroFraction = new Float64Array(size);
    this.oneFraction = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function extendPath(path: PathState, offset: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const weight = path.weight;
  path.feature[offset + depth] = feature;
  path.zeroFraction[offset + depth] = zeroFraction;
  path.oneFraction[offset + depth] = oneFraction;
  weight[offset + depth] = depth === 0 ? 1 : 0;
  for (let index = depth - 1; index >= 0; index--) {
    weight[offset + index + 1]! += (oneFraction * weight[offset + index]! * (index + 1)) / (depth + 1);
    weight[offset + index] = (zeroFraction * weight[offset + index]! * (depth - index)) / (depth + 1);
  }
}

function unwindPath(path: PathState, offset: number, depth: number, pathIndex: number): void {
  const weight = path.weight;
  const oneFraction = path.oneFraction[offset + pathIndex]!;
  const zeroFraction = path.zeroFraction[offset + pathIndex]!;
  let nextOnePortion = weight[offset + depth]!;
  for (let index = depth - 1; index >= 0; index--) {
    if (oneFraction !== 0) {
      const saved = weight[offset + index]!;
      weight[offset + index] = (nextOnePortion * (depth + 1)) / ((index + 1) * oneFraction);
      nextOnePortion = saved - (weight[offset + index]! * zeroFraction * (depth - index)) / (depth + 1);
    } else {
      weight[offset + index] = (weight[offset + index]! * (depth + 1)) / (zeroFraction * (depth - index));
    }
  }
  for (let index = pathIndex; index < depth; index++) {
    path.feature[offset + index] = path.feature[offset + index + 1]!;
    path.zeroFraction[offset + index] = path.zeroFraction[offset + index + 1]!;
    path.oneFraction[offset + index] = path.oneFraction[offset + index + 1]!;
  }
}

function unwoundPathSum(path: PathState, offset: number, depth: number, pathIndex: number): number {
  const weight = path.weight;
  const oneFraction = path.oneFraction[offset + pathIndex]!;
  const zeroFraction = path.zeroFraction[offset + pathIndex]!;
  let nextOnePortion = weight[offset + depth]!;
  let total = 0;
  for (let index = depth - 1; index >= 0; index--) {
    if (oneFraction !== 0) {
      const value = (nextOnePortion * (depth + 1)) / ((index + 1) * oneFraction);
      total += value;
      nextOnePortion = weight[offset + index]! - (value * zeroFraction * (depth - index)) / (depth + 1);
    } else {
      total += weight[offset + index]! / zeroFraction / ((depth - index) / (depth + 1));
    }
  }
  return total;
}

/** State of one (tree, row) evaluation. */
interface Walk {
  tree: Tree;
  values: MatrixValues;
  rowCount: number;
  row: number;
  path: PathState;
  /** Where this row's contributions go: phi[(feature) * 3 + class] from `phiOffset`. */
  phi: Float64Array;
  phiOffset: number;
  /** Class receiving output 0 of a single-output tree. */
  outputClass: number;
  scale: number;
}

function recurse(walk: Walk, node: number, parentOffset: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const { tree, path } = walk;
  // Each level works on its own copy of the path, placed after the parent's.
  const offset = parentOffset + depth;
  if (depth > 0) {
    path.feature.copyWithin(offset, parentOffset, parentOffset + depth);
    path.zeroFraction.copyWithin(offset, parentOffset, parentOffset + depth);
    path.oneFraction.copyWithin(offset, parentOffset, parentOffset + depth);
    path.weight.copyWithin(offset, parentOffset, parentOffset + depth);
  }
  extendPath(path, offset, depth, zeroFraction, oneFraction, feature);
  const split = tree.feature[node]!;
  if (split < 0) {
    const outputCount = tree.outputCount;
    for (let index = 1; index <= depth; index++) {
      const weight = unwoundPathSum(path, offset, depth, index);
      const contribution = weight * (path.oneFraction[offset + index]! - path.zeroFraction[offset + index]!) * walk.scale;
      const target = walk.phiOffset + path.feature[offset + index]! * CLASS_COUNT;
      if (outputCount === 1) walk.phi[target + walk.outputClass]! += contribution * tree.value[node]!;
      else for (let output = 0; output < outputCount; output++) walk.phi[target + output]! += contribution * tree.value[node * outputCount + output]!;
    }
    return;
  }
  const value = walk.values[split * walk.rowCount + walk.row]!;
  const goesLeft = value !== value ? tree.defaultLeft[node] === 1 : value <= tree.threshold[node]!;
  const hot = goesLeft ? tree.left[node]! : tree.right[node]!;
  const cold = goesLeft ? tree.right[node]! : tree.left[node]!;
  const cover = tree.cover[node]!;
  const hotZeroFraction = tree.cover[hot]! / cover;
  const coldZeroFraction = tree.cover[cold]! / cover;
  let incomingZeroFraction = 1;
  let incomingOneFraction = 1;
  let uniqueDepth = depth;
  // A feature already on the path is "unwound" so that each feature appears once.
  let pathIndex = 0;
  for (; pathIndex <= uniqueDepth; pathIndex++) if (path.feature[offset + pathIndex] === split) break;
  if (pathIndex !== uniqueDepth + 1) {
    incomingZeroFraction = path.zeroFraction[offset + pathIndex]!;
    incomingOneFraction = path.oneFraction[offset + pathIndex]!;
    unwindPath(path, offset, uniqueDepth, pathIndex);
    uniqueDepth -= 1;
  }
  recurse(walk, hot, offset, uniqueDepth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, split);
  recurse(walk, cold, offset, uniqueDepth + 1, coldZeroFraction * incomingZeroFraction, 0, split);
}

function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.nodeCount);
  let maximum = 0;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node]! >= 0) {
      depth[tree.left[node]!] = depth[node]! + 1;
      depth[tree.right[node]!] = depth[node]! + 1;
      maximum = Math.max(maximum, depth[node]! + 1);
    }
  }
  return maximum;
}

/** Cover-weighted mean output of a tree (the output when no feature is known), for each output. */
export function expectedTreeValue(tree: Tree, node = 0, output = 0): number {
  if (tree.feature[node]! < 0) return tree.value[node * tree.outputCount + output]!;
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  const cover = tree.cover[node]!;
  return (tree.cover[left]! / cover) * expectedTreeValue(tree, left, output) + (tree.cover[right]! / cover) * expectedTreeValue(tree, right, output);
}

/**
 * SHAP values of an ensemble whose output for class k is `scale x` the sum of its trees' outputs for k. A tree with
 * one output adds to class `classOfTree[t]`; a tree with three outputs adds output k to class k.
 */
export function treeShap(trees: readonly Tree[], classOfTree: Int32Array, X: FeatureMatrix, scale: number): ShapValues {
  const rowCount = X.rowCount;
  const featureCount = X.columnCount;
  const phi = new Float64Array(rowCount * featureCount * CLASS_COUNT);
  const base = new Float64Array(CLASS_COUNT);
  let maximumDepth = 0;
  for (const tree of trees) maximumDepth = Math.max(maximumDepth, treeDepth(tree));
  const path = new PathState(((maximumDepth + 2) * (maximumDepth + 3)) / 2);
  for (let index = 0; index < trees.length; index++) {
    const tree = trees[index]!;
    if (tree.outputCount === 1) base[classOfTree[index]!]! += scale * expectedTreeValue(tree);
    else for (let output = 0; output < tree.outputCount; output++) base[output]! += scale * expectedTreeValue(tree, 0, output);
  }
  const walk: Walk = { tree: trees[0]!, values: X.values, rowCount, row: 0, path, phi, phiOffset: 0, outputClass: 0, scale };
  for (let row = 0; row < rowCount; row++) {
    walk.row = row;
    walk.phiOffset = row * featureCount * CLASS_COUNT;
    for (let index = 0; index < trees.length; index++) {
      walk.tree = trees[index]!;
      walk.outputClass = classOfTree[index]!;
      recurse(walk, 0, 0, 0, 1, 1, -1);
    }
  }
  return { values: phi, base, rowCount, featureCount };
}
