/**
 * One forest tree from its own random stream: bootstrap draws (random forest) or all rows (extra trees), then the
 * Gini tree. Used by the main thread and by the tree workers (tree-worker.ts), so that tree i is the same whichever
 * thread grows it: its stream is the i-th fork of the model's generator, taken in order before training.
 */
import type { MessagePort } from 'node:worker_threads';
import { randomFromState, type RandomState } from '@quant/core';
import type { BinnedData } from './boost-grower.js';
import { ForestTreeGrower, type ForestTreeParameters } from './forest-grower.js';
import { Tree } from './tree.js';

/** Int32 slots of the control block shared with the forest workers. */
export const FOREST_CONTROL = {
  /** Trees not yet claimed (a claim is Atomics.sub; the tree claimed is `trees - returned value`). */
  remaining: 0,
  /** Trees posted by the workers (the main thread waits on it). */
  posted: 1,
  /** Set to 1 by a worker that failed (its message follows on its port). */
  failed: 2,
  size: 3,
} as const;

export interface ForestTreeJob {
  /** Column-major bins. */
  bins: Uint8Array;
  /** The same bins, row-major (row-words.ts). */
  words: Uint32Array;
  wordsPerRow: number;
  rowCount: number;
  featureCount: number;
  edges: readonly Float64Array[];
  labels: Int8Array;
  /** Sample weight x class weight per row. */
  baseWeight: Float64Array;
  bootstrap: boolean;
  /** Bootstrap draws per tree. */
  draws: number;
  grower: ForestTreeParameters;
}

export class ForestTreeBuilder {
  private readonly grower: ForestTreeGrower;
  private readonly rowWeight: Float64Array;
  private readonly rows: Uint32Array;
  /** Bootstrap draw count per row of the last tree (bootstrap only). */
  readonly drawCount: Uint32Array;

  constructor(private readonly job: ForestTreeJob) {
    const data: BinnedData = { bins: job.bins, rowCount: job.rowCount, featureCount: job.featureCount, edges: job.edges };
    this.grower = new ForestTreeGrower(data, { words: job.words, wordsPerRow: job.wordsPerRow }, job.labels, job.grower);
    this.rowWeight = new Float64Array(job.rowCount);
    this.rows = new Uint32Array(job.rowCount);
    this.drawCount = new Uint32Array(job.bootstrap ? job.rowCount : 0);
  }

  /** Draws the bootstrap counts of a tree's stream into `drawCount` (the first draws of the stream). */
  static drawBootstrap(random: { nextInt(bound: number): number }, drawCount: Uint32Array, draws: number): void {
    const rowCount = drawCount.length;
    drawCount.fill(0);
    for (let draw = 0; draw < draws; draw++) drawCount[random.nextInt(rowCount)]! += 1;
  }

  build(state: RandomState): Tree {
    const job = this.job;
    const random = randomFromState(state);
    const rowCount = job.rowCount;
    const rows = this.rows;
    const rowWeight = this.rowWeight;
    let count = 0;
    if (job.bootstrap) {
      const drawCount = this.drawCount;
      ForestTreeBuilder.drawBootstrap(random, drawCount, job.draws);
      for (let row = 0; row < rowCount; row++) {
        rowWeight[row] = drawCount[row]! * job.baseWeight[row]!;
        if (drawCount[row]! > 0) rows[count++] = row;
      }
    } else {
      for (let row = 0; row < rowCount; row++) rows[count++] = row;
      rowWeight.set(job.baseWeight);
    }
    return this.grower.grow(rows.subarray(0, count), rowWeight, random);
  }
}

/** A tree's typed arrays, as posted between threads. */
export type TreeArrays = ConstructorParameters<typeof Tree>;

export function treeToArrays(tree: Tree): TreeArrays {
  return [tree.outputCount, tree.feature, tree.threshold, tree.thresholdBin, tree.defaultLeft, tree.left, tree.right, tree.value, tree.cover, tree.gain];
}

export function treeFromArrays(arrays: TreeArrays): Tree {
  return new Tree(...arrays);
}

/** What a tree worker receives to grow forest trees. */
export interface ForestWorkerSetup {
  readonly kind: 'forest';
  /** The training job; its bins are in shared memory. */
  readonly job: ForestTreeJob;
  /** The random state of every tree of the forest. */
  readonly states: readonly RandomState[];
  readonly control: Int32Array;
  /** Grown trees are posted here as `{ index, arrays }`; a failure as `{ error }`. */
  readonly port: MessagePort;
}
