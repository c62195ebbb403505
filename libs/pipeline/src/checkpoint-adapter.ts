/**
 * The training run's checkpoint over @quant/checkpoint: one directory per options folder, the run id kept across
 * resumes, and the run's result-changing options as its config (a resume with other options is refused, naming what
 * differs; `--reset` starts fresh).
 */
import { CheckpointStore, checkpointStatus, formatStatus, readCheckpoint, resetCheckpoint, type CheckpointPhase } from '@quant/checkpoint';
import type { Logger } from '@quant/core';
import { optionsFingerprint, resultOptions, type TrainOptions } from './options.js';
import type { RunCheckpoint, SymbolFailure } from './run-checkpoint.js';

function newRunId(now: Date, options: TrainOptions): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${optionsFingerprint(options).slice(0, 8)}`;
}

/** Opens (or resumes) the run's checkpoint in `options.checkpointFolder`. Close it when the run ends. */
export function openRunCheckpoint(options: TrainOptions, environment: { now: () => Date; logger?: Logger }): RunCheckpoint & { close(): void } {
  const directory = options.checkpointFolder;
  const existing = readCheckpoint(directory, { verifyArtifacts: false });
  const runId = existing?.state.runId ?? newRunId(environment.now(), options);
  const store = CheckpointStore.open({
    directory,
    runId,
    config: resultOptions(options),
    now: environment.now,
    ...(environment.logger === undefined ? {} : { logger: environment.logger }),
  });
  const phaseOf = (phase: string) => phase as CheckpointPhase;
  return {
    runId,
    resumed: store.resumed,
    get phase() {
      return store.phase;
    },
    setPhase: (phase) => store.setPhase(phase),
    isDone: (phase, key) => (phase === 'features' ? store.isSymbolCompleted(key) : store.isDone(phaseOf(phase), key)),
    doneInfo: (phase, key) => {
      const info = store.item(phaseOf(phase), key)?.info;
      return info !== null && typeof info === 'object' && !Array.isArray(info) ? (info as Record<string, unknown>) : undefined;
    },
    markDone: (phase, key, info) => store.markItemDone(phaseOf(phase), key, info === undefined ? {} : { info: info as never }),
    markSymbolCompleted: (symbol, samples) => store.markSymbolCompleted(symbol, samples),
    markSymbolFailed: (failure: SymbolFailure) => store.markSymbolFailed(failure),
    failedSymbols: () => store.failedSymbols().map(({ symbol, source, code, reason, attempts }) => ({ symbol, source, code, reason, attempts })),
    saveArtifact: (key, text) => {
      store.saveArtifact(key, text);
    },
    loadArtifact: (key) => {
      if (store.artifact(key) === undefined) return undefined;
      try {
        return store.loadArtifactText(key);
      } catch {
        // A damaged artifact is redone (the store has recorded the problem).
        return undefined;
      }
    },
    setEvaluation: (summary) => store.setEvaluation(summary as never),
    close: () => store.close(),
  };
}

/** Plain-ASCII progress of the checkpoint for `--status` (works while a trainer is writing it). */
export function checkpointStatusText(options: TrainOptions): string {
  const snapshot = readCheckpoint(options.checkpointFolder);
  if (snapshot === null) return `No checkpoint in ${options.checkpointFolder}: the next run starts fresh.`;
  return formatStatus(checkpointStatus(snapshot));
}

/** Deletes the checkpoint (the app confirms with the user first). True when there was one. */
export function resetRunCheckpoint(options: TrainOptions): boolean {
  return resetCheckpoint(options.checkpointFolder);
}
