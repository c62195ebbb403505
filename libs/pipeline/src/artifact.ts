/**
 * The promoted model's file: what the scanner needs to score new data exactly as the trainer evaluated it (the
 * classifier, the feature columns and their version, the label settings) and to watch drift (the training
 * distribution of each feature).
 */
import { readFileSync } from 'node:fs';
import { FormatError, IncompatibleVersionError, describeValue } from '@quant/core';
import type { ModelJson } from '@quant/models';
import type { FeatureReference } from './drift.js';
import type { LabelSettings } from './options.js';

export const MODEL_FILE_FORMAT_VERSION = 1;

export interface PromotedModelFile {
  readonly formatVersion: number;
  readonly runId: string;
  /** Zoo name of the promoted model ('stacking', 'lightgbm', ...). */
  readonly model: string;
  readonly featureSetVersion: string;
  readonly columns: readonly string[];
  readonly labels: LabelSettings;
  /** Last date of the training data, ISO. */
  readonly trainedThrough: string;
  readonly universe: string;
  /** Tree model (the promoted one, or the stack's strongest tree base model) whose SHAP values explain each score. */
  readonly explainer: string | null;
  readonly featureReferences: readonly FeatureReference[];
  /** The classifier's own JSON: a @quant/models kind, or a @quant/stacking 'stacking' model. */
  readonly classifier: ModelJson;
}

/** Reads and checks a model file; FormatError names the file and the problem. */
export function readPromotedModelFile(path: string): PromotedModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FormatError(`cannot read the model file ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const file = parsed as Partial<PromotedModelFile>;
  if (typeof parsed !== 'object' || parsed === null) throw new FormatError(`${path}: a model file is a JSON object`);
  if (file.formatVersion !== MODEL_FILE_FORMAT_VERSION) {
    throw new IncompatibleVersionError(`${path}: model file format ${describeValue(file.formatVersion)}; this code reads ${MODEL_FILE_FORMAT_VERSION}`);
  }
  for (const key of ['runId', 'model', 'featureSetVersion', 'trainedThrough', 'universe'] as const) {
    if (typeof file[key] !== 'string') throw new FormatError(`${path}: field ${key} must be a string, got ${describeValue(file[key])}`);
  }
  if (!Array.isArray(file.columns) || file.columns.some((column) => typeof column !== 'string')) throw new FormatError(`${path}: columns must be a list of names`);
  if (!Array.isArray(file.featureReferences)) throw new FormatError(`${path}: featureReferences must be a list`);
  if (typeof file.classifier !== 'object' || file.classifier === null || typeof file.classifier.kind !== 'string') {
    throw new FormatError(`${path}: classifier must be a stored model with a kind`);
  }
  return file as PromotedModelFile;
}
