/**
 * A backtest of BUY / SELL signals with the exits of the labels (pure computation, no I/O).
 *
 * Trade rules:
 * - A signal on row t of a symbol enters at that day's adjusted close (the close the label is measured from, as a
 *   signal computed right after the close and filled at it; the same optimism as the labels themselves).
 * - BUY is long. SELL is short (or a put): it profits when the price falls, and its return is the negative of the
 *   price change.
 * - Exits test the closes of rows t+1 .. t+holdDays in order against the label barriers on the price change
 *   `close / entry - 1`: `>= target` is the upper barrier and `<= -stop` the lower one. A BUY exits at the upper
 *   barrier with reason 'target' and at the lower with 'stop'. A SELL, by default (`shortExits: 'label'`), keeps the
 *   same price barriers with the roles swapped (lower = 'target', upper = 'stop'): it is exactly the bet the SELL
 *   label describes (-stop before +target). With `shortExits: 'mirrored'` it takes profit at -target and stops out at
 *   +stop instead, the long rules mirrored. When no barrier is touched, the trade exits at the close of row
 *   t+holdDays ('time'); when the data end sooner, at the last close there is ('time' as well).
 *   Missing closes (non-finite or <= 0) are skipped.
 * - At most one open trade per symbol: a signal before the exit row of the symbol's open trade is skipped; a trade
 *   may open on the row where the previous one closed (exit and entry at the same close). With `maxOpenTrades`, a
 *   signal is also skipped while that many trades are open; signals of one day are taken in order of decreasing
 *   probability (then symbol, then row), which is the only use of the probability.
 * - Cost: `costBasisPoints` is charged once per trade (it covers the round trip), subtracted from the trade return.
 *
 * Portfolio: on every trading day of the period (the union of the series' days, from `startDay` or the first signal to
 * `endDay` or the last exit), the portfolio return is the equal-weight mean of the day's returns of the open trades
 * (rebalanced daily; a trade's day return is side x the close-to-close change, minus the cost on its exit day), and 0
 * on days without open trades (cash, no interest). Sharpe = mean / sample standard deviation of these daily returns
 * x sqrt(252), with a zero risk-free rate (NaN for fewer than two days or no variation). Maximum drawdown is the
 * largest fall of the compounded equity from its running peak, as a positive fraction.
 *
 * Buy-and-hold: every symbol with a close on or before the first day of the period is bought in equal amounts at
 * that close and held to the end (no rebalancing; a symbol whose data stop keeps its last close); its daily equity
 * gives the same total return, Sharpe and drawdown figures.
 */
import { BUY, InvalidArgumentError, SELL, describeValue } from '@quant/core';

export interface BacktestSeries {
  readonly symbol: string;
  /** Strictly increasing days (days since 1970-01-01). */
  readonly days: Int32Array;
  readonly adjustedClose: Float64Array;
}

export interface BacktestSignal {
  /** Index into `series`. */
  readonly symbol: number;
  /** Row of the signal in that symbol's series. */
  readonly row: number;
  /** BUY (2) or SELL (0). */
  readonly signal: number;
  /** Probability of the signalled class, in [0, 1]. */
  readonly probability: number;
}

/** The label barriers (the same shape as `LabelOptions` of @quant/features). */
export interface ExitRules {
  readonly holdDays: number;
  readonly target: number;
  readonly stop: number;
}

export interface BacktestOptions {
  readonly series: readonly BacktestSeries[];
  readonly signals: readonly BacktestSignal[];
  readonly exits: ExitRules;
  /** Cost of one trade (round trip) in basis points, >= 0. */
  readonly costBasisPoints: number;
  readonly shortExits?: 'label' | 'mirrored';
  /** Most trades open at once over the whole portfolio; default unlimited. */
  readonly maxOpenTrades?: number;
  /** First day of the period (default: the first signal's day). */
  readonly startDay?: number;
  /** Last day of the period (default and at least: the last exit). */
  readonly endDay?: number;
}

export type ExitReason = 'target' | 'stop' | 'time';

export interface Trade {
  readonly symbolIndex: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly probability: number;
  readonly entryRow: number;
  readonly exitRow: number;
  readonly entryDay: number;
  readonly exitDay: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Side x (exit / entry - 1). */
  readonly grossReturn: number;
  /** Cost as a fraction (costBasisPoints / 10,000). */
  readonly cost: number;
  /** grossReturn - cost. */
  readonly return: number;
  readonly exitReason: ExitReason;
}

export interface PerformanceSummary {
  readonly totalReturn: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
}

