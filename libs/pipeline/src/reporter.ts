/**
 * What a training or scanning run tells its user while it works. The pipeline never writes to the terminal: it
 * calls a reporter, and the app decides how to show it (progress bars with ETA, plain ASCII, JSON lines, nothing).
 */

export interface SymbolEvent {
  /** 1-based position of the symbol in the run. */
  readonly index: number;
  readonly total: number;
  readonly symbol: string;
  /** Samples the symbol contributes; undefined when it failed. */
  readonly samples?: number;
  readonly failure?: { readonly code: string; readonly reason: string };
  /** True when the work was found done in the checkpoint and not repeated. */
  readonly resumed: boolean;
}

export interface ModelEvent {
  readonly model: string;
  /** Where the model belongs: 'fold 1/3 inner 2/3', 'fold 2/3 full', 'final full', ... */
  readonly stage: string;
  readonly seconds: number;
  readonly resumed: boolean;
}

export interface RunReporter {
  /** A phase starts (ingest, features, train, evaluate, ...); `total` steps when known. */
  phaseStart(phase: string, total?: number, detail?: string): void;
  /** Progress inside the current phase. */
  phaseProgress(completed: number, detail?: string): void;
  phaseEnd(summary?: string): void;
  symbol(event: SymbolEvent): void;
  model(event: ModelEvent): void;
  /** Progress inside one model fit (boosting rounds, trees): keeps the terminal alive during long fits. */
  fitProgress(model: string, completed: number, total: number): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentReporter: RunReporter = Object.freeze({
  phaseStart() {},
  phaseProgress() {},
  phaseEnd() {},
  symbol() {},
  model() {},
  fitProgress() {},
  info() {},
  warn() {},
});
