/**
 * @quant/models: the histogram tree engine (first-order gradient boosting, XGBoost- and LightGBM-style boosting,
 * random forest, extra trees) with exact TreeSHAP, and the non-tree models (multinomial logistic regression, linear SVM with calibrated
 * probabilities and optional random Fourier features, Gaussian naive Bayes, MLP), behind one `Classifier` interface.
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
export { GradientBoostingClassifier, XgBoostClassifier, LightGbmClassifier, softmaxRows } from './boosting.js';
export type { BoostingParameters } from './boosting.js';
export { RandomForestClassifier, ExtraTreesClassifier } from './forest.js';
export type { ForestParameters } from './forest.js';
export { logLoss, macroF1, accuracy, argmaxRows, recall } from './metrics.js';
export { Standardizer } from './standardize.js';
export type { StandardizerJson } from './standardize.js';
export { LogisticRegressionClassifier } from './linear/logistic.js';
export type { LogisticRegressionParameters } from './linear/logistic.js';
export { LinearSvmClassifier } from './linear/svm.js';
export type { LinearSvmParameters } from './linear/svm.js';
export { GaussianNaiveBayesClassifier } from './naive-bayes.js';
export type { NaiveBayesParameters } from './naive-bayes.js';
export { MlpClassifier } from './neural/mlp.js';
export type { MlpParameters } from './neural/mlp.js';
export { permutationImportance } from './importance.js';
export type { PermutationImportance, PermutationImportanceOptions, ProbabilityScore } from './importance.js';
