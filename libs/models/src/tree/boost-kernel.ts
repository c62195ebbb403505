/**
 * The jobs of boosted-tree growth and their hot loops, shared by the main thread and the tree workers
 * (tree-worker.ts): preparing rows (softmax gradients, quantisation), partitioning a node's rows, building gradient
 * histograms and histogram subtraction (WebAssembly, wasm-kernel.ts), and split finding; a job is cut into chunks of
 * rows and of feature words that the threads claim (shareJob).
 *
 * Quantised gradients (Shi et al. 2022, "Quantized Training of Gradient Boosting Decision Trees", as in LightGBM 4):
 * each row's gradient and hessian are rounded stochastically to integers on a per-tree scale (see
 * `quantisationLevels` and prepareRows) and packed into one float64, `g x 2^27 + h` with 0 <= h. Sums of packed values are exact
 * integer arithmetic as long as they stay below 2^53, which the level count guarantees (|sum g| and sum h are at
 * most 2^26 + rows), so
 * - one addition per row and feature builds both the gradient and the hessian histogram (half the memory traffic
 *   of two float64 channels),
 * - histogram subtraction (parent - smaller child = larger child) is exact,
 * - sums do not depend on the order of the rows, on how rows and features are cut into chunks or on the thread that
 *   added them: the same seed gives the same model bit for bit whatever the thread count.
 * Split finding then works in integer units (lambda, alpha and min child weight divided by the tree's scales); leaf
 * values are refitted from the exact float gradients once the tree is grown (boost-grower.ts).
 *
 * Histogram layout: 256 float64 per feature (`histogram[feature * 256 + bin]`), features padded to a multiple of 4 to
 * match the packed row words (row-words.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { MISSING_BIN } from './bin-codes.js';
import { hashOfRow } from './row-hash.js';
import type { TreeKernel, WasmMemory, WasmModule } from './wasm-kernel.js';

/** 2^27: the packed hessian sum lives below this power of two, the gradient sum above it. */
export const HESSIAN_UNIT = 2 ** 27;
const INVERSE_HESSIAN_UNIT = 2 ** -27;
/** rows x levels must stay <= 2^26 so that every packed sum is an exact integer below 2^53. */
const QUANTISED_SUM_LIMIT = 2 ** 26;
/** Quantisation levels per tree are capped here (beyond it the rounding noise is far below the float noise). */
const MAX_LEVELS = 1 << 16;

/** Largest quantisation level for a tree grown on `rows` rows (at least 1 up to 2^26 rows, 0 beyond). */
export function quantisationLevels(rows: number): number {
  return Math.min(MAX_LEVELS, Math.floor(QUANTISED_SUM_LIMIT / Math.max(1, rows)));
}

/** Unpacks the gradient part of a packed sum (exact: the division by 2^27 and the floor are exact here). */
export function packedGradient(packed: number): number {
  return Math.floor(packed * INVERSE_HESSIAN_UNIT);
}

/** Largest number of histograms one job builds and of nodes it scans. */
export const MAX_TARGETS = 3;
/** Numbers per split-finding result: gain, feature, bin, default left, left gradient, left hessian (and padding). */
export const RESULT_SIZE = 8;
/** Numbers per scanned node in `numbers`: gradient, hessian and row count of the node. */
const SCAN_SIZE = 3;
/** Numbers per class in `numbers`: lambda, alpha, min child weight (integer units) and min rows per child. */
const CLASS_SIZE = 4;

/** Int32 slots of the control block shared by the main thread and the workers. */
export const CONTROL = {
  /** Job sequence number: the main thread increments it to post a job (workers wait on it). */
  posted: 0,
  /** Row chunks of the job's first phase (0: no row phase, the feature chunks build the histograms). */
  rowChunks: 1,
  /** Chunks finished (the main thread waits on it). */
  done: 2,
  /** Set to 1 by a worker that failed (its message follows on its port). */
  failed: 3,
  /** COMMAND_RUN or COMMAND_QUIT. */
  command: 4,
  chunks: 5,
  chunkWords: 6,
  /** Rows partition[start..end) of the histograms built. */
  start: 7,
  end: 8,
  /** Histograms built: count, then (histogram id, class) pairs. */
  buildCount: 9,
  build: 10, // 2 x MAX_TARGETS slots
  /** Histogram id from which the first built histogram is subtracted in place, or -1. */
  subtractFrom: 16,
  /** Nodes scanned: count, then (histogram id, class) pairs; their sums are in `numbers`. */
  scanCount: 17,
  scan: 18, // 2 x MAX_TARGETS slots
  /** Row chunks finished (the threads wait on it before the feature phase). */
  rowsDone: 24,
  /** The rows' preparation before the histograms: PREPARE_NONE, PREPARE_GRADIENTS, PREPARE_QUANTISE or PREPARE_GRADIENTS_ONLY. */
  prepare: 25,
  /**
   * 1 for a split job: the row phase partitions the parent's rows partition[start..end) by the split (feature,
   * bin, missing values left) into leftRows / rightRows, each chunk at its own place, and builds the histogram of
   * the side expected to be smaller (smallIsLeft); the feature phase then scans that side (scan 0) and the other
   * (scan 1), whose row counts come from the chunks' left counts.
   */
  split: 26,
  splitFeature: 27,
  splitBin: 28,
  missingLeft: 29,
  smallIsLeft: 30,
  size: 31,
} as const;

