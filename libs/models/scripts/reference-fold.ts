/**
 * Full-fold comparison with the reference implementations (scikit-learn / XGBoost on this 2-core machine).
 * Run from libs/models: `npx tsx scripts/reference-fold.ts [model ...] [--balanced] [--threads=n]`. Reads
 * ../shared/data/reference-fold (skips when absent) and prints one line per model: training seconds (wall, and CPU
 * of all threads), test macro-F1 and log loss, next to the reference numbers from the fold's manifest, and the
 * load average (the machine is shared: compare runs made under similar load).
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fromRowMajor } from '../src/__fixtures__/reference-sample.js';
import {
  ExtraTreesClassifier,
  GradientBoostingClassifier,
  XgBoostClassifier,
  LightGbmClassifier,
  RandomForestClassifier,
  argmaxRows,
  logLoss,
  macroF1,
  accuracy,
  type Classifier,
} from '../src/index.js';

const folder = new URL('../../../../shared/data/reference-fold/', import.meta.url);
const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (!existsSync(new URL('manifest.json', folder))) {
  write('reference fold not found (../shared/data/reference-fold); nothing to compare');
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as {
  reference_train_seconds_2_cores: Record<string, number>;
  reference_test_metrics: Record<string, { macro_f1: number; log_loss: number }>;
};
const FEATURES = 52;
function load(name: string): { X: ReturnType<typeof fromRowMajor>; y: Int8Array } {
  const bytes = readFileSync(new URL(`X_${name}.f32`, folder));
  const labels = readFileSync(new URL(`y_${name}.i8`, folder));
  const y = new Int8Array(labels.buffer, labels.byteOffset, labels.byteLength).slice();
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { X: fromRowMajor(values, y.length, FEATURES), y };
}
const train = load('train');
const test = load('test');
const balanced = process.argv.includes('--balanced');
const threadsArgument = process.argv.find((argument) => argument.startsWith('--threads='));
const threads = threadsArgument === undefined ? {} : { threads: Number(threadsArgument.slice('--threads='.length)) };

const models: Record<string, { reference: string; make: () => Classifier }> = {
  // First-order boosting has no reference of its own in the fold: scikit-learn's HistGradientBoosting (second order,
  // same rounds) is the nearest; the larger learning rate makes up for gradient steps being smaller than Newton's.
  'gradient-boosting': {
    reference: 'hist_gb',
    make: () => new GradientBoostingClassifier({ rounds: 300, learningRate: 0.15, maxDepth: 5, minDataInLeaf: 50, subsample: 0.8, seed: 1, ...threads }),
  },
  xgboost: {
    reference: 'xgboost',
    make: () => new XgBoostClassifier({ rounds: 300, maxDepth: 6, learningRate: 0.05, subsample: 0.8, colsampleByTree: 0.8, minChildWeight: 5, seed: 1, ...threads }),
  },
  lightgbm: {
    reference: 'hist_gb',
    make: () => new LightGbmClassifier({ rounds: 300, learningRate: 0.05, maxLeaves: 31, minDataInLeaf: 50, lambda: 1, seed: 1, ...threads }),
  },
  'lightgbm-goss': {
    reference: 'hist_gb',
    make: () => new LightGbmClassifier({ rounds: 300, learningRate: 0.05, maxLeaves: 31, minDataInLeaf: 50, lambda: 1, goss: { topRate: 0.2, otherRate: 0.1 }, seed: 1, ...threads }),
  },
  'random-forest': {
    reference: 'random_forest',
    make: () => new RandomForestClassifier({ trees: 300, minSamplesLeaf: 20, maxFeatures: 'sqrt', maxSamples: 0.3, seed: 1, ...threads }),
  },
  'extra-trees': {
    reference: 'extra_trees',
    make: () => new ExtraTreesClassifier({ trees: 300, minSamplesLeaf: 20, maxFeatures: 'sqrt', seed: 1, ...threads }),
  },
};

const selected = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
write(`threads ${threads.threads ?? 'default'}, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
write(`model | weights | train s (ref, 2x budget) | CPU s | macro-F1 (ref) | log loss (ref) | accuracy`);
for (const [name, { reference, make }] of Object.entries(models)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  const model = make();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  model.fit(train.X, train.y, balanced ? { classWeight: 'balanced' } : {});
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const probabilities = model.predictProba(test.X);
  const predicted = argmaxRows(probabilities);
  const referenceSeconds = manifest.reference_train_seconds_2_cores[reference]!;
  const referenceMetrics = manifest.reference_test_metrics[reference]!;
  write(
    `${name} | ${balanced ? 'balanced' : 'none'} | ${seconds.toFixed(1)} (${referenceSeconds.toFixed(1)}, ${(2 * referenceSeconds).toFixed(1)}) | ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} | ` +
      `${macroF1(test.y, predicted).toFixed(4)} (${referenceMetrics.macro_f1.toFixed(4)}) | ` +
      `${logLoss(test.y, probabilities).toFixed(4)} (${referenceMetrics.log_loss.toFixed(4)}) | ${accuracy(test.y, predicted).toFixed(4)}`,
  );
  write(`  load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
}
