/**
 * `modelFromJSON`: rebuilds any model of this package from its `toJSON()` output. The registry is an explicit table
 * (no import-time side effects), so a bundler cannot drop a model kind that stored JSON may name.
 */
import { FormatError, IncompatibleVersionError, describeValue } from '@quant/core';
import { GradientBoostingClassifier, LightGbmClassifier, XgBoostClassifier } from './boosting.js';
import { ExtraTreesClassifier, RandomForestClassifier } from './forest.js';
import type { Classifier, ModelJson } from './interface.js';
import { LogisticRegressionClassifier } from './linear/logistic.js';
import { LinearSvmClassifier } from './linear/svm.js';
import { GaussianNaiveBayesClassifier } from './naive-bayes.js';
import { MlpClassifier } from './neural/mlp.js';

interface RegistryEntry {
  readonly formatVersion: number;
  readonly read: (json: ModelJson) => Classifier;
}

const REGISTRY: ReadonlyMap<string, RegistryEntry> = new Map<string, RegistryEntry>([
  [GradientBoostingClassifier.kind, { formatVersion: GradientBoostingClassifier.formatVersion, read: (json) => GradientBoostingClassifier.fromJSON(json) }],
  [XgBoostClassifier.kind, { formatVersion: XgBoostClassifier.formatVersion, read: (json) => XgBoostClassifier.fromJSON(json) }],
  [LightGbmClassifier.kind, { formatVersion: LightGbmClassifier.formatVersion, read: (json) => LightGbmClassifier.fromJSON(json) }],
  [RandomForestClassifier.kind, { formatVersion: RandomForestClassifier.formatVersion, read: (json) => RandomForestClassifier.fromJSON(json) }],
  [ExtraTreesClassifier.kind, { formatVersion: ExtraTreesClassifier.formatVersion, read: (json) => ExtraTreesClassifier.fromJSON(json) }],
  [LogisticRegressionClassifier.kind, { formatVersion: LogisticRegressionClassifier.formatVersion, read: (json) => LogisticRegressionClassifier.fromJSON(json) }],
  [LinearSvmClassifier.kind, { formatVersion: LinearSvmClassifier.formatVersion, read: (json) => LinearSvmClassifier.fromJSON(json) }],
  [GaussianNaiveBayesClassifier.kind, { formatVersion: GaussianNaiveBayesClassifier.formatVersion, read: (json) => GaussianNaiveBayesClassifier.fromJSON(json) }],
  [MlpClassifier.kind, { formatVersion: MlpClassifier.formatVersion, read: (json) => MlpClassifier.fromJSON(json) }],
]);

/** The model kinds `modelFromJSON` can read. */
export function registeredModelKinds(): string[] {
  return [...REGISTRY.keys()].sort();
}

/** Rebuilds a model from `toJSON()` output (also after JSON.stringify / JSON.parse). */
export function modelFromJSON(json: unknown): Classifier {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(`a stored model is a JSON object, got ${describeValue(json)}`);
  }
  const { kind, formatVersion } = json as { kind?: unknown; formatVersion?: unknown };
  if (typeof kind !== 'string') throw new FormatError(`a stored model needs a string "kind", got ${describeValue(kind)}`);
  const entry = REGISTRY.get(kind);
  if (entry === undefined) {
    throw new FormatError(`unknown model kind ${describeValue(kind)}; known kinds: ${registeredModelKinds().join(', ')}`);
  }
  if (formatVersion !== entry.formatVersion) {
    throw new IncompatibleVersionError(
      `model kind ${describeValue(kind)} has format version ${describeValue(formatVersion)}; this code reads version ${entry.formatVersion}`,
    );
  }
  return entry.read(json as ModelJson);
}