export interface BacktestResult extends PerformanceSummary {
  /** Trades in entry order (day, then decreasing probability, symbol, row). */
  readonly trades: Trade[];
  readonly signals: number;
  /** Signals not traded: symbol already in a trade, portfolio full, or no usable price at or after the entry. */
  readonly skippedSignals: number;
  /** Share of trades with a return > 0 (NaN without trades). */
  readonly winRate: number;
  /** Mean return of the winning trades (NaN without any). */
  readonly averageWin: number;
  /** Mean return of the other trades, <= 0 (NaN without any). */
  readonly averageLoss: number;
  /** Sum of wins / |sum of losses|; Infinity with wins and no losses, NaN without trades. */
  readonly profitFactor: number;
  /** The period's trading days and the portfolio return of each (empty without a period). */
  readonly days: Int32Array;
  readonly dailyReturns: Float64Array;
  readonly buyAndHold: PerformanceSummary & { readonly symbols: number };
}

const TRADING_DAYS_PER_YEAR = 252;

const isPrice = (value: number): boolean => value > 0 && value < Infinity;

export function backtest(options: BacktestOptions): BacktestResult {
  const { series, signals, exits } = options;
  validateInputs(options);
  const cost = options.costBasisPoints / 10_000;
  const mirrored = options.shortExits === 'mirrored';
  const maxOpen = options.maxOpenTrades ?? Infinity;

  const order = signals.map((_, index) => index);
  const signalDay = (signal: BacktestSignal): number => series[signal.symbol]!.days[signal.row]!;
  order.sort((a, b) => {
    const first = signals[a]!;
    const second = signals[b]!;
    return signalDay(first) - signalDay(second) || second.probability - first.probability || first.symbol - second.symbol || first.row - second.row;
  });

  const busyUntilRow = new Int32Array(series.length).fill(-1);
  const openExitDays: number[] = [];
  const trades: Trade[] = [];
  let skipped = 0;
  for (const index of order) {
    const signal = signals[index]!;
    const { days, adjustedClose } = series[signal.symbol]!;
    const entryDay = days[signal.row]!;
    if (signal.row < busyUntilRow[signal.symbol]!) {
      skipped++;
      continue;
    }
    if (maxOpen !== Infinity) {
      // A trade that exits today frees its place for an entry at today's close.
      for (let open = openExitDays.length - 1; open >= 0; open--) if (openExitDays[open]! <= entryDay) openExitDays.splice(open, 1);
      if (openExitDays.length >= maxOpen) {
        skipped++;
        continue;
      }
    }
    const entryPrice = adjustedClose[signal.row]!;
    if (!isPrice(entryPrice)) {
      skipped++;
      continue;
    }
    const side = signal.signal === BUY ? 1 : -1;
    // Price-change barriers: profit and loss for the trade's side.
    const upper = side === 1 || !mirrored ? exits.target : exits.stop;
    const lower = side === 1 || !mirrored ? exits.stop : exits.target;
    let exitRow = -1;
    let exitReason: ExitReason = 'time';
    const lastRow = Math.min(signal.row + exits.holdDays, adjustedClose.length - 1);
    for (let row = signal.row + 1; row <= lastRow; row++) {
      const close = adjustedClose[row]!;
      if (!isPrice(close)) continue;
      exitRow = row;
      const change = close / entryPrice - 1;
      if (change <= -lower) {
        exitReason = side === 1 ? 'stop' : 'target';
        break;
      }
      if (change >= upper) {
        exitReason = side === 1 ? 'target' : 'stop';
        break;
      }
    }
    if (exitRow < 0) {
      skipped++;
      continue;
    }
    const exitPrice = adjustedClose[exitRow]!;
    const grossReturn = side * (exitPrice / entryPrice - 1);
    trades.push({
      symbolIndex: signal.symbol,
      symbol: series[signal.symbol]!.symbol,
      side: side === 1 ? 'BUY' : 'SELL',
      probability: signal.probability,
      entryRow: signal.row,
      exitRow,
      entryDay,
      exitDay: days[exitRow]!,
      entryPrice,
      exitPrice,
      grossReturn,
      cost,
      return: grossReturn - cost,
      exitReason,
    });
    busyUntilRow[signal.symbol] = exitRow;
    if (maxOpen !== Infinity) openExitDays.push(days[exitRow]!);
  }

  const statistics = tradeStatistics(trades);
  let startDay = options.startDay;
  let endDay = options.endDay;
  for (const signal of signals) {
    const day = signalDay(signal);
    if (options.startDay === undefined && (startDay === undefined || day < startDay)) startDay = day;
    if (endDay === undefined || day > endDay) endDay = day;
  }
  for (const trade of trades) if (endDay === undefined || trade.exitDay > endDay) endDay = trade.exitDay;
  if (startDay === undefined || endDay === undefined || endDay < startDay) {
    return {
      trades,
      signals: signals.length,
      skippedSignals: skipped,
      ...statistics,
      totalReturn: NaN,
      sharpe: NaN,
      maxDrawdown: NaN,
      days: new Int32Array(0),
      dailyReturns: new Float64Array(0),
      buyAndHold: { totalReturn: NaN, sharpe: NaN, maxDrawdown: NaN, symbols: 0 },
    };
  }
  const calendar = periodCalendar(series, startDay, endDay);
  const dailyReturns = portfolioReturns(trades, series, calendar);
  return {
    trades,
    signals: signals.length,
    skippedSignals: skipped,
    ...statistics,
    ...summarisePerformance(dailyReturns),
    days: calendar,
    dailyReturns,
    buyAndHold: buyAndHold(series, calendar),
  };
}

