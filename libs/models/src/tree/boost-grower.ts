/**
 * Histogram tree growth for gradient boosting, second order (Chen & Guestrin 2016, XGBoost "hist"; Ke et al. 2017,
 * LightGBM) or first order (Friedman 2001, hessian = row weight), one tree per class and round.
 *
 * - Each round starts with one pass over its rows that computes their softmax gradients and hessians from the
 *   margins, quantises them per class tree (stochastic rounding to integers, Shi et al. 2022, packed into one number
 *   per row) and builds the three root histograms; histograms, histogram subtraction and split finding then run on
 *   exact integer sums (see boost-kernel.ts). Once a tree is grown, its leaf values and covers are refitted from the
 *   exact float gradients of the rows in each leaf: leaf weight = -T(G)/(H+lambda) x learning rate, T the L1 soft
 *   threshold (as LightGBM renews leaves after quantised training).
 * - Histogram subtraction: only the smaller child's histogram is built from its rows; the larger child's is the
 *   parent's minus the smaller one (in the parent's buffer).
 * - A split must gain more than gamma (min split loss) and leave `minChildWeight` hessian and `minDataInLeaf` rows
 *   on each side; missing values learn their direction.
 * - Growth either depth-wise (every splittable node down to `maxDepth`, as XGBoost) or leaf-wise / best-first (always
 *   split the leaf with the largest gain until `maxLeaves`, as LightGBM), by the same candidate loop.
 * - Threads: a large job (a round's roots, or a split: partition the parent's rows, build the smaller child's
 *   histogram, subtract, find both children's best splits) is shared by the main thread and `threads - 1` workers
 *   through shared memory, in chunks of rows then of features that the threads claim (see shareJob). Every chunk
 *   gives the same numbers whichever thread runs it, and integer sums do not depend on how rows are shared, so the
 *   model does not depend on the thread count; a worker slow to start or descheduled only means that the other
 *   threads take more chunks.
 */
import { InvalidArgumentError, QuantError } from '@quant/core';
import type { MessagePort, Worker } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { HISTOGRAM_BINS } from './bin-codes.js';
import {
  COMMAND_QUIT,
  COMMAND_RUN,
  CONTROL,
  MAX_TARGETS,
  RESULT_SIZE,
  PREPARE_GRADIENTS,
  PREPARE_GRADIENTS_ONLY,
  PREPARE_NONE,
  PREPARE_QUANTISE,
  histogramBytes,
  numbersSize,
  setPrepareParameters,
  quantisationLevels,
  resultsSize,
  runBoostChunk,
  openChunks,
  shareJob,
  waitForCount,
  setClassParameters,
  setScanSums,
  type BoostBuffers,
  type BoostWorkerSetup,
} from './boost-kernel.js';
import { partitionRowsByWords } from './partition.js';
import { packRowWords, type RowWords } from './row-words.js';
import { KernelMemory, instantiateKernel, kernelModule } from './wasm-kernel.js';
import { Tree, TreeBuffer, thresholdOfBin } from './tree.js';
import { startTreeWorkers } from './worker-start.js';

/** Smallest job (row x feature-word updates plus scanned bins) worth sharing with the workers. */
const PARALLEL_MIN_WORK = 1 << 14;
/** Smallest training set (rows x features) for which workers are started at all. */
const PARALLEL_MIN_DATA = 1 << 15;
/** Feature words (4 features each) per chunk of a shared job's feature phase. */
const CHUNK_WORDS = 2;
/** Row chunks of a shared job's row phase: up to this many per thread (for balance), of at least MIN_CHUNK_ROWS. */
const ROW_CHUNKS_PER_THREAD = 4;
const MIN_CHUNK_ROWS = 512;

export interface BoostTreeParameters {
  /** Depth limit (root has depth 0); Infinity for none. */
  maxDepth: number;
  /** Leaf limit; Infinity for none. With a finite value growth is best-first (leaf-wise). */
  maxLeaves: number;
  learningRate: number;
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  minDataInLeaf: number;
  /** Threads: 1 = this thread only, n = this thread and n - 1 workers. */
  threads: number;
}

/** The binned training set shared by all trees of a model. */
export interface BinnedData {
  /** Column-major bins: `bins[feature * rowCount + row]`. */
  readonly bins: Uint8Array;
  readonly rowCount: number;
  readonly featureCount: number;
  /** Bin edges per feature (raw thresholds). */
  readonly edges: readonly Float64Array[];
}

/** The tree of one class being grown in the current round. */
interface ClassTree {
  gradient: Float64Array;
  hessian: Float64Array;
  /** Float value of one integer unit of gradient and hessian. */
  gradientScale: number;
  hessianScale: number;
  /** Integer-unit constraints. */
  minChildWeight: number;
  root: Candidate;
}

