/**
 * Multilayer perceptron classifier: standardised inputs (see standardize.ts) -> fully connected ReLU hidden layers
 * (default 64, 32) -> 3 softmax outputs, trained on the weighted cross-entropy by mini-batch Adam, with L2 weight
 * decay, optional dropout and early stopping. Hand-written in float64 and synchronous (see "Why not TensorFlow.js").
 *
 * As scikit-learn's MLPClassifier (the reference: hidden (64, 32), alpha 1e-3, batch 256, Adam lr 1e-3, early
 * stopping):
 * - Initialisation: Glorot uniform, weights and biases ~ U(-b, b) with b = sqrt(6 / (fan in + fan out)).
 * - Batch gradient: (sum over the batch of w~_i d loss_i + alpha W) / batch rows, where w~_i = row weight / mean row
 *   weight (so unit weights give scikit-learn's gradient, and scaling all weights changes nothing); biases are not
 *   decayed. Rows are reshuffled every epoch with the seeded generator.
 * - Adam (Kingma & Ba 2015) with beta1 0.9, beta2 0.999, epsilon 1e-8 in scikit-learn's form:
 *   step = lr sqrt(1 - beta2^t) / (1 - beta1^t) x m / (sqrt(v) + epsilon).
 * - Early stopping: after each epoch the weighted log loss on held-out rows is measured; training stops once it
 *   has not improved by `tolerance` for `patience` epochs, and the weights of the best epoch are kept.
 *   Differences from scikit-learn: the held-out rows are the last `validationFraction` of the rows (the most recent
 *   ones when rows are in time order, as the pipeline's matrices are; 'stratified' draws a seeded stratified sample
 *   instead, as scikit-learn does), or `options.validation` when given; and the criterion is log loss, not accuracy
 *   (the models are judged on their probabilities). Without early stopping, the epoch's mean training loss is used
 *   the same way but the last weights are kept.
 * - Dropout (Srivastava et al. 2014, inverted): during training each hidden unit's output is zeroed with
 *   probability `dropout` and the others scaled by 1 / (1 - dropout); off at prediction. scikit-learn has none
 *   (default 0).
 *
 * Determinism: every random draw (initial weights, split, shuffles, dropout masks) comes from one seeded generator
 * in a fixed order, and every sum runs in a fixed order, so the same data and seed give the same model bit for bit.
 *
 * Why not TensorFlow.js: measured on this machine (reference fold, 50,000 x 52 rows, batch 256, layers 64 and 32),
 * the tfjs 4.22 wasm backend took 1.5-1.7 s per epoch (no wasm threads under Node; per-op overhead dominates at
 * these sizes), its cpu backend 5.1-5.5 s, a plain TypeScript float64 version 0.78 s of CPU time; this one, whose
 * products run in a hand-assembled WebAssembly SIMD kernel (see network.ts and simd-kernel.ts), 0.22 s. tfjs also
 * needs an asynchronous backend start (`await tf.setBackend('wasm')`) while `Classifier.fit` is synchronous, installs
 * process-wide uncaughtException handlers (Emscripten) and prints to the console (cpu backend), which a library
 * must not do.
 */