export const COMMAND_RUN = 1;
export const COMMAND_QUIT = 2;

/** The histograms' rows already have packed values. */
export const PREPARE_NONE = 0;
/** Compute the rows' softmax gradients and hessians from the margins, then quantise them (root job of a round). */
export const PREPARE_GRADIENTS = 1;
/** Quantise the rows' gradients and hessians as they are (GOSS computed and amplified them already). */
export const PREPARE_QUANTISE = 2;
/** Only compute the rows' gradients and hessians (every row, before GOSS picks rows by them); no histogram. */
export const PREPARE_GRADIENTS_ONLY = 3;

/**
 * Everything a chunk of a job reads and writes; the same memory in the main thread and the workers. The row-major
 * bins, the partition, the packed gradients and the histograms live in the kernel's WebAssembly memory (the `...At`
 * byte offsets are for the WebAssembly functions, the typed arrays are views of the same bytes); the rest is plain
 * shared memory.
 */
export interface BoostBuffers {
  readonly kernel: TreeKernel;
  /** The row-major bins (a view of the memory at wordsAt). */
  readonly words: Uint32Array;
  readonly wordsAt: number;
  readonly wordsPerRow: number;
  readonly featureCount: number;
  readonly partition: Uint32Array;
  readonly partitionAt: number;
  /** Packed quantised gradient and hessian of each row, per class. */
  readonly packed: readonly Float64Array[];
  readonly packedAt: readonly number[];
  /** Per class: margins, exact gradients and hessians of the rows (see prepareRows); labels and row weights. */
  readonly margins: readonly Float64Array[];
  readonly gradients: readonly Float64Array[];
  readonly hessians: readonly Float64Array[];
  readonly labels: Int8Array;
  readonly weights: Float64Array;
  /** Per row chunk and class: the integer gradient and hessian sums of the rows it prepared. */
  readonly rowSums: Float64Array;
  /** Split jobs: each row chunk's left and right rows (at the chunk's own positions) and its left row count. */
  readonly leftRows: Uint32Array;
  readonly leftRowsAt: number;
  readonly rightRows: Uint32Array;
  readonly rightRowsAt: number;
  readonly rowLeft: Int32Array;
  /** Last value bin of each feature (its edge count). */
  readonly lastBin: Int32Array;
  /** Features allowed in the current tree of each class: `allowed[class * featureCount + feature]`. */
  readonly allowed: Uint8Array;
  readonly control: Int32Array;
  /** Per feature chunk and per row chunk, the number of the last job that claimed it. */
  readonly claims: Int32Array;
  readonly rowClaims: Int32Array;
  /** Per thread, the number of the last job it built partial histograms for, and their byte offsets
   * (`partialAt[thread * MAX_TARGETS + target]`). */
  readonly contributed: Int32Array;
  readonly partialAt: readonly number[];
  readonly threadCount: number;
  /** Sums of the scanned nodes (MAX_TARGETS x SCAN_SIZE), then the class parameters (classes x CLASS_SIZE). */
  readonly numbers: Float64Array;
  /** Split-finding results: `results[(chunk * MAX_TARGETS + scan) * RESULT_SIZE + field]`. */
  readonly results: Float64Array;
  /** Histograms by id, and their byte offsets. */
  readonly histograms: Float64Array[];
  readonly histogramAt: number[];
}

/** Numbers of the prepare block: the hessian factor, then per class 1 / gradient scale, 1 / hessian scale, seed. */
const PREPARE_SIZE = 1 + 3 * MAX_TARGETS;

/** Sizes of the shared `numbers` and `results` arrays. */
export function numbersSize(classCount: number): number {
  return MAX_TARGETS * SCAN_SIZE + classCount * CLASS_SIZE + PREPARE_SIZE;
}

