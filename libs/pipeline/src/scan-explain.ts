/**
 * Why a symbol got its signal: the features with the largest exact TreeSHAP contributions (Lundberg et al. 2018) to
 * the signal's class, per row, from the model file's explainer (the promoted tree model, or for a stack its
 * strongest tree base model).
 *
 * Only the signal's class is needed. A boosted model keeps one single-output tree per class and round (round r,
 * class k at index 3 r + k), and the SHAP values of class k come from the class-k trees alone, so each row is
 * explained with a third of the trees: the same numbers as `shapValues` (a test compares them) at a third of the
 * time. Forest trees carry all three classes in each tree; they go through `shapValues` whole.
 */
import { InvalidArgumentError, selectRows, type FeatureMatrix } from '@quant/core';
import { CLASS_COUNT, treeShap, type Classifier, type ShapValues, type Tree } from '@quant/models';

export interface TopFeature {
  readonly feature: string;
  /** The feature's value in the scored row (null when missing). */
  readonly value: number | null;
  /** Its SHAP contribution to the margin of the signal's class (positive: pushed towards the signal). */
  readonly shap: number;
}

interface ShapCapable {
  shapValues(X: FeatureMatrix): ShapValues;
  getTrees?(): readonly Tree[];
}

/** Contributions of each row's class: `rows x features`, row-major. */
export function classContributions(explainer: Classifier, X: FeatureMatrix, classes: Int8Array): Float64Array {
  const model = explainer as Classifier & Partial<ShapCapable>;
  if (typeof model.shapValues !== 'function') throw new InvalidArgumentError(`model ${explainer.kind} has no TreeSHAP`);
  const features = X.columnCount;
  const result = new Float64Array(X.rowCount * features);
  const trees = typeof model.getTrees === 'function' ? model.getTrees() : undefined;
  const perClassTrees = trees !== undefined && trees.length > 0 && trees.length % CLASS_COUNT === 0 && trees.every((tree) => tree.outputCount === 1);
  if (!perClassTrees) {
    const { values } = model.shapValues(X);
    for (let row = 0; row < X.rowCount; row++) {
      const klass = classes[row]!;
      for (let feature = 0; feature < features; feature++) result[row * features + feature] = values[(row * features + feature) * CLASS_COUNT + klass]!;
    }
    return result;
  }
  for (let klass = 0; klass < CLASS_COUNT; klass++) {
    const rows: number[] = [];
    for (let row = 0; row < X.rowCount; row++) if (classes[row] === klass) rows.push(row);
    if (rows.length === 0) continue;
    const classTrees = trees!.filter((_, index) => index % CLASS_COUNT === klass);
    const { values } = treeShap(classTrees, new Int32Array(classTrees.length).fill(klass), selectRows(X, rows), 1);
    rows.forEach((row, position) => {
      for (let feature = 0; feature < features; feature++) result[row * features + feature] = values[(position * features + feature) * CLASS_COUNT + klass]!;
    });
  }
  return result;
}

/** The `count` features with the largest absolute contribution to each row's class, largest first. */
export function topFeatures(explainer: Classifier, X: FeatureMatrix, classes: Int8Array, count = 3): TopFeature[][] {
  if (classes.length !== X.rowCount) throw new InvalidArgumentError(`${classes.length} classes for ${X.rowCount} rows`);
  for (const klass of classes) if (klass < 0 || klass >= CLASS_COUNT) throw new InvalidArgumentError(`class ${klass} is not a label code (0 SELL, 1 HOLD, 2 BUY)`);
  const contributions = classContributions(explainer, X, classes);
  const features = X.columnCount;
  const order = Array.from({ length: features }, (_, index) => index);
  const result: TopFeature[][] = [];
  for (let row = 0; row < X.rowCount; row++) {
    const offset = row * features;
    const ranked = order
      .filter((feature) => contributions[offset + feature] !== 0)
      .sort((a, b) => Math.abs(contributions[offset + b]!) - Math.abs(contributions[offset + a]!) || a - b)
      .slice(0, count);
    result.push(
      ranked.map((feature) => {
        const value = X.values[feature * X.rowCount + row]!;
        return { feature: X.columns[feature]!, value: Number.isFinite(value) ? value : null, shap: contributions[offset + feature]! };
      }),
    );
  }
  return result;
}
