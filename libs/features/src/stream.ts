/**
 * The streaming form of the technical features: the scanner keeps one stream per symbol and pushes each new bar; the
 * stream returns that bar's 179 features, equal to what `computeTechnicalFeatures` gives for the same row of the
 * full history (a test compares them bar by bar on real data).
 *
 * How it stays exact without recomputing everything: features fall in two kinds (FEATURE_PARTS says which).
 * - 21 recursive features (EMA ratios, MACD, RSI, ATR, ADX/DMI, TRIX, Keltner, the Chaikin oscillator) carry state
 *   over the whole history, since EMA and Wilder smoothing are seeded at the first bar and never forget. They are
 *   recomputed over the full history: a few cheap linear passes, giving the batch value to the bit.
 * - The other 158 depend only on a bounded window (at most 252 bars plus a lag), so they are computed over the last
 *   `tailLength` bars only. These windowed kernels (order statistics, deques, regressions) are the expensive ones;
 *   on the tail they agree with the batch to rounding (about 1e-12 relative).
 */
import { InvalidArgumentError, StateError, describeValue, dayToIso, sliceBars, type Bars } from '@quant/core';
import type { FeatureContext } from './context.js';
import { TECHNICAL_FEATURES, TECHNICAL_FEATURE_NAMES } from './registry.js';
import { FEATURE_PARTS, runFeatureParts } from './technical.js';

/** Number of features with whole-history state (see FEATURE_PARTS), for the documentation's claims. */
export const RECURSIVE_FEATURE_COUNT = FEATURE_PARTS.filter((part) => part.recursive).reduce((sum, part) => sum + part.columns.length, 0);
/** The longest look-back of a windowed feature: 252 days (52-week range, return_252, momentum_12_1) plus one. */
const LONGEST_WINDOW = 253;

export interface StreamBar {
  /** Day number (days since 1970-01-01), after the previous bar's. */
  readonly date: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Defaults to `close`. */
  readonly adjustedClose?: number;
  readonly volume: number;
}

export interface TechnicalFeatureStreamOptions {
  /** Bars kept for the windowed features; at least 253. Default 300. */
  readonly tailLength?: number;
}

type PriceColumn = 'open' | 'high' | 'low' | 'close' | 'adjustedClose' | 'volume';
const PRICE_COLUMNS: readonly PriceColumn[] = ['open', 'high', 'low', 'close', 'adjustedClose', 'volume'];

export class TechnicalFeatureStream {
  readonly symbol: string;
  readonly #tailLength: number;
  #context: FeatureContext;
  #length = 0;
  #dates: Int32Array;
  #columns: Record<PriceColumn, Float64Array>;
  #latest: Float64Array = new Float64Array(TECHNICAL_FEATURES.length).fill(Number.NaN);

  /** Starts from a history (possibly empty) and the context its features are computed against. */
  constructor(history: Bars, context: FeatureContext = {}, options: TechnicalFeatureStreamOptions = {}) {
    const tailLength = options.tailLength ?? 300;
    if (!Number.isInteger(tailLength) || tailLength < LONGEST_WINDOW) {
      throw new InvalidArgumentError(`tailLength must be an integer of at least ${LONGEST_WINDOW}, got ${describeValue(tailLength)}`);
    }
    this.symbol = history.symbol;
    this.#tailLength = tailLength;
    this.#context = context;
    const capacity = Math.max(16, history.dates.length * 2);
    this.#dates = new Int32Array(capacity);
    this.#columns = {
      open: new Float64Array(capacity),
      high: new Float64Array(capacity),
      low: new Float64Array(capacity),
      close: new Float64Array(capacity),
      adjustedClose: new Float64Array(capacity),
      volume: new Float64Array(capacity),
    };
    this.#dates.set(history.dates);
    this.#columns.open.set(history.open);
    this.#columns.high.set(history.high);
    this.#columns.low.set(history.low);
    this.#columns.close.set(history.close);
    this.#columns.adjustedClose.set(history.adjustedClose);
    this.#columns.volume.set(history.volume);
    this.#length = history.dates.length;
    if (this.#length > 0) this.#latest = this.#computeLatest();
  }

  /** Number of bars seen. */
  get length(): number {
    return this.#length;
  }