import { FormatError, InvalidArgumentError, StateError, createRandom, describeValue, type FeatureMatrix, type Random } from '@quant/core';
import {
  CLASS_COUNT,
  requireInteger,
  requireRange,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from '../interface.js';
import { normaliseToSum, readFloat64, readParameters } from '../linear/shared.js';
import { argmaxRows } from '../metrics.js';
import { Standardizer } from '../standardize.js';
import { PaddedNetwork, type Layer } from './network.js';

export interface MlpParameters {
  /** Units of each hidden layer, input side first. */
  hiddenLayers: number[];
  /** L2 weight decay (scikit-learn's alpha). */
  alpha: number;
  /** Probability of dropping a hidden unit during training (0 = no dropout). */
  dropout: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  earlyStopping: boolean;
  /** Share of the rows held out for early stopping (when no `options.validation` is given). */
  validationFraction: number;
  /** 'tail': the last rows; 'stratified': a seeded sample with the class mix of the data. */
  validationSplit: 'tail' | 'stratified';
  /** Epochs without an improvement of at least `tolerance` before stopping (scikit-learn's n_iter_no_change). */
  patience: number;
  tolerance: number;
  seed: number;
}

const FORMAT_VERSION = 1;
/** Rows (evenly spaced) of the training data on which the input sensitivities (feature importance) are averaged. */
const IMPORTANCE_ROWS = 2000;
/** Probabilities are clipped to [1e-15, 1] in the loss, as scikit-learn's log loss. */
const PROBABILITY_FLOOR = 1e-15;


export class MlpClassifier implements Classifier {
  static readonly kind = 'mlp';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = MlpClassifier.kind;
  readonly parameters: MlpParameters;
  private standardizer: Standardizer | undefined;
  private layers: Layer[] = [];
  private importance: Float64Array = new Float64Array(0);
  /** Epochs run in the last fit, and the epoch whose weights were kept (1-based). */
  epochsTrained = 0;
  bestEpoch = 0;
  /** Early-stopping loss after each epoch (held-out log loss, or mean training loss without early stopping). */
  validationLoss: number[] = [];

  constructor(parameters: Partial<MlpParameters> = {}) {
    this.parameters = {
      hiddenLayers: [64, 32],
      alpha: 1e-3,
      dropout: 0,
      learningRate: 1e-3,
      batchSize: 256,
      maxEpochs: 200,
      earlyStopping: true,
      validationFraction: 0.1,
      validationSplit: 'tail',
      patience: 10,
      tolerance: 1e-4,
      seed: 0,
      ...parameters,
    };
    const p = this.parameters;
    if (!Array.isArray(p.hiddenLayers) || p.hiddenLayers.length === 0) {
      throw new InvalidArgumentError(`hiddenLayers must be a non-empty array of unit counts, got ${describeValue(p.hiddenLayers)}`);
    }
    p.hiddenLayers.forEach((units, index) => requireInteger(`hiddenLayers[${index}]`, units, 1));
    this.parameters.hiddenLayers = [...p.hiddenLayers];
    requireRange('alpha', p.alpha, 0, Number.MAX_VALUE);
    if (!(p.dropout >= 0 && p.dropout < 1)) throw new InvalidArgumentError(`dropout must be in [0, 1), got ${describeValue(p.dropout)}`);
    requireRange('learningRate', p.learningRate, Number.MIN_VALUE, Number.MAX_VALUE);
    requireInteger('batchSize', p.batchSize, 1);
    requireInteger('maxEpochs', p.maxEpochs, 1);
    if (typeof p.earlyStopping !== 'boolean') throw new InvalidArgumentError(`earlyStopping must be a boolean, got ${describeValue(p.earlyStopping)}`);
    if (!(p.validationFraction > 0 && p.validationFraction < 1)) {
      throw new InvalidArgumentError(`validationFraction must be in (0, 1), got ${describeValue(p.validationFraction)}`);
    }
    if (p.validationSplit !== 'tail' && p.validationSplit !== 'stratified') {
      throw new InvalidArgumentError(`validationSplit must be 'tail' or 'stratified', got ${describeValue(p.validationSplit)}`);
    }
    requireInteger('patience', p.patience, 1);
    requireRange('tolerance', p.tolerance, 0, Number.MAX_VALUE);
    requireInteger('seed', p.seed, -(2 ** 31));
  }

  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const rowWeights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const p = this.parameters;
    const random = createRandom(p.seed);
    const standardizer = Standardizer.fit(X);
    const Z = standardizer.transform(X);
    const featureCount = X.columnCount;
    const layers = initialLayers([featureCount, ...p.hiddenLayers, CLASS_COUNT], random);

    // Training and held-out rows (rows of weight 0 take no part).
    let trainingRows: Int32Array;
    let held: HeldOut | undefined;
    if (options.validation !== undefined) {
      const validation = options.validation;
      validateTrainingData(validation.X, validation.y, 'validation data');
      validatePredictionData(validation.X, featureCount);
      trainingRows = positiveRows(rowWeights, () => true);
      held = {
        Z: standardizer.transform(validation.X),
        rows: Int32Array.from({ length: validation.y.length }, (_, row) => row),
        y: validation.y,
        weights: resolveRowWeights(validation.y, undefined, options.classWeight),
      };
    } else if (p.earlyStopping) {
      const heldOut = heldOutMask(y, rowWeights, p, random);
      trainingRows = positiveRows(rowWeights, (row) => heldOut[row] === 0);
      held = { Z, rows: positiveRows(rowWeights, (row) => heldOut[row] === 1), y, weights: rowWeights };
    } else {
      trainingRows = positiveRows(rowWeights, () => true);
    }
    if (!p.earlyStopping) held = undefined;

    const network = new PaddedNetwork(layers, Math.min(p.batchSize, trainingRows.length), true);
    let meanWeight = 0;
    for (const row of trainingRows) meanWeight += rowWeights[row]!;
    meanWeight /= trainingRows.length;

    const best = layers.map((layer) => ({ weights: layer.weights.slice(), biases: layer.biases.slice() }));
    let bestLoss = Infinity;
    let bestEpoch = 0;
    let stale = 0;
    const losses: number[] = [];
    let epoch = 0;
    while (epoch < p.maxEpochs) {
      random.shuffle(trainingRows);
      const trainingLoss = trainEpoch(network, Z, featureCount, trainingRows, y, rowWeights, 1 / meanWeight, p, random);
      epoch++;
      const current = network.export();
      const loss = held === undefined ? trainingLoss : heldOutLogLoss(current, held, featureCount);
      losses.push(loss);
      options.onProgress?.({ completed: epoch, total: p.maxEpochs, ...(held === undefined ? {} : { validationLoss: loss }) });
      if (!(loss < Infinity)) break; // diverged (NaN or overflow): keep the best epoch so far
      stale = loss > bestLoss - p.tolerance ? stale + 1 : 0;
      if (loss < bestLoss) {
        bestLoss = loss;
        bestEpoch = epoch;
        current.forEach((layer, index) => (best[index]!.weights.set(layer.weights), best[index]!.biases.set(layer.biases)));
      }
      if (stale >= p.patience) break;
    }
    // Early stopping keeps the best epoch; without it, the last one (unless training diverged).
    const final = network.export();
    if (held !== undefined || !(losses[losses.length - 1]! < Infinity)) {
      final.forEach((layer, index) => (layer.weights.set(best[index]!.weights), layer.biases.set(best[index]!.biases)));
    } else {
      bestEpoch = epoch;
    }
    this.standardizer = standardizer;
    this.layers = final;
    this.epochsTrained = epoch;
    this.bestEpoch = bestEpoch;
    this.validationLoss = losses;
    this.importance = inputSensitivity(final, Z, featureCount, trainingRows.slice().sort());
    return this;
  }

  private requireFitted(): Standardizer {
    if (this.standardizer === undefined) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
    return this.standardizer;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const standardizer = this.requireFitted();
    validatePredictionData(X, standardizer.columnCount);
    const Z = standardizer.transform(X);
    const rows = Int32Array.from({ length: X.rowCount }, (_, row) => row);
    return forwardProbabilities(this.layers, Z, standardizer.columnCount, rows);
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  /**
   * Mean over (up to 2,000 evenly spaced) training rows of sum_k |d p_k / d z_j|, the sensitivity of the predicted
   * probabilities to each standardised input, normalised to sum to 1 (computed at the end of fit and stored).
   * `permutationImportance` measures the effect on a metric instead.
   */
  featureImportance(): Float64Array {
    this.requireFitted();
    return this.importance.slice();
  }

  toJSON(): ModelJson {
    const standardizer = this.requireFitted();
    return {
      kind: this.kind,
      formatVersion: FORMAT_VERSION,
      parameters: { ...this.parameters, hiddenLayers: [...this.parameters.hiddenLayers] },
      standardizer: standardizer.toJSON(),
      layers: this.layers.map((layer) => ({ inputs: layer.inputs, outputs: layer.outputs, weights: Array.from(layer.weights), biases: Array.from(layer.biases) })),
      importance: Array.from(this.importance),
      epochsTrained: this.epochsTrained,
      bestEpoch: this.bestEpoch,
    };
  }

  static fromJSON(json: ModelJson): MlpClassifier {
    const model = new MlpClassifier(readParameters<MlpParameters>(json, MlpClassifier.kind));
    const kind = model.kind;
    const standardizer = Standardizer.fromJSON(json['standardizer']);
    const sizes = [standardizer.columnCount, ...model.parameters.hiddenLayers, CLASS_COUNT];
    const layers = json['layers'];
    if (!Array.isArray(layers) || layers.length !== sizes.length - 1) {
      throw new FormatError(`a stored ${kind} needs "layers": ${sizes.length - 1} layers for sizes ${sizes.join(' -> ')}`);
    }
    model.layers = layers.map((layer: unknown, index) => {
      if (typeof layer !== 'object' || layer === null) throw new FormatError(`a stored ${kind} layer is an object, got ${describeValue(layer)}`);
      const record = layer as Record<string, unknown>;
      const inputs = sizes[index]!;
      const outputs = sizes[index + 1]!;
      if (record['inputs'] !== inputs || record['outputs'] !== outputs) {
        throw new FormatError(`a stored ${kind} layer ${index} must map ${inputs} inputs to ${outputs} outputs`);
      }
      return { inputs, outputs, weights: readFloat64(record, 'weights', inputs * outputs, kind), biases: readFloat64(record, 'biases', outputs, kind) };
    });
    model.importance = readFloat64(json, 'importance', standardizer.columnCount, kind);
    for (const key of ['epochsTrained', 'bestEpoch'] as const) {
      const value = json[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new FormatError(`a stored ${kind} needs a non-negative integer ${describeValue(key)}`);
      model[key] = value;
    }
    model.standardizer = standardizer;
    return model;
  }
}

interface HeldOut {
  /** Row-major standardised rows (indexed through `rows`). */
  readonly Z: Float64Array;
  readonly rows: Int32Array;
  readonly y: Int8Array;
  readonly weights: Float64Array;
}

function initialLayers(sizes: readonly number[], random: Random): Layer[] {
  const layers: Layer[] = [];
  for (let index = 0; index + 1 < sizes.length; index++) {
    const inputs = sizes[index]!;
    const outputs = sizes[index + 1]!;
    const bound = Math.sqrt(6 / (inputs + outputs));
    const weights = new Float64Array(inputs * outputs);
    for (let slot = 0; slot < weights.length; slot++) weights[slot] = (2 * random.next() - 1) * bound;
    const biases = new Float64Array(outputs);
    for (let slot = 0; slot < outputs; slot++) biases[slot] = (2 * random.next() - 1) * bound;
    layers.push({ inputs, outputs, weights, biases });
  }
  return layers;
}

function positiveRows(rowWeights: Float64Array, keep: (row: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let row = 0; row < rowWeights.length; row++) if (rowWeights[row]! > 0 && keep(row)) rows.push(row);
  return Int32Array.from(rows);
}

/** 1 for held-out rows: the last share of the weighted rows ('tail'), or a seeded per-class sample ('stratified'). */
function heldOutMask(y: Int8Array, rowWeights: Float64Array, p: MlpParameters, random: Random): Uint8Array {
  const mask = new Uint8Array(y.length);
  const weighted = positiveRows(rowWeights, () => true);
  if (weighted.length < 2) throw new InvalidArgumentError(`early stopping needs at least 2 rows of positive weight, got ${weighted.length}`);
  const count = Math.min(weighted.length - 1, Math.max(1, Math.round(p.validationFraction * weighted.length)));
  if (p.validationSplit === 'tail') {
    for (let index = weighted.length - count; index < weighted.length; index++) mask[weighted[index]!] = 1;
    return mask;
  }
  for (let label = 0; label < CLASS_COUNT; label++) {
    const rows = Int32Array.from(Array.from(weighted).filter((row) => y[row] === label));
    random.shuffle(rows);
    const take = Math.round((rows.length * count) / weighted.length);
    for (let index = 0; index < take; index++) mask[rows[index]!] = 1;
  }
  return mask;
}

/** Rows per block at prediction. */
const PREDICTION_CHUNK = 1024;

/** Row-major probabilities of `rows` of a standardised row-major matrix. */
function forwardProbabilities(layers: readonly Layer[], Z: Float64Array, featureCount: number, rows: Int32Array): Float64Array {
  const network = new PaddedNetwork(layers, Math.min(PREDICTION_CHUNK, Math.max(1, rows.length)), false);
  const probabilities = new Float64Array(rows.length * CLASS_COUNT);
  for (let start = 0; start < rows.length; start += network.capacity) {
    const count = Math.min(network.capacity, rows.length - start);
    network.loadRows(Z, featureCount, rows, start, count);
    network.forward(count);
    for (let index = 0; index < count; index++) {
      for (let label = 0; label < CLASS_COUNT; label++) probabilities[(start + index) * CLASS_COUNT + label] = network.probability(index, label);
    }
  }
  return probabilities;
}

/** Weighted mean log loss of held-out rows. */
function heldOutLogLoss(layers: readonly Layer[], held: HeldOut, featureCount: number): number {
  const probabilities = forwardProbabilities(layers, held.Z, featureCount, held.rows);
  let loss = 0;
  let total = 0;
  for (let index = 0; index < held.rows.length; index++) {
    const row = held.rows[index]!;
    const weight = held.weights[row]!;
    loss -= weight * Math.log(Math.max(probabilities[index * CLASS_COUNT + held.y[row]!]!, PROBABILITY_FLOOR));
    total += weight;
  }
  return loss / total;
}

/** One pass over `rows` (already shuffled) in mini-batches; returns the mean weighted training loss. */
function trainEpoch(
  network: PaddedNetwork,
  Z: Float64Array,
  featureCount: number,
  rows: Int32Array,
  y: Int8Array,
  rowWeights: Float64Array,
  weightScale: number,
  p: MlpParameters,
  random: Random,
): number {
  let totalLoss = 0;
  const keepScale = 1 / (1 - p.dropout);
  const width = network.outputWidth;
  for (let start = 0; start < rows.length; start += network.capacity) {
    const count = Math.min(network.capacity, rows.length - start);
    network.loadRows(Z, featureCount, rows, start, count);
    network.forward(count, p.dropout, random);
    // Output deltas (p - onehot) x w~ / count; rows past `count` stay 0.
    const delta = network.outputDelta();
    delta.fill(0);
    for (let index = 0; index < count; index++) {
      const row = rows[start + index]!;
      const label = y[row]!;
      const weight = rowWeights[row]! * weightScale;
      totalLoss -= weight * Math.log(Math.max(network.probability(index, label), PROBABILITY_FLOOR));
      const scale = weight / count;
      for (let k = 0; k < CLASS_COUNT; k++) delta[index * width + k] = (network.probability(index, k) - (k === label ? 1 : 0)) * scale;
    }
    network.backward(count, p.alpha / count, keepScale);
    network.step(p.learningRate);
  }
  return totalLoss / rows.length;
}

/**
 * sum_k |d p_k / d z_j| averaged over up to IMPORTANCE_ROWS evenly spaced training rows, normalised to sum to 1.
 */
function inputSensitivity(layers: readonly Layer[], Z: Float64Array, featureCount: number, trainingRows: Int32Array): Float64Array {
  const sampled = Math.min(trainingRows.length, IMPORTANCE_ROWS);
  const rows = Int32Array.from({ length: sampled }, (_, index) => trainingRows[Math.floor((index * trainingRows.length) / sampled)]!);
  const network = new PaddedNetwork(layers, Math.min(PREDICTION_CHUNK, sampled), true);
  const importance = new Float64Array(featureCount);
  for (let start = 0; start < sampled; start += network.capacity) {
    const count = Math.min(network.capacity, sampled - start);
    network.loadRows(Z, featureCount, rows, start, count);
    network.forward(count);
    network.addInputSensitivity(count, importance);
  }
  return normaliseToSum(importance);
}