interface Candidate {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Quantised (integer) sums. */
  sumGradient: number;
  sumHessian: number;
  count: number;
  /** Histogram id, or -1. */
  histogram: number;
  /** Loss change of the best split (float units); -1 when the node stays a leaf. */
  bestGain: number;
  bestFeature: number;
  bestBin: number;
  bestDefaultLeft: boolean;
  leftGradient: number;
  leftHessian: number;
}

interface Team {
  workers: Worker[];
  ports: MessagePort[];
}

/**
 * Grows the boosted trees of one model. Scratch buffers (row partition, packed gradients, histograms) are
 * allocated once, in shared memory when threads > 1, and reused by every tree.
 */
export class BoostTreeGrower {
  readonly rows: RowWords;
  private readonly arena: KernelMemory;
  private readonly buffers: BoostBuffers;
  private readonly shared: boolean;
  /** Whether jobs may be shared with workers (threads > 1 and enough data). */
  private readonly parallel: boolean;
  private readonly scratch: Uint32Array;
  private readonly freeHistograms: number[] = [];
  private readonly classes: ClassTree[] = [];
  private roundRows: Uint32Array = new Uint32Array(0);
  private team: Team | undefined;
  /** Leaves of the last grown tree: node id and partition range. */
  private leafNode: number[] = [];
  private leafStart: number[] = [];
  private leafEnd: number[] = [];

  /** Per class: the training rows' margins (softmax inputs; the caller adds each tree's values) and gradients. */
  readonly margins: readonly Float64Array[];
  readonly gradients: readonly Float64Array[];
  readonly hessians: readonly Float64Array[];
  private readonly classCount = MAX_TARGETS;
  /** The largest row weight (bounds |g| and h for the quantisation scales). */
  private readonly largestWeight: number;

  /**
   * @param labels class of each training row (0..2)
   * @param weights weight of each training row (sample weight x class weight)
   * @param hessianFactor c of the softmax hessian c p (1 - p) (2 for XGBoost, 1.5 for LightGBM), or 0 for first-order
   *   boosting, whose hessian is the row weight
   */
  constructor(
    private readonly data: BinnedData,
    private readonly parameters: BoostTreeParameters,
    labels: Int8Array,
    weights: Float64Array,
    private readonly hessianFactor: number,
  ) {
    const { rowCount, featureCount } = data;
    const classCount = MAX_TARGETS;
    this.parallel = parameters.threads > 1 && rowCount * featureCount >= PARALLEL_MIN_DATA;
    this.shared = this.parallel;
    // The kernel's memory: row-major bins, partition, packed gradients, then the histograms (room for a few now).
    const wordsPerRow = Math.ceil(featureCount / 4);
    const wordsBytes = rowCount * wordsPerRow * 4;
    // Histograms alive at once: the other classes' roots, plus the open leaves (leaf-wise) or the deepest splittable
    // level (depth-wise); beyond that (unbounded trees) the memory grows.
    const openHistograms = Number.isFinite(parameters.maxLeaves) ? parameters.maxLeaves : 2 ** Math.min(5, parameters.maxDepth - 1);
    const partials = this.parallel ? parameters.threads * MAX_TARGETS : 0;
    const histogramCapacity = classCount + 2 + Math.min(32, openHistograms) + partials;
    this.arena = new KernelMemory(wordsBytes + rowCount * (12 + 8 * classCount) + histogramCapacity * histogramBytes(wordsPerRow) + 64 * 8);
    const memory = this.arena.memory;
    const wordsAt = this.arena.allocate(wordsBytes);
    const words = packRowWords(data.bins, rowCount, featureCount, new Uint32Array(memory.buffer, wordsAt, rowCount * wordsPerRow));
    this.rows = { words, wordsPerRow };
    const partitionAt = this.arena.allocate(rowCount * 4);
    const leftRowsAt = this.parallel ? this.arena.allocate(rowCount * 4) : 0;
    const rightRowsAt = this.parallel ? this.arena.allocate(rowCount * 4) : 0;
    const packedAt = Array.from({ length: classCount }, () => this.arena.allocate(rowCount * 8));
    const lastBin = Int32Array.from(data.edges, (edges) => edges.length);
    this.buffers = {
      kernel: instantiateKernel(kernelModule(), memory),
      words,
      wordsAt,
      wordsPerRow,
      featureCount,
      partition: new Uint32Array(memory.buffer, partitionAt, rowCount),
      partitionAt,
      packed: packedAt.map((offset) => new Float64Array(memory.buffer, offset, rowCount)),
      packedAt,
      margins: Array.from({ length: classCount }, () => this.array(Float64Array, rowCount)),
      gradients: Array.from({ length: classCount }, () => this.array(Float64Array, rowCount)),
      hessians: Array.from({ length: classCount }, () => this.array(Float64Array, rowCount)),
      labels: this.shared ? copyToShared(labels) : labels,
      weights: this.shared ? copyToShared(weights) : weights,
      rowSums: this.array(Float64Array, ROW_CHUNKS_PER_THREAD * parameters.threads * MAX_TARGETS * 2),
      leftRows: new Uint32Array(memory.buffer, leftRowsAt, this.parallel ? rowCount : 0),
      leftRowsAt,
      rightRows: new Uint32Array(memory.buffer, rightRowsAt, this.parallel ? rowCount : 0),
      rightRowsAt,
      rowLeft: this.array(Int32Array, ROW_CHUNKS_PER_THREAD * parameters.threads),
      lastBin: this.shared ? copyToShared(lastBin) : lastBin,
      allowed: this.array(Uint8Array, classCount * featureCount),
      control: this.array(Int32Array, CONTROL.size),
      claims: this.array(Int32Array, wordsPerRow),
      rowClaims: this.array(Int32Array, ROW_CHUNKS_PER_THREAD * parameters.threads),
      contributed: this.array(Int32Array, parameters.threads),
      // Each thread's partial histograms for the row phase (parallel jobs only).
      partialAt: this.parallel ? Array.from({ length: parameters.threads * MAX_TARGETS }, () => this.arena.allocate(histogramBytes(wordsPerRow))) : [],
      threadCount: parameters.threads,
      numbers: this.array(Float64Array, numbersSize(classCount)),
      results: this.array(Float64Array, resultsSize(wordsPerRow)),
      histograms: [],
      histogramAt: [],
    };
    this.scratch = new Uint32Array(rowCount);
    this.margins = this.buffers.margins;
    this.gradients = this.buffers.gradients;
    this.hessians = this.buffers.hessians;
    let largestWeight = 0;
    for (let row = 0; row < rowCount; row++) largestWeight = Math.max(largestWeight, weights[row]!);
    this.largestWeight = largestWeight;
  }