  /** Day number of the newest bar. */
  get lastDate(): number | undefined {
    return this.#length === 0 ? undefined : this.#dates[this.#length - 1];
  }

  /** The newest bar's features, in registry order (a copy). */
  latest(): Float64Array {
    if (this.#length === 0) throw new StateError(`${this.symbol}: the stream has no bars yet`);
    return Float64Array.from(this.#latest);
  }

  /**
   * Appends one bar and returns its features. `context`, when given, replaces the stream's context (pass the market
   * index updated with the new day, or the market-relative features of the new bar are NaN).
   */
  push(bar: StreamBar, context?: FeatureContext): Float64Array {
    const last = this.lastDate;
    if (!Number.isInteger(bar.date) || (last !== undefined && bar.date <= last)) {
      throw new InvalidArgumentError(
        `${this.symbol}: a pushed bar must come after ${last === undefined ? 'nothing' : dayToIso(last)}; got ${Number.isInteger(bar.date) ? dayToIso(bar.date) : describeValue(bar.date)}`,
      );
    }
    const adjustedClose = bar.adjustedClose ?? bar.close;
    for (const [name, value] of Object.entries({ open: bar.open, high: bar.high, low: bar.low, close: bar.close, adjustedClose, volume: bar.volume })) {
      const valid = name === 'volume' ? value >= 0 && Number.isFinite(value) : value > 0 && Number.isFinite(value);
      if (!valid) throw new InvalidArgumentError(`${this.symbol} ${dayToIso(bar.date)}: ${name} must be ${name === 'volume' ? 'finite and non-negative' : 'finite and positive'}, got ${describeValue(value)}`);
    }
    if (this.#length === this.#dates.length) this.#grow();
    const row = this.#length;
    this.#dates[row] = bar.date;
    this.#columns.open[row] = bar.open;
    this.#columns.high[row] = bar.high;
    this.#columns.low[row] = bar.low;
    this.#columns.close[row] = bar.close;
    this.#columns.adjustedClose[row] = adjustedClose;
    this.#columns.volume[row] = bar.volume;
    this.#length++;
    if (context !== undefined) this.#context = context;
    this.#latest = this.#computeLatest();
    return Float64Array.from(this.#latest);
  }

  #grow(): void {
    const capacity = this.#dates.length * 2;
    const grow = <T extends Int32Array | Float64Array>(array: T, make: (size: number) => T): T => {
      const bigger = make(capacity);
      bigger.set(array);
      return bigger;
    };
    this.#dates = grow(this.#dates, (size) => new Int32Array(size));
    for (const name of PRICE_COLUMNS) {
      this.#columns[name] = grow(this.#columns[name], (size) => new Float64Array(size));
    }
  }

  #computeLatest(): Float64Array {
    const length = this.#length;
    const full: Bars = {
      symbol: this.symbol,
      dates: this.#dates.subarray(0, length),
      open: this.#columns.open.subarray(0, length),
      high: this.#columns.high.subarray(0, length),
      low: this.#columns.low.subarray(0, length),
      close: this.#columns.close.subarray(0, length),
      adjustedClose: this.#columns.adjustedClose.subarray(0, length),
      volume: this.#columns.volume.subarray(0, length),
    };
    const written = new Map<string, Float64Array>();
    // One array per name: a part may read back a column it wrote (volatility_5 feeds volatility_ratio_5_60).
    const onDemand = (rows: number) => (name: string): Float64Array => {
      let array = written.get(name);
      if (array === undefined) {
        array = new Float64Array(rows).fill(Number.NaN);
        written.set(name, array);
      }
      return array;
    };
    runFeatureParts(full, this.#context, (part) => part.recursive, onDemand(length));
    const tail = sliceBars(full, Math.max(0, length - this.#tailLength));
    runFeatureParts(tail, this.#context, (part) => !part.recursive, onDemand(tail.dates.length));
    const row = new Float64Array(TECHNICAL_FEATURES.length);
    for (let column = 0; column < row.length; column++) {
      const values = written.get(TECHNICAL_FEATURE_NAMES[column]!);
      const value = values === undefined ? Number.NaN : values[values.length - 1]!;
      // As in the batch form, an infinite value (a zero denominator that slipped through) becomes NaN.
      row[column] = value === Infinity || value === -Infinity ? Number.NaN : value;
    }
    return row;
  }
}
