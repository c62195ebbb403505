/**
 * Typed errors shared by every @quant package.
 *
 * Every error carries a machine-readable `code` so that callers (the trainer, the scanner) can decide what to do
 * without parsing messages, and an optional `cause` that keeps the original error for diagnosis.
 */

/** Machine-readable error codes. Stable: new codes may be added, existing ones never change meaning. */
export type QuantErrorCode =
  | 'INVALID_ARGUMENT'
  | 'DATA_QUALITY'
  | 'NOT_FOUND'
  | 'FORMAT'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'RATE_LIMITED'
  | 'STATE'
  | 'INCOMPATIBLE_VERSION'
  | 'CANCELLED'
  | 'INTERNAL';

export interface QuantErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
  /** Structured context (symbol, date, value...) for logs; must be JSON-serialisable. */
  details?: Readonly<Record<string, unknown>>;
}

/** Base class of all errors thrown by @quant packages. */
export class QuantError extends Error {
  readonly code: QuantErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: QuantErrorCode, message: string, options: QuantErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A plain object for logs and JSON reports (the cause is flattened to its message). */
  toJSON(): { name: string; code: QuantErrorCode; message: string; details: Readonly<Record<string, unknown>>; cause?: string } {
    const json: { name: string; code: QuantErrorCode; message: string; details: Readonly<Record<string, unknown>>; cause?: string } = {
      name: this.name,
      code: this.code,
      message: this.message,
      details: this.details,
    };
    if (this.cause !== undefined) json.cause = this.cause instanceof Error ? this.cause.message : String(this.cause);
    return json;
  }
}

/** A caller passed a value that cannot be used (wrong type, out of range, mismatched lengths). */
export class InvalidArgumentError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** Market data failed a quality check (unsorted dates, non-positive prices, inconsistent OHLC...). */
export class DataQualityError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('DATA_QUALITY', message, options);
  }
}

/** A symbol, file, model or record that was asked for does not exist. */
export class NotFoundError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** Stored or received bytes do not have the expected format (corrupt file, schema change in a JSON response). */
export class FormatError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('FORMAT', message, options);
  }
}

/** An operation ran past its deadline. */
export class TimeoutError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('TIMEOUT', message, options);
  }
}

/** A network request failed (connection refused, HTTP 5xx, truncated body...). */
export class NetworkError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('NETWORK', message, options);
  }
}

/** A service refused the request because of its rate limit (HTTP 429). */
export class RateLimitedError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('RATE_LIMITED', message, options);
  }
}

/** An object was used in a state that does not allow the operation (predict before fit, resume of a finished run). */
export class StateError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('STATE', message, options);
  }
}

/** Stored data was written by another (usually newer) format or schema version than this code understands. */
export class IncompatibleVersionError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('INCOMPATIBLE_VERSION', message, options);
  }
}

/** The operation was cancelled by its caller (AbortSignal, Ctrl+C). */
export class CancelledError extends QuantError {
  constructor(message: string, options?: QuantErrorOptions) {
    super('CANCELLED', message, options);
  }
}

/** True when `value` is a QuantError, optionally with the given code. Works across package copies (checks the shape). */
export function isQuantError(value: unknown, code?: QuantErrorCode): value is QuantError {
  if (!(value instanceof Error)) return false;
  const candidate = value as Partial<QuantError>;
  if (typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** Describes a value for an error message: type and a short rendering, so the message names what was wrong. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length: number }).length})`;
  return typeof value === 'object' ? `object ${Object.prototype.toString.call(value)}` : typeof value;
}