  /**
   * Computes the gradients and hessians of every training row from the margins (for GOSS, which picks rows by them;
   * a plain round computes them for its rows only, in beginRound).
   */
  computeAllGradients(): void {
    const { buffers } = this;
    const rowCount = this.data.rowCount;
    for (let row = 0; row < rowCount; row++) buffers.partition[row] = row;
    this.setPrepare([1, 1, 1], [1, 1, 1], [0, 0, 0]);
    // A job of its own, shared by the threads by chunks of rows (each row's gradients are computed alone, so the
    // values do not depend on who computes them); nothing is built or scanned.
    const control = buffers.control;
    control[CONTROL.prepare] = PREPARE_GRADIENTS_ONLY;
    control[CONTROL.start] = 0;
    control[CONTROL.end] = rowCount;
    control[CONTROL.buildCount] = 0;
    control[CONTROL.subtractFrom] = -1;
    control[CONTROL.scanCount] = 0;
    this.runJob(rowCount);
    control[CONTROL.prepare] = PREPARE_NONE;
  }

  /**
   * Starts a round on `rows` (ascending row indices): prepares their gradients and hessians (computed from the
   * margins, or as they are after GOSS when `gradientsReady`, whose amplification of some rows is `amplification`),
   * quantised per class tree, builds the class trees' root histograms in one pass and finds the roots' splits (all
   * in one job, shared by the threads). `features[k]` are the features allowed in class k's tree;
   * `roundingSeeds[k]` seeds its stochastic rounding.
   *
   * Quantisation scales: |g| <= w, and h <= w c / 4 for the softmax hessian or h = w first-order (x the GOSS
   * amplification), so with the largest row weight W the scales W / levels and W c / (4 levels) (W / levels
   * first-order) map every value into [-levels, levels], which keeps every packed sum exact (quantisationLevels),
   * whatever the rows. (A few rows weighing far more than the others coarsen the others' quantisation; it stays
   * unbiased, and leaf values are exact.)
   */
  beginRound(rows: Uint32Array, features: readonly Int32Array[], roundingSeeds: readonly number[], gradientsReady = false, amplification = 1): void {
    const { buffers, parameters } = this;
    const count = rows.length;
    const levels = quantisationLevels(count);
    if (levels < 1) throw new InvalidArgumentError(`boosting supports at most 2^26 rows per tree, got ${count}`);
    this.roundRows = rows;
    buffers.partition.set(rows);
    buffers.allowed.fill(0);
    this.classes.length = 0;
    const minCount = parameters.minDataInLeaf > 1 ? parameters.minDataInLeaf : 1e-6;
    const bound = this.largestWeight * amplification;
    const gradientScale = bound > 0 ? bound / levels : 1;
    // h <= w c / 4 for the softmax hessian (p (1 - p) <= 1/4), h = w for first-order boosting.
    const hessianBound = this.hessianFactor === 0 ? bound : (bound * this.hessianFactor) / 4;
    const hessianScale = bound > 0 ? hessianBound / levels : 1;
    for (let label = 0; label < this.classCount; label++) {
      for (const feature of features[label]!) buffers.allowed[label * this.data.featureCount + feature] = 1;
      setClassParameters(buffers.numbers, label, parameters.lambda / hessianScale, parameters.alpha / gradientScale, parameters.minChildWeight / hessianScale, minCount);
      const root: Candidate = newCandidate(-1, 0, count, 0, 0, 0, count);
      this.classes.push({
        gradient: this.gradients[label]!, hessian: this.hessians[label]!, gradientScale, hessianScale,
        minChildWeight: parameters.minChildWeight / hessianScale, root,
      });
    }
    this.setPrepare([gradientScale, gradientScale, gradientScale], [hessianScale, hessianScale, hessianScale], roundingSeeds);
    // One job: prepare the rows, build the three root histograms, find the roots' best splits. Whether a root can
    // split depends on its sums, known only after the job: a root that cannot split drops its result.
    const control = buffers.control;
    control[CONTROL.prepare] = gradientsReady ? PREPARE_QUANTISE : PREPARE_GRADIENTS;
    control[CONTROL.start] = 0;
    control[CONTROL.end] = count;
    control[CONTROL.buildCount] = 0;
    control[CONTROL.subtractFrom] = -1;
    control[CONTROL.scanCount] = 0;
    for (let label = 0; label < this.classCount; label++) {
      const root = this.classes[label]!.root;
      root.histogram = this.acquire();
      this.addBuild(root.histogram, label);
      this.addScan(root, label);
    }
    this.runJob(count);
    control[CONTROL.prepare] = PREPARE_NONE;
    const chunks = Math.max(1, control[CONTROL.rowChunks]!);
    for (let label = 0; label < this.classCount; label++) {
      const classTree = this.classes[label]!;
      const root = classTree.root;
      for (let chunk = 0; chunk < chunks; chunk++) {
        root.sumGradient += buffers.rowSums[(chunk * MAX_TARGETS + label) * 2]!;
        root.sumHessian += buffers.rowSums[(chunk * MAX_TARGETS + label) * 2 + 1]!;
      }
      if (this.canSplit(root, classTree)) this.takeBestSplit(root, label, classTree);
      else this.release(root);
    }
  }

