/**
 * What a training run needs from its checkpoint. The implementation over @quant/checkpoint is in
 * checkpoint-adapter.ts; tests may use the in-memory one below.
 */

export interface SymbolFailure {
  readonly symbol: string;
  readonly source: string;
  readonly code: string;
  readonly reason: string;
  readonly attempts: number;
}

export type RunPhase = 'ingest' | 'features' | 'train' | 'stack' | 'evaluate' | 'done';

export interface RunCheckpoint {
  readonly runId: string;
  /** True when the run continues an earlier, interrupted one. */
  readonly resumed: boolean;
  readonly phase: RunPhase;
  setPhase(phase: RunPhase): void;
  isDone(phase: RunPhase, key: string): boolean;
  /** Info stored with a done item (sample counts, seconds). */
  doneInfo(phase: RunPhase, key: string): Readonly<Record<string, unknown>> | undefined;
  markDone(phase: RunPhase, key: string, info?: Readonly<Record<string, unknown>>): void;
  markSymbolCompleted(symbol: string, samples: number): void;
  markSymbolFailed(failure: SymbolFailure): void;
  failedSymbols(): readonly SymbolFailure[];
  /** Stores an artifact (model JSON) durably before anything refers to it. */
  saveArtifact(key: string, text: string): void;
  /** The artifact, or undefined when absent or damaged (then the work is redone). */
  loadArtifact(key: string): string | undefined;
  setEvaluation(summary: unknown): void;
}

/** A checkpoint in memory (tests; runs that opt out of resuming). */
export function createMemoryCheckpoint(runId: string): RunCheckpoint {
  let phase: RunPhase = 'ingest';
  const done = new Map<string, Readonly<Record<string, unknown>>>();
  const failed: SymbolFailure[] = [];
  const artifacts = new Map<string, string>();
  return {
    runId,
    resumed: false,
    get phase() {
      return phase;
    },
    setPhase(next) {
      phase = next;
    },
    isDone: (itemPhase, key) => done.has(`${itemPhase}/${key}`),
    doneInfo: (itemPhase, key) => done.get(`${itemPhase}/${key}`),
    markDone(itemPhase, key, info = {}) {
      done.set(`${itemPhase}/${key}`, info);
    },
    markSymbolCompleted(symbol, samples) {
      done.set(`features/${symbol}`, { samples });
    },
    markSymbolFailed(failure) {
      failed.push(failure);
    },
    failedSymbols: () => failed,
    saveArtifact(key, text) {
      artifacts.set(key, text);
    },
    loadArtifact: (key) => artifacts.get(key),
    setEvaluation() {},
  };
}
