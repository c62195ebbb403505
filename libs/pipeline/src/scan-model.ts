/**
 * The model a scan uses: the latest promoted model of the database, its file, the restored classifier and the tree
 * model whose TreeSHAP values explain each score. A scan refuses, with a typed error that says what to do, when no
 * model has been promoted or when the model was trained on features other than the ones this code computes (its
 * scores would silently mean nothing).
 */
import { existsSync } from 'node:fs';
import { FormatError, IncompatibleVersionError, NotFoundError, describeValue } from '@quant/core';
import type { PromotionDecision, QuantDatabase } from '@quant/db';
import { TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION } from '@quant/features';
import { modelFromJSON, type Classifier, type ModelJson } from '@quant/models';
import { StackingClassifier, stackingFromJSON } from '@quant/stacking';
import { readPromotedModelFile, type PromotedModelFile } from './artifact.js';
import { hasShap } from './explain.js';

const TRAIN_COMMAND = 'npx nx run trainer:train';

/** No model has been promoted yet (or the database does not exist): train one first. */
export class NoPromotedModelError extends NotFoundError {}

/** The promoted model was trained on another feature set than the features code computes: retrain it. */
export class FeatureSetMismatchError extends IncompatibleVersionError {}

export interface ScanModel {
  readonly promotion: PromotionDecision;
  /** `promotion.modelId`: the id predictions, sector rows and drift rows are stored under. */
  readonly modelId: string;
  readonly path: string;
  readonly file: PromotedModelFile;
  readonly classifier: Classifier;
  /** The tree model explaining scores (the promoted one, or the named base model of a stack); null when none. */
  readonly explainer: Classifier | null;
  readonly explainerName: string | null;
  /** For each of the file's columns, its index among the technical features. */
  readonly technicalIndex: Int32Array;
}

/** Checks that the database exists before opening it (opening would create an empty one). */
export function requireDatabaseFile(path: string): void {
  if (!existsSync(path)) {
    throw new NoPromotedModelError(`no database at ${path}, so no model has been promoted yet: run \`${TRAIN_COMMAND}\` first (or pass --db <path> of the trainer's database)`, {
      details: { databasePath: path },
    });
  }
}

/** The latest promoted model, restored and checked against the features code. */
export function loadScanModel(database: QuantDatabase): ScanModel {
  const promotion = database.runs.promotedModel();
  if (promotion === undefined) {
    throw new NoPromotedModelError(
      `no model has been promoted in ${database.path}: run \`${TRAIN_COMMAND}\`; a model is promoted when it beats both baselines (see the trainer's summary)`,
      { details: { databasePath: database.path } },
    );
  }
  if (promotion.artifactPath === null) {
    throw new FormatError(`promoted model ${promotion.modelId} has no model file recorded in ${database.path}; run \`${TRAIN_COMMAND}\` again`, {
      details: { modelId: promotion.modelId },
    });
  }
  if (!existsSync(promotion.artifactPath)) {
    throw new NotFoundError(
      `the file of promoted model ${promotion.modelId} is missing: ${promotion.artifactPath} (moved or deleted?); run \`${TRAIN_COMMAND}\` again, or restore the file`,
      { details: { modelId: promotion.modelId, path: promotion.artifactPath } },
    );
  }
  const file = readPromotedModelFile(promotion.artifactPath);
  checkFeatureSet(file, promotion);
  const classifier = restoreClassifier(file.classifier, promotion.artifactPath);
  const explainer = restoreExplainer(file, classifier, promotion.artifactPath);
  const positions = new Map(TECHNICAL_FEATURE_NAMES.map((name, index) => [name, index]));
  return {
    promotion,
    modelId: promotion.modelId,
    path: promotion.artifactPath,
    file,
    classifier,
    explainer,
    explainerName: explainer === null ? null : file.explainer,
    technicalIndex: Int32Array.from(file.columns, (name) => positions.get(name)!),
  };
}

/**
 * The model's features must be exactly the ones this code computes: same feature-set version (a hash of every
 * feature's name, parameters and formula), and every column known. Event features are not computed by the scanner
 * yet, so a model that uses them is refused rather than scored with missing inputs.
 */
function checkFeatureSet(file: PromotedModelFile, promotion: PromotionDecision): void {
  const current = TECHNICAL_FEATURE_SET_VERSION;
  const details = { modelId: promotion.modelId, modelFeatureSetVersion: file.featureSetVersion, codeFeatureSetVersion: current };
  if (promotion.featureSetVersion !== file.featureSetVersion) {
    throw new FeatureSetMismatchError(
      `promoted model ${promotion.modelId} is recorded with feature set ${promotion.featureSetVersion} but its file ${promotion.artifactPath} says ${file.featureSetVersion}; ` +
        `the file does not belong to this promotion: run \`${TRAIN_COMMAND}\` again`,
      { details },
    );
  }
  const known = new Set(TECHNICAL_FEATURE_NAMES);
  const unknown = file.columns.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new FeatureSetMismatchError(
      `promoted model ${promotion.modelId} uses ${unknown.length} feature(s) the scanner does not compute (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}), ` +
        `feature set ${file.featureSetVersion}; the scanner computes the technical features (${current}): retrain without event features (\`${TRAIN_COMMAND} -- --no-events\`)`,
      { details: { ...details, unknownColumns: unknown } },
    );
  }
  if (file.featureSetVersion !== current) {
    throw new FeatureSetMismatchError(
      `promoted model ${promotion.modelId} was trained on feature set ${file.featureSetVersion}, but this code computes ${current}: ` +
        `the features changed since training, so its scores would be meaningless. Retrain with \`${TRAIN_COMMAND}\` (the new model is promoted when it passes the gate)`,
      { details },
    );
  }
}

function restoreClassifier(json: ModelJson, path: string): Classifier {
  try {
    return json.kind === 'stacking' ? stackingFromJSON(json) : modelFromJSON(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof IncompatibleVersionError) throw new IncompatibleVersionError(`${path}: ${message}; retrain with \`${TRAIN_COMMAND}\``, { cause: error });
    throw new FormatError(`${path}: cannot restore the classifier: ${message}`, { cause: error });
  }
}

/** The file's explainer: the promoted model itself, or the stack's base model of that name (a tree model). */
function restoreExplainer(file: PromotedModelFile, classifier: Classifier, path: string): Classifier | null {
  if (file.explainer === null) return null;
  let explainer: Classifier;
  if (file.explainer === file.model) {
    explainer = classifier;
  } else if (classifier instanceof StackingClassifier) {
    try {
      explainer = classifier.baseModel(file.explainer);
    } catch (error) {
      throw new FormatError(`${path}: explainer ${describeValue(file.explainer)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } else {
    throw new FormatError(`${path}: explainer ${describeValue(file.explainer)} is neither the promoted model ${file.model} nor a base model of a stack`);
  }
  if (!hasShap(explainer)) throw new FormatError(`${path}: explainer ${describeValue(file.explainer)} (${explainer.kind}) is not a tree model with TreeSHAP`);
  return explainer;
}