  private setPrepare(gradientScales: readonly number[], hessianScales: readonly number[], seeds: readonly number[]): void {
    setPrepareParameters(this.buffers.numbers, this.hessianFactor, gradientScales, hessianScales, seeds);
  }

  /** Grows the tree of class `label` of the current round (after `beginRound`). */
  growTree(label: number): Tree {
    const classTree = this.classes[label]!;
    const parameters = this.parameters;
    this.buffers.partition.set(this.roundRows);
    const tree = new TreeBuffer(1);
    this.leafNode = [];
    this.leafStart = [];
    this.leafEnd = [];
    const root = classTree.root;
    root.node = tree.addNode(0);
    const open: Candidate[] = [root];
    let leafCount = 1;
    const leafWise = Number.isFinite(parameters.maxLeaves);
    while (open.length > 0) {
      let pick = 0;
      if (leafWise) {
        for (let index = 1; index < open.length; index++) if (open[index]!.bestGain > open[pick]!.bestGain) pick = index;
      }
      const candidate = open[pick]!;
      open.splice(pick, 1);
      if (candidate.bestFeature < 0 || leafCount >= parameters.maxLeaves) {
        this.release(candidate);
        this.leafNode.push(candidate.node);
        this.leafStart.push(candidate.start);
        this.leafEnd.push(candidate.end);
        continue;
      }
      leafCount++;
      // The split that fills the tree: its children stay leaves, so they need no histogram.
      this.split(tree, candidate, open, label, leafCount < parameters.maxLeaves);
    }
    this.refitLeaves(tree, classTree);
    return tree.finish();
  }

