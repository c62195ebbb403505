/**
 * Full-fold comparison of the non-tree models with their scikit-learn references (see reference-fold.ts for the tree
 * models). Run from libs/models: `npx tsx scripts/reference-fold-linear.ts [model ...] [--balanced]`. Reads
 * ../shared/data/reference-fold (skips when absent) and prints one line per model: training seconds, test macro-F1
 * and log loss, next to the reference numbers from the fold's manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRandom, selectRows, type FeatureMatrix } from '@quant/core';
import { fromRowMajor } from '../src/__fixtures__/reference-sample.js';
import { accuracy, argmaxRows, logLoss, macroF1, type Classifier } from '../src/index.js';
import { GaussianNaiveBayesClassifier, LinearSvmClassifier, LogisticRegressionClassifier, MlpClassifier } from '../src/index.js';

const folder = new URL('../../../../shared/data/reference-fold/', import.meta.url);
const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (!existsSync(new URL('manifest.json', folder))) {
  write('reference fold not found (../shared/data/reference-fold); nothing to compare');
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as {
  features: string[];
  reference_train_seconds_2_cores: Record<string, number>;
  reference_test_metrics: Record<string, { macro_f1: number; log_loss: number }>;
};
const FEATURES = 52;
function load(name: string): { X: FeatureMatrix; y: Int8Array } {
  const bytes = readFileSync(new URL(`X_${name}.f32`, folder));
  const labels = readFileSync(new URL(`y_${name}.i8`, folder));
  const y = new Int8Array(labels.buffer, labels.byteOffset, labels.byteLength).slice();
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { X: fromRowMajor(values, y.length, FEATURES), y };
}
const train = load('train');
const test = load('test');
const balanced = process.argv.includes('--balanced');

/** The training rows a model sees: all, or a seeded subsample in time order (the SVM reference used 20,000 rows). */
function subsample(rowCount: number, seed: number): { X: FeatureMatrix; y: Int8Array } {
  const order = new Int32Array(train.y.length);
  for (let row = 0; row < order.length; row++) order[row] = row;
  createRandom(seed).shuffle(order);
  const rows = Int32Array.from(order.subarray(0, rowCount)).sort();
  return { X: selectRows(train.X, rows), y: Int8Array.from(rows, (row) => train.y[row]!) };
}

/**
 * The logarithm of one column (the volatility-only baseline: the reference's numbers are those of a logistic
 * regression on log(volatility_20); on the raw volatility it scores log loss 0.990, not 0.975).
 */
function logOfColumn(data: { X: FeatureMatrix; y: Int8Array }, name: string): { X: FeatureMatrix; y: Int8Array } {
  const column = manifest.features.indexOf(name);
  const rowCount = data.y.length;
  const values = new Float32Array(rowCount);
  for (let row = 0; row < rowCount; row++) values[row] = Math.log(data.X.values[column * rowCount + row]!);
  return { X: fromRowMajor(values, rowCount, 1), y: data.y };
}

interface Entry {
  /** Name of the reference in the manifest (undefined: none recorded). */
  reference?: string;
  make: () => Classifier;
  data?: () => { train: { X: FeatureMatrix; y: Int8Array }; test: { X: FeatureMatrix; y: Int8Array } };
}

const models: Record<string, Entry> = {
  logreg: { reference: 'logreg', make: () => new LogisticRegressionClassifier({ C: 1 }) },
  'linear-svm': {
    reference: 'linear_svm',
    make: () => new LinearSvmClassifier({ C: 0.05, seed: 1 }),
    data: () => ({ train: subsample(20_000, 1), test }),
  },
  'linear-svm-rbf': {
    reference: 'linear_svm',
    make: () => new LinearSvmClassifier({ C: 0.05, kernel: 'rbf', components: 300, seed: 1 }),
    data: () => ({ train: subsample(20_000, 1), test }),
  },
  mlp: { reference: 'mlp', make: () => new MlpClassifier({ seed: 1 }) },
  'mlp-stratified': { reference: 'mlp', make: () => new MlpClassifier({ seed: 1, validationSplit: 'stratified' }) },
  'naive-bayes': { make: () => new GaussianNaiveBayesClassifier() },
  'vol-only': {
    reference: 'vol_only',
    make: () => new LogisticRegressionClassifier({ C: 1 }),
    data: () => ({ train: logOfColumn(train, 'volatility_20'), test: logOfColumn(test, 'volatility_20') }),
  },
};

const selected = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
// CPU seconds next to the wall-clock ones: this machine's 2 cores are often shared, and these models use one thread.
write(`model | weights | train s (ref, 2x budget) | train CPU s | macro-F1 (ref) | log loss (ref) | accuracy`);
for (const [name, { reference, make, data }] of Object.entries(models)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  const sets = data?.() ?? { train, test };
  const model = make();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  model.fit(sets.train.X, sets.train.y, balanced ? { classWeight: 'balanced' } : {});
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const probabilities = model.predictProba(sets.test.X);
  const predicted = argmaxRows(probabilities);
  const referenceSeconds = reference === undefined ? undefined : manifest.reference_train_seconds_2_cores[reference];
  const referenceMetrics = reference === undefined ? undefined : manifest.reference_test_metrics[reference];
  const timing = referenceSeconds === undefined ? '-' : `${referenceSeconds.toFixed(2)}, ${(2 * referenceSeconds).toFixed(2)}`;
  write(
    `${name} | ${balanced ? 'balanced' : 'none'} | ${seconds.toFixed(2)} (${timing}) | ${cpuSeconds.toFixed(2)} | ` +
      `${macroF1(sets.test.y, predicted).toFixed(4)} (${referenceMetrics?.macro_f1.toFixed(4) ?? '-'}) | ` +
      `${logLoss(sets.test.y, probabilities).toFixed(4)} (${referenceMetrics?.log_loss.toFixed(4) ?? '-'}) | ${accuracy(sets.test.y, predicted).toFixed(4)}`,
  );
}
