/**
 * Small timing driver (not part of the package): `npx tsx scripts/perf-driver.ts <model> <rounds-or-trees> [threads]`.
 * Trains on the reference fold with the reference-fold settings but fewer rounds/trees, prints wall and CPU seconds
 * (CPU of all threads: with the machine shared, compare it with threads 1) and a hash of the model JSON (for
 * determinism checks across thread counts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fromRowMajor } from '../src/__fixtures__/reference-sample.js';
import { ExtraTreesClassifier, XgBoostClassifier, LightGbmClassifier, RandomForestClassifier, type Classifier } from '../src/index.js';

const folder = new URL('../../../../shared/data/reference-fold/', import.meta.url);
const bytes = readFileSync(new URL('X_train.f32', folder));
const labels = readFileSync(new URL('y_train.i8', folder));
const y = new Int8Array(labels.buffer, labels.byteOffset, labels.byteLength).slice();
const X = fromRowMajor(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), y.length, 52);
const [name = 'xgboost', countText = '30', threadsText] = process.argv.slice(2);
const count = Number(countText);
const extra: Record<string, unknown> = threadsText === undefined ? {} : { threads: Number(threadsText) };
const makers: Record<string, () => Classifier> = {
  xgboost: () => new XgBoostClassifier({ rounds: count, maxDepth: 6, learningRate: 0.05, subsample: 0.8, colsampleByTree: 0.8, minChildWeight: 5, seed: 1, ...extra }),
  lightgbm: () => new LightGbmClassifier({ rounds: count, learningRate: 0.05, maxLeaves: 31, minDataInLeaf: 50, lambda: 1, seed: 1, ...extra }),
  'lightgbm-goss': () => new LightGbmClassifier({ rounds: count, learningRate: 0.05, maxLeaves: 31, minDataInLeaf: 50, lambda: 1, goss: { topRate: 0.2, otherRate: 0.1 }, seed: 1, ...extra }),
  'random-forest': () => new RandomForestClassifier({ trees: count, minSamplesLeaf: 20, maxFeatures: 'sqrt', maxSamples: 0.3, seed: 1, ...extra }),
  'extra-trees': () => new ExtraTreesClassifier({ trees: count, minSamplesLeaf: 20, maxFeatures: 'sqrt', seed: 1, ...extra }),
};
const model = makers[name]!();
const started = performance.now();
const cpuStarted = process.cpuUsage();
model.fit(X, y);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const hash = createHash('sha256').update(JSON.stringify(model.toJSON())).digest('hex').slice(0, 16);
process.stdout.write(`${name} ${count} threads=${threadsText ?? 'default'}: ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s), model ${hash}\n`);
