/**
 * @quant/models: the histogram tree engine (gradient boosting XGBoost- and LightGBM-style, random forest, extra
 * trees) with exact TreeSHAP, behind one `Classifier` interface.
 */
export { CLASS_COUNT, validateTrainingData, validatePredictionData, resolveRowWeights } from './interface.js';
export type { Classifier, ClassWeight, FitOptions, FitProgress, ModelJson } from './interface.js';
export { modelFromJSON, registeredModelKinds } from './registry.js';
export { BinMapper, MISSING_BIN, MAX_VALUE_BINS, HISTOGRAM_BINS } from './binning.js';
export type { BinningOptions } from './binning.js';
export { Tree } from './tree/tree.js';
export type { TreeJson } from './tree/tree.js';
export { treeShap, expectedTreeValue } from './tree/shap.js';
export type { ShapValues } from './tree/shap.js';
export { GradientBoostingClassifier, LightGbmClassifier, softmaxRows } from './boosting.js';
export type { BoostingParameters } from './boosting.js';
export { RandomForestClassifier, ExtraTreesClassifier } from './forest.js';
export type { ForestParameters } from './forest.js';
export { logLoss, macroF1, accuracy, argmaxRows, recall } from './metrics.js';