function validateInputs(options: BacktestOptions): void {
  const { series, signals, exits } = options;
  if (!Array.isArray(series)) throw new InvalidArgumentError(`series must be an array, got ${describeValue(series)}`);
  if (!Array.isArray(signals)) throw new InvalidArgumentError(`signals must be an array, got ${describeValue(signals)}`);
  if (!Number.isInteger(exits?.holdDays) || exits.holdDays < 1) throw new InvalidArgumentError(`exits.holdDays must be an integer >= 1, got ${describeValue(exits?.holdDays)}`);
  if (!(exits.target > 0 && exits.target < Infinity)) throw new InvalidArgumentError(`exits.target must be a finite fraction > 0, got ${describeValue(exits.target)}`);
  if (!(exits.stop > 0 && exits.stop < 1)) throw new InvalidArgumentError(`exits.stop must be a fraction in (0, 1), got ${describeValue(exits.stop)}`);
  if (!(options.costBasisPoints >= 0 && options.costBasisPoints < Infinity)) {
    throw new InvalidArgumentError(`costBasisPoints must be finite and >= 0, got ${describeValue(options.costBasisPoints)}`);
  }
  if (options.shortExits !== undefined && options.shortExits !== 'label' && options.shortExits !== 'mirrored') {
    throw new InvalidArgumentError(`shortExits must be 'label' or 'mirrored', got ${describeValue(options.shortExits)}`);
  }
  if (options.maxOpenTrades !== undefined && !(Number.isInteger(options.maxOpenTrades) && options.maxOpenTrades >= 1)) {
    throw new InvalidArgumentError(`maxOpenTrades must be an integer >= 1, got ${describeValue(options.maxOpenTrades)}`);
  }
  for (const name of ['startDay', 'endDay'] as const) {
    if (options[name] !== undefined && !Number.isInteger(options[name])) throw new InvalidArgumentError(`${name} must be a day number, got ${describeValue(options[name])}`);
  }
  series.forEach((entry, index) => {
    if (!(entry.days instanceof Int32Array) || !(entry.adjustedClose instanceof Float64Array)) {
      throw new InvalidArgumentError(`series ${index} (${describeValue(entry.symbol)}) needs days as an Int32Array and adjustedClose as a Float64Array`);
    }
    if (entry.days.length !== entry.adjustedClose.length) {
      throw new InvalidArgumentError(`series ${index} (${describeValue(entry.symbol)}) has ${entry.days.length} days but ${entry.adjustedClose.length} closes`);
    }
    for (let row = 1; row < entry.days.length; row++) {
      if (entry.days[row]! <= entry.days[row - 1]!) {
        throw new InvalidArgumentError(`series ${index} (${describeValue(entry.symbol)}): days must increase strictly, row ${row} does not`);
      }
    }
  });
  signals.forEach((signal, index) => {
    const entry = series[signal.symbol];
    if (!Number.isInteger(signal.symbol) || entry === undefined) {
      throw new InvalidArgumentError(`signal ${index} refers to symbol ${describeValue(signal.symbol)}, but there are ${series.length} series`);
    }
    if (!Number.isInteger(signal.row) || signal.row < 0 || signal.row >= entry.days.length) {
      throw new InvalidArgumentError(`signal ${index} refers to row ${describeValue(signal.row)} of ${entry.symbol}, which has ${entry.days.length} rows`);
    }
    if (signal.signal !== BUY && signal.signal !== SELL) {
      throw new InvalidArgumentError(`signal ${index} is ${describeValue(signal.signal)}; expected BUY (2) or SELL (0)`);
    }
    if (!(signal.probability >= 0 && signal.probability <= 1)) {
      throw new InvalidArgumentError(`signal ${index} has probability ${describeValue(signal.probability)}; expected a number in [0, 1]`);
    }
  });
}

