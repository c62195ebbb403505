/**
 * SHAP importances: mean absolute TreeSHAP contribution of each feature, over all classes and per class (exact
 * path-dependent TreeSHAP from @quant/models; Lundberg et al. 2018).
 */
import { InvalidArgumentError, LABELS, type FeatureMatrix } from '@quant/core';
import type { Classifier, ShapValues } from '@quant/models';
import { ReportingClassifier } from './progress-model.js';

export interface ShapEntry {
  readonly feature: string;
  readonly meanAbsShap: number;
}

export interface ShapImportance {
  readonly model: string;
  /** Why this model was explained (the promoted model, or the strongest tree model of the stack). */
  readonly note: string;
  readonly rows: number;
  /** Sorted by importance, largest first. ALL sums the absolute contributions of the three classes. */
  readonly byClass: Readonly<Record<'ALL' | 'SELL' | 'HOLD' | 'BUY', readonly ShapEntry[]>>;
}

interface ShapCapable {
  shapValues(X: FeatureMatrix): ShapValues;
}

function unwrap(model: Classifier): Classifier {
  return model instanceof ReportingClassifier ? unwrap(model.inner) : model;
}

export function hasShap(model: Classifier): boolean {
  return typeof (unwrap(model) as Partial<ShapCapable>).shapValues === 'function';
}

export function shapImportance(model: Classifier, X: FeatureMatrix, name: string, note: string): ShapImportance {
  const inner = unwrap(model) as Classifier & Partial<ShapCapable>;
  if (typeof inner.shapValues !== 'function') throw new InvalidArgumentError(`model ${name} (${inner.kind}) has no TreeSHAP`);
  const { values } = inner.shapValues(X);
  const features = X.columnCount;
  const sums = [new Float64Array(features), new Float64Array(features), new Float64Array(features), new Float64Array(features)];
  for (let row = 0; row < X.rowCount; row++) {
    for (let feature = 0; feature < features; feature++) {
      const offset = (row * features + feature) * 3;
      let all = 0;
      for (let klass = 0; klass < 3; klass++) {
        const magnitude = Math.abs(values[offset + klass]!);
        sums[klass + 1]![feature]! += magnitude;
        all += magnitude;
      }
      sums[0]![feature]! += all;
    }
  }
  const ranked = (sum: Float64Array): ShapEntry[] =>
    X.columns.map((feature, index) => ({ feature, meanAbsShap: sum[index]! / X.rowCount })).sort((a, b) => b.meanAbsShap - a.meanAbsShap);
  return {
    model: name,
    note,
    rows: X.rowCount,
    byClass: { ALL: ranked(sums[0]!), [LABELS[0]]: ranked(sums[1]!), [LABELS[1]]: ranked(sums[2]!), [LABELS[2]]: ranked(sums[3]!) } as ShapImportance['byClass'],
  };
}