/** Stores the preparation parameters of a round (see prepareRows). */
export function setPrepareParameters(numbers: Float64Array, hessianFactor: number, gradientScales: readonly number[], hessianScales: readonly number[], seeds: readonly number[]): void {
  const offset = numbers.length - PREPARE_SIZE;
  numbers[offset] = hessianFactor;
  for (let label = 0; label < MAX_TARGETS; label++) {
    numbers[offset + 1 + 3 * label] = 1 / gradientScales[label]!;
    numbers[offset + 2 + 3 * label] = 1 / hessianScales[label]!;
    numbers[offset + 3 + 3 * label] = seeds[label]!;
  }
}
export function resultsSize(wordsPerRow: number): number {
  return wordsPerRow * MAX_TARGETS * RESULT_SIZE;
}

/** Stores the node sums of scan target `scan`. */
export function setScanSums(numbers: Float64Array, scan: number, gradient: number, hessian: number, count: number): void {
  numbers[scan * SCAN_SIZE] = gradient;
  numbers[scan * SCAN_SIZE + 1] = hessian;
  numbers[scan * SCAN_SIZE + 2] = count;
}

/** Stores the split constraints of a class's current tree, in integer units. */
export function setClassParameters(numbers: Float64Array, label: number, lambda: number, alpha: number, minChildWeight: number, minCount: number): void {
  const offset = MAX_TARGETS * SCAN_SIZE + label * CLASS_SIZE;
  numbers[offset] = lambda;
  numbers[offset + 1] = alpha;
  numbers[offset + 2] = minChildWeight;
  numbers[offset + 3] = minCount;
}

/** Iterations a thread polls a shared counter before sleeping on it (the work it waits for takes microseconds). */
const SPIN_ITERATIONS = 20_000;

/**
 * This thread's share of job `job` (thread `thread` of `buffers.threadCount`; the main thread is 0). A job runs in
 * up to two phases, each cut into chunks that the threads claim:
 * 1. Rows (parallel jobs): each row chunk's rows are prepared (prepareRows) and added to the claiming thread's own
 *    partial histograms, so that every row is read once (its bins are one cache line; cutting by features instead
 *    would read each row once per feature chunk). Integer sums make the partials add up to the same histogram
 *    however rows are shared.
 * 2. Features: each chunk of feature words merges the partials (or, with no row phase, prepares the rows and builds
 *    the histograms), subtracts the smaller child from the parent, and finds the best split of each scanned node.
 * A thread tries the chunks in its own order, from the one at its share of the range, wrapping around. Before
 * posting job J the main thread marks each of its chunk slots -J; a claim turns -J into J (compare-and-swap), so
 * each chunk runs once, and a thread late for a job (which may read the next job's fields) finds no slot it can
 * claim. Returns false if a worker failed while this thread waited for the row phase.
 */
export function shareJob(buffers: BoostBuffers, job: number, thread: number, notify: boolean): boolean {
  const { control, threadCount } = buffers;
  const rowChunks = control[CONTROL.rowChunks]!;
  if (rowChunks > 0) {
    let cleared = false;
    const start = control[CONTROL.start]!;
    const rows = control[CONTROL.end]! - start;
    const buildCount = control[CONTROL.buildCount]!;
    for (let step = 0, first = Math.floor((thread * rowChunks) / threadCount); step < rowChunks; step++) {
      const chunk = (first + step) % rowChunks;
      if (Atomics.compareExchange(buffers.rowClaims, chunk, -job, job) !== -job) continue;
      if (!cleared) buffers.contributed[thread] = job;
      const chunkStart = start + Math.floor((chunk * rows) / rowChunks);
      let chunkEnd = start + Math.floor(((chunk + 1) * rows) / rowChunks);
      let rowsAt = buffers.partitionAt;
      if (control[CONTROL.split] === 1) {
        // Partition the chunk, then build from the rows of the smaller side (just read, so in cache).
        const leftCount = partitionChunk(buffers, chunkStart, chunkEnd);
        buffers.rowLeft[chunk] = leftCount;
        const smallIsLeft = control[CONTROL.smallIsLeft] === 1;
        rowsAt = smallIsLeft ? buffers.leftRowsAt : buffers.rightRowsAt;
        chunkEnd = chunkStart + (smallIsLeft ? leftCount : chunkEnd - chunkStart - leftCount);
      } else if (control[CONTROL.prepare] !== PREPARE_NONE) {
        prepareRows(buffers, chunkStart, chunkEnd, chunk);
      }
      for (let target = 0; target < buildCount; target++) {
        buffers.kernel.build(
          buffers.partialAt[thread * MAX_TARGETS + target]!, buffers.wordsAt, buffers.wordsPerRow, rowsAt, chunkStart, chunkEnd,
          buffers.packedAt[control[CONTROL.build + 2 * target + 1]!]!, 0, buffers.wordsPerRow, cleared ? 0 : 1,
        );
      }
      cleared = true;
      Atomics.add(control, CONTROL.rowsDone, 1);
      Atomics.notify(control, CONTROL.rowsDone);
    }
    if (!waitForCount(control, CONTROL.rowsDone, rowChunks, job)) return Atomics.load(control, CONTROL.failed) === 0;
  }
  const chunks = control[CONTROL.chunks]!;
  for (let step = 0, first = Math.floor((thread * chunks) / threadCount); step < chunks; step++) {
    const chunk = (first + step) % chunks;
    if (Atomics.compareExchange(buffers.claims, chunk, -job, job) !== -job) continue;
    runBoostChunk(buffers, chunk, job);
    Atomics.add(control, CONTROL.done, 1);
    if (notify) Atomics.notify(control, CONTROL.done);
  }
  return true;
}