  /**
   * Adds the last grown tree's leaf values to `margin[row]` for the rows it was grown on (their leaves are known from
   * the final row partition, so no traversal is needed).
   */
  addToGrownRows(tree: Tree, margin: Float64Array): void {
    for (let leaf = 0; leaf < this.leafNode.length; leaf++) {
      addToRows(this.buffers.partition, this.leafStart[leaf]!, this.leafEnd[leaf]!, tree.value[this.leafNode[leaf]!]!, margin);
    }
  }

  /** Stops the workers, if any (fit calls it in a finally block). */
  dispose(): void {
    const team = this.team;
    if (team === undefined) return;
    this.team = undefined;
    const control = this.buffers.control;
    Atomics.store(control, CONTROL.command, COMMAND_QUIT);
    Atomics.add(control, CONTROL.posted, 1);
    Atomics.notify(control, CONTROL.posted);
    for (const port of team.ports) port.close();
    for (const worker of team.workers) void worker.terminate();
  }

  private array<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(
    type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number },
    length: number,
  ): T {
    return this.shared ? new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT)) : new type(length);
  }

  private canSplit(candidate: Candidate, classTree: ClassTree): boolean {
    const parameters = this.parameters;
    return (
      candidate.depth < parameters.maxDepth &&
      candidate.count >= 2 * Math.max(1, parameters.minDataInLeaf) &&
      candidate.sumHessian > 0 &&
      candidate.sumHessian >= 2 * classTree.minChildWeight
    );
  }

  /** A free histogram buffer (id). New buffers are shared with the workers as they are made. */
  private acquire(): number {
    const free = this.freeHistograms.pop();
    if (free !== undefined) return free;
    const id = this.buffers.histograms.length;
    const bytes = histogramBytes(this.rows.wordsPerRow);
    const offset = this.arena.allocate(bytes);
    this.buffers.histograms.push(new Float64Array(this.arena.memory.buffer, offset, bytes / 8));
    this.buffers.histogramAt.push(offset);
    if (this.team !== undefined) for (const port of this.team.ports) port.postMessage({ id, offset });
    return id;
  }

  private release(candidate: Candidate): void {
    if (candidate.histogram >= 0) this.freeHistograms.push(candidate.histogram);
    candidate.histogram = -1;
  }

  private addBuild(histogram: number, label: number): void {
    const control = this.buffers.control;
    const index = control[CONTROL.buildCount]!;
    control[CONTROL.build + 2 * index] = histogram;
    control[CONTROL.build + 2 * index + 1] = label;
    control[CONTROL.buildCount] = index + 1;
  }

  private addScan(candidate: Candidate, label: number): void {
    const control = this.buffers.control;
    const index = control[CONTROL.scanCount]!;
    control[CONTROL.scan + 2 * index] = candidate.histogram;
    control[CONTROL.scan + 2 * index + 1] = label;
    control[CONTROL.scanCount] = index + 1;
    setScanSums(this.buffers.numbers, index, candidate.sumGradient, candidate.sumHessian, candidate.count);
  }

  /** Whether a job adding `rows` rows to the histograms built (and scanning) is worth sharing with the workers. */
  private shares(rows: number): boolean {
    const control = this.buffers.control;
    const work = rows * this.buffers.wordsPerRow * Math.max(1, control[CONTROL.buildCount]!) + control[CONTROL.scanCount]! * this.data.featureCount * HISTOGRAM_BINS;
    return this.parallel && work >= PARALLEL_MIN_WORK;
  }

  /**
   * Runs the job described in the control block (`rows` rows to add to the histograms built): shared with the
   * workers when it is large enough (see shareJob), else in this thread in one chunk.
   */
  private runJob(rows: number): void {
    const buffers = this.buffers;
    const control = buffers.control;
    control[CONTROL.split] = 0;
    if (!this.shares(rows)) {
      control[CONTROL.rowChunks] = 0;
      control[CONTROL.chunkWords] = buffers.wordsPerRow;
      control[CONTROL.chunks] = 1;
      runBoostChunk(buffers, 0, 0);
      return;
    }
    this.runSharedJob(rows);
  }

  /** Posts the job in the control block to the workers and does this thread's share (rows: its row phase). */
  private runSharedJob(rows: number): void {
    const buffers = this.buffers;
    const control = buffers.control;
    this.ensureTeam();
    const chunks = Math.ceil(buffers.wordsPerRow / CHUNK_WORDS);
    control[CONTROL.rowChunks] = Math.min(ROW_CHUNKS_PER_THREAD * this.parameters.threads, Math.max(1, Math.floor(rows / MIN_CHUNK_ROWS)));
    control[CONTROL.chunkWords] = CHUNK_WORDS;
    control[CONTROL.chunks] = chunks;
    control[CONTROL.command] = COMMAND_RUN;
    Atomics.store(control, CONTROL.rowsDone, 0);
    Atomics.store(control, CONTROL.done, 0);
    // Publishing the job number makes the job claimable; every field, and the chunk slots, are written before it.
    const job = Atomics.load(control, CONTROL.posted) + 1;
    openChunks(buffers.rowClaims, control[CONTROL.rowChunks]!, job);
    openChunks(buffers.claims, chunks, job);
    Atomics.store(control, CONTROL.posted, job);
    Atomics.notify(control, CONTROL.posted);
    if (!shareJob(buffers, job, 0, false) || !waitForCount(control, CONTROL.done, chunks, job)) this.throwWorkerFailure();
  }

  private ensureTeam(): void {
    if (this.team !== undefined) return;
    const { buffers } = this;
    const workers = startTreeWorkers(this.parameters.threads - 1);
    const ports: MessagePort[] = [];
    for (const worker of workers) {
      const channel = new MessageChannel();
      const setup: BoostWorkerSetup = {
        kind: 'boost',
        module: kernelModule(),
        memory: this.arena.memory,
        rowCount: this.data.rowCount,
        wordsAt: buffers.wordsAt,
        wordsPerRow: buffers.wordsPerRow,
        featureCount: buffers.featureCount,
        partitionAt: buffers.partitionAt,
        packedAt: buffers.packedAt,
        margins: buffers.margins,
        gradients: buffers.gradients,
        hessians: buffers.hessians,
        labels: buffers.labels,
        weights: buffers.weights,
        rowSums: buffers.rowSums,
        leftRowsAt: buffers.leftRowsAt,
        rightRowsAt: buffers.rightRowsAt,
        rowLeft: buffers.rowLeft,
        lastBin: buffers.lastBin,
        allowed: buffers.allowed,
        control: buffers.control,
        claims: buffers.claims,
        rowClaims: buffers.rowClaims,
        contributed: buffers.contributed,
        partialAt: buffers.partialAt,
        numbers: buffers.numbers,
        results: buffers.results,
        threadIndex: workers.indexOf(worker) + 1,
        threadCount: this.parameters.threads,
        histogramAt: buffers.histogramAt,
        port: channel.port2,
      };
      worker.postMessage(setup, [channel.port2]);
      ports.push(channel.port1);
    }
    this.team = { workers, ports };
  }

  private throwWorkerFailure(): never {
    let reason = 'unknown error';
    for (const port of this.team?.ports ?? []) {
      const message = receiveMessageOnPort(port);
      if (message !== undefined) reason = String((message.message as { error?: unknown }).error);
    }
    this.dispose();
    throw new QuantError('INTERNAL', `a tree worker failed: ${reason}`);
  }

  /** Reads the merged best split of scan target `scan` (chunks in feature order, the earliest wins ties). */
  private takeBestSplit(candidate: Candidate, scan: number, classTree: ClassTree): void {
    const results = this.buffers.results;
    const chunks = this.buffers.control[CONTROL.chunks]!;
    let best = -1;
    let bestGain = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const offset = (chunk * MAX_TARGETS + scan) * RESULT_SIZE;
      if (results[offset + 1]! >= 0 && results[offset]! > bestGain) {
        bestGain = results[offset]!;
        best = offset;
      }
    }
    // Loss change is half the score difference (in float units: x gradientScale^2 / hessianScale); gamma is the
    // minimum loss change of a split.
    const lossChange = ((bestGain / 2) * classTree.gradientScale * classTree.gradientScale) / classTree.hessianScale;
    if (best < 0 || !(lossChange > this.parameters.gamma)) {
      candidate.bestFeature = -1;
      candidate.bestGain = -1;
      return;
    }
    candidate.bestGain = lossChange;
    candidate.bestFeature = results[best + 1]! | 0;
    candidate.bestBin = results[best + 2]! | 0;
    candidate.bestDefaultLeft = results[best + 3] === 1;
    candidate.leftGradient = results[best + 4]!;
    candidate.leftHessian = results[best + 5]!;
  }

  private split(tree: TreeBuffer, candidate: Candidate, open: Candidate[], label: number, childrenMaySplit: boolean): void {
    const classTree = this.classes[label]!;
    const { start, end, bestFeature: feature, bestBin: splitBin, bestDefaultLeft: defaultLeft } = candidate;
    const control = this.buffers.control;
    control[CONTROL.buildCount] = 1;
    control[CONTROL.scanCount] = 2;
    if (childrenMaySplit && candidate.depth + 1 < this.parameters.maxDepth && this.shares(end - start)) {
      this.splitShared(tree, candidate, open, label);
      return;
    }
    const leftEnd = partitionRowsByWords(this.buffers.partition, this.scratch, this.rows.words, this.rows.wordsPerRow, feature, start, end, splitBin, defaultLeft);

    const depth = candidate.depth + 1;
    const left = newCandidate(tree.addNode(0), start, leftEnd, depth, candidate.leftGradient, candidate.leftHessian, leftEnd - start);
    const right = newCandidate(
      tree.addNode(0), leftEnd, end, depth,
      candidate.sumGradient - candidate.leftGradient,
      candidate.sumHessian - candidate.leftHessian,
      end - leftEnd,
    );
    tree.setSplit(candidate.node, feature, splitBin, thresholdOfBin(this.data.edges[feature]!, splitBin), defaultLeft, left.node, right.node, candidate.bestGain);
    open.push(left, right);

    const [small, large] = left.count <= right.count ? [left, right] : [right, left];
    const smallSplittable = childrenMaySplit && this.canSplit(small, classTree);
    const largeSplittable = childrenMaySplit && this.canSplit(large, classTree);
    const parentHistogram = candidate.histogram;
    candidate.histogram = -1;
    if (!smallSplittable && !largeSplittable) {
      this.freeHistograms.push(parentHistogram);
      return;
    }
    // One job: build the smaller child's histogram, subtract it from the parent's (= the larger child's) when the
    // larger child can split, and find both children's best splits.
    control[CONTROL.start] = small.start;
    control[CONTROL.end] = small.end;
    control[CONTROL.buildCount] = 0;
    control[CONTROL.scanCount] = 0;
    small.histogram = this.acquire();
    this.addBuild(small.histogram, label);
    if (largeSplittable) {
      control[CONTROL.subtractFrom] = parentHistogram;
      large.histogram = parentHistogram;
    } else {
      control[CONTROL.subtractFrom] = -1;
      this.freeHistograms.push(parentHistogram);
    }
    const scanned: Candidate[] = [];
    if (smallSplittable) {
      this.addScan(small, label);
      scanned.push(small);
    }
    if (largeSplittable) {
      this.addScan(large, label);
      scanned.push(large);
    }
    this.runJob(small.count);
    scanned.forEach((child, scan) => this.takeBestSplit(child, scan, classTree));
    if (!smallSplittable) this.release(small);
  }

  /**
   * A split as one shared job: the threads partition the parent's rows by chunks and build the histogram of the side
   * expected to be smaller (by hessian; any side gives the same model, the other being parent - built) from the rows
   * they just partitioned, then merge, subtract and scan both children (a child that turns out unable to split drops
   * its result). The chunks' left and right rows are then put in place, left rows first, each side in row order: the
   * same partition as partitionRows.
   */
  private splitShared(tree: TreeBuffer, candidate: Candidate, open: Candidate[], label: number): void {
    const classTree = this.classes[label]!;
    const buffers = this.buffers;
    const control = buffers.control;
    const { start, end, bestFeature: feature, bestBin: splitBin, bestDefaultLeft: defaultLeft } = candidate;
    const rightGradient = candidate.sumGradient - candidate.leftGradient;
    const rightHessian = candidate.sumHessian - candidate.leftHessian;
    const smallIsLeft = candidate.leftHessian <= rightHessian;
    const parentHistogram = candidate.histogram;
    candidate.histogram = -1;
    const built = this.acquire();
    control[CONTROL.split] = 1;
    control[CONTROL.splitFeature] = feature;
    control[CONTROL.splitBin] = splitBin;
    control[CONTROL.missingLeft] = defaultLeft ? 1 : 0;
    control[CONTROL.smallIsLeft] = smallIsLeft ? 1 : 0;
    control[CONTROL.start] = start;
    control[CONTROL.end] = end;
    control[CONTROL.prepare] = PREPARE_NONE;
    control[CONTROL.buildCount] = 1;
    control[CONTROL.build] = built;
    control[CONTROL.build + 1] = label;
    control[CONTROL.subtractFrom] = parentHistogram;
    control[CONTROL.scanCount] = 2;
    control[CONTROL.scan] = built;
    control[CONTROL.scan + 1] = label;
    control[CONTROL.scan + 2] = parentHistogram;
    control[CONTROL.scan + 3] = label;
    setScanSums(buffers.numbers, smallIsLeft ? 0 : 1, candidate.leftGradient, candidate.leftHessian, 0);
    setScanSums(buffers.numbers, smallIsLeft ? 1 : 0, rightGradient, rightHessian, 0);
    this.runSharedJob(end - start);
    control[CONTROL.split] = 0;

    // The chunks' pieces: left rows first, then right rows, each in chunk (= row) order.
    const chunks = control[CONTROL.rowChunks]!;
    const rows = end - start;
    let leftEnd = start;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const chunkStart = start + Math.floor((chunk * rows) / chunks);
      const leftCount = buffers.rowLeft[chunk]!;
      buffers.partition.set(buffers.leftRows.subarray(chunkStart, chunkStart + leftCount), leftEnd);
      leftEnd += leftCount;
    }
    let rightEnd = leftEnd;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const chunkStart = start + Math.floor((chunk * rows) / chunks);
      const chunkEnd = start + Math.floor(((chunk + 1) * rows) / chunks);
      const rightCount = chunkEnd - chunkStart - buffers.rowLeft[chunk]!;
      buffers.partition.set(buffers.rightRows.subarray(chunkStart, chunkStart + rightCount), rightEnd);
      rightEnd += rightCount;
    }

    const depth = candidate.depth + 1;
    const left = newCandidate(tree.addNode(0), start, leftEnd, depth, candidate.leftGradient, candidate.leftHessian, leftEnd - start);
    const right = newCandidate(tree.addNode(0), leftEnd, end, depth, rightGradient, rightHessian, end - leftEnd);
    tree.setSplit(candidate.node, feature, splitBin, thresholdOfBin(this.data.edges[feature]!, splitBin), defaultLeft, left.node, right.node, candidate.bestGain);
    open.push(left, right);
    const [builtChild, otherChild] = smallIsLeft ? [left, right] : [right, left];
    builtChild.histogram = built;
    otherChild.histogram = parentHistogram;
    for (const [scan, child] of [builtChild, otherChild].entries()) {
      if (this.canSplit(child, classTree)) this.takeBestSplit(child, scan, classTree);
      else this.release(child);
    }
  }

  /**
   * Leaf values and covers from the exact gradients of the rows in each leaf (LightGBM's leaf renewal after
   * quantised training); an internal node's sums are its children's.
   */
  private refitLeaves(tree: TreeBuffer, classTree: ClassTree): void {
    const { gradient, hessian } = classTree;
    const { lambda, alpha, learningRate } = this.parameters;
    const partition = this.buffers.partition;
    const nodeCount = tree.nodeCount;
    const sumGradient = new Float64Array(nodeCount);
    const sumHessian = new Float64Array(nodeCount);
    for (let leaf = 0; leaf < this.leafNode.length; leaf++) {
      const node = this.leafNode[leaf]!;
      sumGradient[node] = sumOverRows(partition, this.leafStart[leaf]!, this.leafEnd[leaf]!, gradient);
      sumHessian[node] = sumOverRows(partition, this.leafStart[leaf]!, this.leafEnd[leaf]!, hessian);
    }
    // Children have larger ids than their parent.
    for (let node = nodeCount - 1; node >= 0; node--) {
      const left = tree.leftOf(node);
      if (left >= 0) {
        const right = tree.rightOf(node);
        sumGradient[node] = sumGradient[left]! + sumGradient[right]!;
        sumHessian[node] = sumHessian[left]! + sumHessian[right]!;
      }
      tree.setValue(node, 0, (-thresholdL1(sumGradient[node]!, alpha) / (sumHessian[node]! + lambda)) * learningRate);
      tree.setCover(node, sumHessian[node]!);
    }
  }
}

/** Sum of values[row] over rows partition[start..end) (its own function: see partition.ts). */
function sumOverRows(partition: Uint32Array, start: number, end: number, values: Float64Array): number {
  let sum = 0;
  for (let index = start; index < end; index++) sum += values[partition[index]!]!;
  return sum;
}

/** Adds `value` to margin[row] for rows partition[start..end). */
function addToRows(partition: Uint32Array, start: number, end: number, value: number, margin: Float64Array): void {
  for (let index = start; index < end; index++) margin[partition[index]!]! += value;
}

function newCandidate(node: number, start: number, end: number, depth: number, sumGradient: number, sumHessian: number, count: number): Candidate {
  return {
    node, start, end, depth, sumGradient, sumHessian, count,
    histogram: -1,
    bestGain: -1, bestFeature: -1, bestBin: 0, bestDefaultLeft: false,
    leftGradient: 0, leftHessian: 0,
  };
}

function thresholdL1(gradient: number, alpha: number): number {
  if (gradient > alpha) return gradient - alpha;
  if (gradient < -alpha) return gradient + alpha;
  return 0;
}

function copyToShared<T extends Int8Array | Int32Array | Float64Array>(array: T): T {
  const shared = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}
