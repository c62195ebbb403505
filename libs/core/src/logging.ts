/**
 * Libraries never write to the console. They report through these interfaces, and the apps decide how to show it
 * (a terminal with progress bars, plain ASCII, JSON lines, or nothing at all in tests).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Progress of one long phase (ingestion, feature computation, training of a model). */
export interface ProgressReporter {
  /** A phase begins; `total` is the number of steps when known. */
  start(phase: string, total?: number): void;
  /** `completed` steps of the current phase are done; `detail` names the latest one (a symbol, a tree). */
  update(completed: number, detail?: string): void;
  /** The phase ended (successfully or not). */
  end(summary?: string): void;
}

/** A logger that drops everything (the default for libraries). */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** A progress reporter that drops everything. */
export const silentProgress: ProgressReporter = Object.freeze({
  start() {},
  update() {},
  end() {},
});

/** One recorded log entry (see `createMemoryLogger`). */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps entries in memory: for tests, and for attaching a run's log to its report. */
export function createMemoryLogger(): Logger & { readonly entries: readonly LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