/** Marks chunk slots 0..count-1 claimable for `job` (before the job is posted). */
export function openChunks(slots: Int32Array, count: number, job: number): void {
  for (let chunk = 0; chunk < count; chunk++) Atomics.store(slots, chunk, -job);
}

/**
 * Waits (polling, then sleeping) until control[slot] reaches `count`. Returns false if a worker failed meanwhile or
 * if job `job` is no longer the posted one (a late thread then has nothing left to do in it).
 */
export function waitForCount(control: Int32Array, slot: number, count: number, job: number): boolean {
  let spins = 0;
  for (let value = Atomics.load(control, slot); value < count; value = Atomics.load(control, slot)) {
    if (Atomics.load(control, CONTROL.failed) !== 0 || Atomics.load(control, CONTROL.posted) !== job) return false;
    if (spins < SPIN_ITERATIONS) spins++;
    else Atomics.wait(control, slot, value, 100);
  }
  return true;
}

/** Runs chunk `chunk` (feature words chunk x chunkWords ..) of the job described in the control block. */
export function runBoostChunk(buffers: BoostBuffers, chunk: number, job: number): void {
  const control = buffers.control;
  const chunkWords = control[CONTROL.chunkWords]!;
  const firstWord = chunk * chunkWords;
  const lastWord = Math.min(firstWord + chunkWords, buffers.wordsPerRow);
  const { histograms, histogramAt, kernel } = buffers;
  const buildCount = control[CONTROL.buildCount]!;
  if (control[CONTROL.rowChunks]! > 0) {
    // Sum of the partial histograms of the threads that built some in this job.
    for (let target = 0; target < buildCount; target++) {
      const into = histogramAt[control[CONTROL.build + 2 * target]!]!;
      let clear = 1;
      for (let thread = 0; thread < buffers.threadCount; thread++) {
        if (buffers.contributed[thread] !== job) continue;
        kernel.merge(into, buffers.partialAt[thread * MAX_TARGETS + target]!, firstWord, lastWord, clear);
        clear = 0;
      }
    }
  } else {
    const start = control[CONTROL.start]!;
    const end = control[CONTROL.end]!;
    if (control[CONTROL.prepare] !== PREPARE_NONE) prepareRows(buffers, start, end, 0);
    for (let target = 0; target < buildCount; target++) {
      kernel.build(
        histogramAt[control[CONTROL.build + 2 * target]!]!, buffers.wordsAt, buffers.wordsPerRow, buffers.partitionAt, start, end,
        buffers.packedAt[control[CONTROL.build + 2 * target + 1]!]!, firstWord, lastWord, 1,
      );
    }
  }
  const subtractFrom = control[CONTROL.subtractFrom]!;
  // Histogram subtraction: parent - smaller child = larger child, in the parent's buffer (exact integers).
  if (subtractFrom >= 0) kernel.subtract(histogramAt[subtractFrom]!, histogramAt[control[CONTROL.build]!]!, firstWord, lastWord);
  const scanCount = control[CONTROL.scanCount]!;
  const firstFeature = firstWord * 4;
  const lastFeature = Math.min(lastWord * 4, buffers.featureCount);
  const numbers = buffers.numbers;
  for (let scan = 0; scan < scanCount; scan++) {
    const label = control[CONTROL.scan + 2 * scan + 1]!;
    let totalGradient = numbers[scan * SCAN_SIZE]!;
    let totalHessian = numbers[scan * SCAN_SIZE + 1]!;
    if (control[CONTROL.prepare] !== PREPARE_NONE) {
      // The node's sums are those of the rows just prepared (exact integers, in any order).
      totalGradient = 0;
      totalHessian = 0;
      const chunks = Math.max(1, control[CONTROL.rowChunks]!);
      for (let chunk = 0; chunk < chunks; chunk++) {
        totalGradient += buffers.rowSums[(chunk * MAX_TARGETS + label) * 2]!;
        totalHessian += buffers.rowSums[(chunk * MAX_TARGETS + label) * 2 + 1]!;
      }
    }
    let totalCount = numbers[scan * SCAN_SIZE + 2]!;
    if (control[CONTROL.split] === 1) {
      // Scan 0 is the side the histogram was built for, scan 1 the other; their row counts from the chunks.
      const leftCount = splitLeftCount(buffers);
      const parentCount = control[CONTROL.end]! - control[CONTROL.start]!;
      const builtIsLeft = control[CONTROL.smallIsLeft] === 1;
      totalCount = (scan === 0) === builtIsLeft ? leftCount : parentCount - leftCount;
    }
    scanFeatures(
      buffers, histograms[control[CONTROL.scan + 2 * scan]!]!, label, totalGradient, totalHessian, totalCount,
      firstFeature, lastFeature, (chunk * MAX_TARGETS + scan) * RESULT_SIZE,
    );
  }
}