function tradeStatistics(trades: readonly Trade[]): Pick<BacktestResult, 'winRate' | 'averageWin' | 'averageLoss' | 'profitFactor'> {
  let wins = 0;
  let winSum = 0;
  let losses = 0;
  let lossSum = 0;
  for (const trade of trades) {
    if (trade.return > 0) {
      wins++;
      winSum += trade.return;
    } else {
      losses++;
      lossSum += trade.return;
    }
  }
  const count = trades.length;
  return {
    winRate: count === 0 ? NaN : wins / count,
    averageWin: wins === 0 ? NaN : winSum / wins,
    averageLoss: losses === 0 ? NaN : lossSum / losses,
    profitFactor: count === 0 ? NaN : lossSum === 0 ? (winSum > 0 ? Infinity : NaN) : winSum / -lossSum,
  };
}

/** Sorted distinct days of all series within [startDay, endDay]. */
function periodCalendar(series: readonly BacktestSeries[], startDay: number, endDay: number): Int32Array {
  const days = new Set<number>();
  for (const entry of series) for (const day of entry.days) if (day >= startDay && day <= endDay) days.add(day);
  return Int32Array.from(days).sort();
}

function dayIndex(calendar: Int32Array, day: number): number {
  let low = 0;
  let high = calendar.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (calendar[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

function portfolioReturns(trades: readonly Trade[], series: readonly BacktestSeries[], calendar: Int32Array): Float64Array {
  const sums = new Float64Array(calendar.length);
  const counts = new Int32Array(calendar.length);
  for (const trade of trades) {
    const { days, adjustedClose } = series[trade.symbolIndex]!;
    const side = trade.side === 'BUY' ? 1 : -1;
    let previous = trade.entryPrice;
    for (let row = trade.entryRow + 1; row <= trade.exitRow; row++) {
      const close = adjustedClose[row]!;
      if (!isPrice(close)) continue;
      const position = dayIndex(calendar, days[row]!);
      sums[position]! += side * (close / previous - 1) - (row === trade.exitRow ? trade.cost : 0);
      counts[position]! += 1;
      previous = close;
    }
  }
  const returns = new Float64Array(calendar.length);
  for (let day = 0; day < calendar.length; day++) returns[day] = counts[day]! > 0 ? sums[day]! / counts[day]! : 0;
  return returns;
}

/** Total return, annualised Sharpe and maximum drawdown of daily returns (see the module comment). */
export function summarisePerformance(dailyReturns: Float64Array): PerformanceSummary {
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let sum = 0;
  for (const value of dailyReturns) {
    equity *= 1 + value;
    if (equity > peak) peak = equity;
    const drawdown = 1 - equity / peak;
    if (drawdown > maxDrawdown) maxDrawdown = drawdown;
    sum += value;
  }
  const count = dailyReturns.length;
  let sharpe = NaN;
  if (count >= 2) {
    const mean = sum / count;
    let squares = 0;
    for (const value of dailyReturns) squares += (value - mean) ** 2;
    const deviation = Math.sqrt(squares / (count - 1));
    if (deviation > 0) sharpe = (mean / deviation) * Math.sqrt(TRADING_DAYS_PER_YEAR);
  }
  return { totalReturn: equity - 1, sharpe, maxDrawdown };
}

function buyAndHold(series: readonly BacktestSeries[], calendar: Int32Array): PerformanceSummary & { symbols: number } {
  const startDay = calendar[0]!;
  const equity = new Float64Array(calendar.length);
  let symbols = 0;
  for (const { days, adjustedClose } of series) {
    // The entry price: the last usable close on or before the first day of the period.
    let row = 0;
    let entry = NaN;
    for (; row < days.length && days[row]! <= startDay; row++) if (isPrice(adjustedClose[row]!)) entry = adjustedClose[row]!;
    if (Number.isNaN(entry)) continue;
    symbols++;
    let last = entry;
    let next = row;
    for (let position = 0; position < calendar.length; position++) {
      for (; next < days.length && days[next]! <= calendar[position]!; next++) if (isPrice(adjustedClose[next]!)) last = adjustedClose[next]!;
      equity[position]! += last / entry;
    }
  }
  if (symbols === 0) return { totalReturn: NaN, sharpe: NaN, maxDrawdown: NaN, symbols: 0 };
  // Daily returns of the equal-amount portfolio; the first day is the purchase day (return 0 by construction,
  // unless a symbol's last close before the period differs from its close on the first day).
  const returns = new Float64Array(calendar.length);
  let previous = symbols;
  for (let position = 0; position < calendar.length; position++) {
    returns[position] = equity[position]! / previous - 1;
    previous = equity[position]!;
  }
  return { ...summarisePerformance(returns), symbols };
}