/**
 * Prepares rows partition[start..end) for the histograms and writes their integer sums to rowSums[chunk]:
 * - PREPARE_GRADIENTS: softmax gradients and hessians from the margins (Chen & Guestrin 2016 for the softmax
 *   objective): p = softmax(m), g_k = w (p_k - [y = k]), h_k = w max(c p_k (1 - p_k), 1e-16), stored exactly (leaf
 *   values are refitted from them); the largest margin's exponential is exp(0) = 1 and is not computed.
 * - then (both modes) quantisation: g / scale and h / scale rounded down after adding a uniform dither in [0, 1)
 *   (stochastic rounding, unbiased) from hashOfRow(seed, row), packed as g x 2^27 + h. The scales bound |g| and h
 *   (see BoostTreeGrower.beginRound), so that sums stay exact. Each row's result depends only on the row, so rows can
 *   be prepared in any order by any thread.
 */
/** Left rows of a split job: the sum of the row chunks' left counts. */
export function splitLeftCount(buffers: BoostBuffers): number {
  let leftCount = 0;
  const chunks = buffers.control[CONTROL.rowChunks]!;
  for (let chunk = 0; chunk < chunks; chunk++) leftCount += buffers.rowLeft[chunk]!;
  return leftCount;
}

/**
 * Stable partition of rows partition[start..end) of a split job: rows whose bin of the split feature is <= the split
 * bin (or is missing, when missing values go left) to leftRows[start..], the others to rightRows[start..], both in
 * order. Returns the left count. Branch-free (a split sends rows either way unpredictably).
 */
function partitionChunk(buffers: BoostBuffers, start: number, end: number): number {
  const { partition, leftRows, rightRows, control, wordsPerRow } = buffers;
  const words = buffers.words;
  const feature = control[CONTROL.splitFeature]!;
  const splitBin = control[CONTROL.splitBin]!;
  const missingGoesLeft = control[CONTROL.missingLeft]!;
  const word = feature >>> 2;
  const shift = (feature & 3) << 3;
  let left = start;
  let right = start;
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const bin = (words[row * wordsPerRow + word]! >>> shift) & 0xff;
    const goesLeft = (((splitBin - bin) >>> 31) ^ 1) | (((bin + 1) >> 8) & missingGoesLeft);
    leftRows[left] = row;
    rightRows[right] = row;
    left += goesLeft;
    right += goesLeft ^ 1;
  }
  return left - start;
}

function prepareRows(buffers: BoostBuffers, start: number, end: number, chunk: number): void {
  const numbers = buffers.numbers;
  const offset = numbers.length - PREPARE_SIZE;
  const mode = buffers.control[CONTROL.prepare];
  if (mode === PREPARE_GRADIENTS_ONLY) {
    computeGradientRows(buffers, start, end);
    return;
  }
  if (mode === PREPARE_GRADIENTS) computeGradientRows(buffers, start, end);
  for (let label = 0; label < MAX_TARGETS; label++) {
    quantiseRows(
      buffers.partition, start, end, buffers.gradients[label]!, buffers.hessians[label]!, numbers[offset + 1 + 3 * label]!,
      numbers[offset + 2 + 3 * label]!, numbers[offset + 3 + 3 * label]!, buffers.packed[label]!, buffers.rowSums,
      (chunk * MAX_TARGETS + label) * 2,
    );
  }
}

/**
 * The softmax gradients and hessians of rows partition[start..end) (see prepareRows). A hessian factor of 0 selects
 * first-order boosting, whose hessian is the row weight (see computeResidualRows).
 */
export function computeGradientRows(buffers: BoostBuffers, start: number, end: number): void {
  const { partition, numbers, margins, gradients, hessians, labels, weights } = buffers;
  const factor = numbers[numbers.length - PREPARE_SIZE]!;
  if (factor === 0) {
    computeResidualRows(buffers, start, end);
    return;
  }
  const [margin0, margin1, margin2] = margins as [Float64Array, Float64Array, Float64Array];
  const [g0, g1, g2] = gradients as [Float64Array, Float64Array, Float64Array];
  const [h0, h1, h2] = hessians as [Float64Array, Float64Array, Float64Array];
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const m0 = margin0[row]!;
    const m1 = margin1[row]!;
    const m2 = margin2[row]!;
    const top = Math.max(m0, m1, m2);
    const e0 = m0 === top ? 1 : Math.exp(m0 - top);
    const e1 = m1 === top ? 1 : Math.exp(m1 - top);
    const e2 = m2 === top ? 1 : Math.exp(m2 - top);
    const sum = e0 + e1 + e2;
    const p0 = e0 / sum;
    const p1 = e1 / sum;
    const p2 = e2 / sum;
    const label = labels[row]!;
    const weight = weights[row]!;
    g0[row] = weight * (p0 - (label === 0 ? 1 : 0));
    g1[row] = weight * (p1 - (label === 1 ? 1 : 0));
    g2[row] = weight * (p2 - (label === 2 ? 1 : 0));
    h0[row] = weight * Math.max(factor * p0 * (1 - p0), 1e-16);
    h1[row] = weight * Math.max(factor * p1 * (1 - p1), 1e-16);
    h2[row] = weight * Math.max(factor * p2 * (1 - p2), 1e-16);
  }
}

/**
 * First-order gradients of rows partition[start..end): g = w (p_k - [y = k]) (the negative residual of Friedman
 * 2001, section 6) and a constant hessian h = w, so that split gains are the weighted least-squares reduction of a
 * regression tree fitted to the residuals and leaf values are their weighted mean (a gradient step, not Newton's).
 */
function computeResidualRows(buffers: BoostBuffers, start: number, end: number): void {
  const { partition, margins, gradients, hessians, labels, weights } = buffers;
  const [margin0, margin1, margin2] = margins as [Float64Array, Float64Array, Float64Array];
  const [g0, g1, g2] = gradients as [Float64Array, Float64Array, Float64Array];
  const [h0, h1, h2] = hessians as [Float64Array, Float64Array, Float64Array];
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const m0 = margin0[row]!;
    const m1 = margin1[row]!;
    const m2 = margin2[row]!;
    const top = Math.max(m0, m1, m2);
    const e0 = m0 === top ? 1 : Math.exp(m0 - top);
    const e1 = m1 === top ? 1 : Math.exp(m1 - top);
    const e2 = m2 === top ? 1 : Math.exp(m2 - top);
    const sum = e0 + e1 + e2;
    const label = labels[row]!;
    const weight = weights[row]!;
    g0[row] = weight * (e0 / sum - (label === 0 ? 1 : 0));
    g1[row] = weight * (e1 / sum - (label === 1 ? 1 : 0));
    g2[row] = weight * (e2 / sum - (label === 2 ? 1 : 0));
    h0[row] = weight;
    h1[row] = weight;
    h2[row] = weight;
  }
}

function quantiseRows(
  partition: Uint32Array, start: number, end: number, gradient: Float64Array, hessian: Float64Array,
  inverseGradientScale: number, inverseHessianScale: number, seed: number, packed: Float64Array, sums: Float64Array, output: number,
): void {
  let sumGradient = 0;
  let sumHessian = 0;
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const hash = hashOfRow(seed, row);
    // Two 16-bit dithers from one hash.
    const g = Math.floor(gradient[row]! * inverseGradientScale + (hash & 0xffff) * (1 / 65536));
    const h = Math.floor(hessian[row]! * inverseHessianScale + (hash >>> 16) * (1 / 65536));
    packed[row] = g * HESSIAN_UNIT + h;
    sumGradient += g;
    sumHessian += h;
  }
  sums[output] = sumGradient;
  sums[output + 1] = sumHessian;
}

/** Soft threshold of the L1 penalty: T(G) = sign(G) max(|G| - alpha, 0). */
function thresholdL1(gradient: number, alpha: number): number {
  if (gradient > alpha) return gradient - alpha;
  if (gradient < -alpha) return gradient + alpha;
  return 0;
}

/** T(G)^2, the numerator of a side's score. */
function squaredThreshold(gradient: number, alpha: number): number {
  if (alpha === 0) return gradient * gradient;
  const thresholded = thresholdL1(gradient, alpha);
  return thresholded * thresholded;
}

/**
 * Best split of one node over the allowed features in [firstFeature, lastFeature), written at `results[output..]`.
 *
 * Gain (Chen & Guestrin 2016, eq. 7, with L1): T(GL)^2/(HL+lambda) + T(GR)^2/(HR+lambda) - T(G)^2/(H+lambda), in
 * integer units; each side needs `minChildWeight` hessian and `minCount` rows, the row count of a bin range being
 * estimated as hessian x (node rows / node hessian) (as LightGBM does with quantised gradients; node row counts are
 * exact), so both limits are one hessian floor. Missing values: the missing bin is tried on both sides
 * (sparsity-aware split finding, Algorithm 3); with no missing value in the node, missing rows later follow the side
 * with more hessian.
 *
 * Each feature's best split is found on its own (so the result does not depend on how features are chunked), and
 * the earliest feature wins ties, as in a single pass over all features. A candidate is first compared without
 * divisions (a/b + c/d > t  <=>  a d + c b > t b d for positive b, d), and its gain computed only when it passes.
 */
function scanFeatures(
  buffers: BoostBuffers, histogram: Float64Array, label: number, totalGradient: number, totalHessian: number, totalCount: number,
  firstFeature: number, lastFeature: number, output: number,
): void {
  const numbers = buffers.numbers;
  const parameterOffset = MAX_TARGETS * SCAN_SIZE + label * CLASS_SIZE;
  const lambda = numbers[parameterOffset]!;
  const alpha = numbers[parameterOffset + 1]!;
  const minChildWeight = numbers[parameterOffset + 2]!;
  const minCount = numbers[parameterOffset + 3]!;
  // Hessian floor of each side: min child weight, and min rows converted with the node's rows per hessian unit.
  const floor = Math.max(minChildWeight, (minCount * totalHessian) / totalCount);
  const parentScore = squaredThreshold(totalGradient, alpha) / (totalHessian + lambda);
  const allowed = buffers.allowed;
  const allowedOffset = label * buffers.featureCount;
  const lastBins = buffers.lastBin;
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestDefaultLeft = 0;
  let bestLeftGradient = 0;
  let bestLeftHessian = 0;
  for (let feature = firstFeature; feature < lastFeature; feature++) {
    if (allowed[allowedOffset + feature] === 0) continue;
    const offset = feature << 8;
    const missing = histogram[offset + MISSING_BIN]!;
    const missingGradient = packedGradient(missing);
    const missingHessian = missing - missingGradient * HESSIAN_UNIT;
    const hasMissing = missing !== 0;
    const lastBin = lastBins[feature]!;
    // A split at the last value bin only separates values from missing values.
    const finalBin = hasMissing ? lastBin : lastBin - 1;
    // The feature's best so far, as a score (gain + parent score) to beat.
    let target = parentScore;
    let featureBin = -1;
    let featureDefaultLeft = 0;
    let featureLeftGradient = 0;
    let featureLeftHessian = 0;
    if (!hasMissing && alpha === 0) {
      // The common case, in a loop of its own (no missing values to place, no L1 threshold): same sums and
      // comparisons as below, so the same splits.
      featureBin = scanWithoutMissing(histogram, offset, finalBin, totalGradient, totalHessian, lambda, floor, target, scanScratch);
      if (featureBin >= 0) {
        target = scanScratch[0]!;
        featureLeftGradient = scanScratch[1]!;
        featureLeftHessian = scanScratch[2]!;
        featureDefaultLeft = featureLeftHessian >= totalHessian - featureLeftHessian ? 1 : 0;
      }
    } else {
      let leftGradient = 0;
      let leftHessian = 0;
      for (let bin = 0; bin <= finalBin; bin++) {
        const value = histogram[offset + bin]!;
        if (value === 0) continue;
        const binGradient = packedGradient(value);
        leftGradient += binGradient;
        leftHessian += value - binGradient * HESSIAN_UNIT;
        const rightHessian = totalHessian - leftHessian;
        // The right side only shrinks from here on, in both directions of the missing values.
        if (rightHessian < floor) break;
        if (leftHessian >= floor) {
          // Missing values to the right.
          const leftSquare = squaredThreshold(leftGradient, alpha);
          const rightSquare = squaredThreshold(totalGradient - leftGradient, alpha);
          const leftDenominator = leftHessian + lambda;
          const rightDenominator = rightHessian + lambda;
          if (leftSquare * rightDenominator + rightSquare * leftDenominator > target * leftDenominator * rightDenominator) {
            const score = leftSquare / leftDenominator + rightSquare / rightDenominator;
            if (score > target) {
              target = score;
              featureBin = bin;
              featureDefaultLeft = !hasMissing && leftHessian >= rightHessian ? 1 : 0;
              featureLeftGradient = leftGradient;
              featureLeftHessian = leftHessian;
            }
          }
        }
        if (!hasMissing) continue;
        // Missing values to the left.
        const withMissingHessian = leftHessian + missingHessian;
        const withoutMissingHessian = rightHessian - missingHessian;
        if (withMissingHessian >= floor && withoutMissingHessian >= floor) {
          const withMissingGradient = leftGradient + missingGradient;
          const leftSquare = squaredThreshold(withMissingGradient, alpha);
          const rightSquare = squaredThreshold(totalGradient - withMissingGradient, alpha);
          const leftDenominator = withMissingHessian + lambda;
          const rightDenominator = withoutMissingHessian + lambda;
          if (leftSquare * rightDenominator + rightSquare * leftDenominator > target * leftDenominator * rightDenominator) {
            const score = leftSquare / leftDenominator + rightSquare / rightDenominator;
            if (score > target) {
              target = score;
              featureBin = bin;
              featureDefaultLeft = 1;
              featureLeftGradient = withMissingGradient;
              featureLeftHessian = withMissingHessian;
            }
          }
        }
      }
    }
    const featureGain = target - parentScore;
    if (featureBin >= 0 && featureGain > bestGain) {
      bestGain = featureGain;
      bestFeature = feature;
      bestBin = featureBin;
      bestDefaultLeft = featureDefaultLeft;
      bestLeftGradient = featureLeftGradient;
      bestLeftHessian = featureLeftHessian;
    }
  }
  const results = buffers.results;
  results[output] = bestGain;
  results[output + 1] = bestFeature;
  results[output + 2] = bestBin;
  results[output + 3] = bestDefaultLeft;
  results[output + 4] = bestLeftGradient;
  results[output + 5] = bestLeftHessian;
}

/** Result of scanWithoutMissing: score, left gradient, left hessian of the best bin (one per thread, reused). */
const scanScratch = new Float64Array(3);

/**
 * scanFeatures' loop over one feature's bins when the node has no missing value of it and alpha is 0: the best bin
 * whose score beats `target` (or -1), with its score and left sums in `result`.
 */
function scanWithoutMissing(
  histogram: Float64Array, offset: number, finalBin: number, totalGradient: number, totalHessian: number, lambda: number, floor: number,
  target: number, result: Float64Array,
): number {
  let best = -1;
  let bestLeftGradient = 0;
  let bestLeftHessian = 0;
  let leftGradient = 0;
  let leftHessian = 0;
  for (let bin = 0; bin <= finalBin; bin++) {
    const value = histogram[offset + bin]!;
    if (value === 0) continue;
    const binGradient = Math.floor(value * INVERSE_HESSIAN_UNIT);
    leftGradient += binGradient;
    leftHessian += value - binGradient * HESSIAN_UNIT;
    const rightHessian = totalHessian - leftHessian;
    if (rightHessian < floor) break;
    if (leftHessian < floor) continue;
    const rightGradient = totalGradient - leftGradient;
    const leftSquare = leftGradient * leftGradient;
    const rightSquare = rightGradient * rightGradient;
    const leftDenominator = leftHessian + lambda;
    const rightDenominator = rightHessian + lambda;
    if (leftSquare * rightDenominator + rightSquare * leftDenominator > target * leftDenominator * rightDenominator) {
      const score = leftSquare / leftDenominator + rightSquare / rightDenominator;
      if (score > target) {
        target = score;
        best = bin;
        bestLeftGradient = leftGradient;
        bestLeftHessian = leftHessian;
      }
    }
  }
  result[0] = target;
  result[1] = bestLeftGradient;
  result[2] = bestLeftHessian;
  return best;
}

/** What a tree worker receives to help with boosting jobs (views are rebuilt from the memory and the offsets). */
export interface BoostWorkerSetup {
  readonly kind: 'boost';
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly rowCount: number;
  readonly wordsAt: number;
  readonly wordsPerRow: number;
  readonly featureCount: number;
  readonly partitionAt: number;
  readonly packedAt: readonly number[];
  readonly margins: readonly Float64Array[];
  readonly gradients: readonly Float64Array[];
  readonly hessians: readonly Float64Array[];
  readonly labels: Int8Array;
  readonly weights: Float64Array;
  readonly rowSums: Float64Array;
  readonly leftRowsAt: number;
  readonly rightRowsAt: number;
  readonly rowLeft: Int32Array;
  readonly lastBin: Int32Array;
  readonly allowed: Uint8Array;
  readonly control: Int32Array;
  readonly claims: Int32Array;
  readonly rowClaims: Int32Array;
  readonly contributed: Int32Array;
  readonly partialAt: readonly number[];
  readonly numbers: Float64Array;
  readonly results: Float64Array;
  /** This worker's index (1, 2, ...; the main thread is 0) and the thread count (see shareJob). */
  readonly threadIndex: number;
  readonly threadCount: number;
  /** Byte offsets of the histograms made so far; later ones arrive on the port as `{ id, offset }`. */
  readonly histogramAt: readonly number[];
  /** A failure is reported here as `{ error }`. */
  readonly port: MessagePort;
}

/** Bytes of one histogram: 4 features x 256 bins x 8 bytes per feature word. */
export function histogramBytes(wordsPerRow: number): number {
  return wordsPerRow * 4 * 256 * 8;
}
