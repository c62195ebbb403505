/**
 * The trainer's terminal: one line per symbol, progress bars with ETA, per-model timings, never silent for more than
 * a few seconds. Plain ASCII unless the terminal is known to show UTF-8 (the old system crashed on a check mark in
 * a Windows console). Without a TTY (CI, a pipe) bars become periodic progress lines.
 */
import { formatSeconds, type ModelEvent, type RunReporter, type SymbolEvent } from '@quant/pipeline';

export interface TerminalOptions {
  readonly stream: NodeJS.WriteStream;
  readonly now: () => number;
  /** Force plain ASCII (also chosen automatically). */
  readonly ascii?: boolean;
}

function supportsUnicode(stream: NodeJS.WriteStream): boolean {
  if (process.platform === 'win32') return Boolean(process.env['WT_SESSION']);
  const locale = `${process.env['LC_ALL'] ?? ''}${process.env['LC_CTYPE'] ?? ''}${process.env['LANG'] ?? ''}`;
  return stream.isTTY === true && /utf-?8/i.test(locale) && process.env['TERM'] !== 'dumb';
}

export class Terminal implements RunReporter {
  readonly #stream: NodeJS.WriteStream;
  readonly #now: () => number;
  readonly #tty: boolean;
  readonly #fill: string;
  readonly #empty: string;
  #phase = '';
  #total: number | undefined;
  #completed = 0;
  #detail = '';
  #phaseStarted = 0;
  #lastDraw = 0;
  #lastLine = 0;
  #barShown = false;
  #fit: { model: string; completed: number; total: number } | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(options: TerminalOptions) {
    this.#stream = options.stream;
    this.#now = options.now;
    this.#tty = options.stream.isTTY === true;
    const unicode = !options.ascii && supportsUnicode(options.stream);
    this.#fill = unicode ? '\u2588' : '#';
    this.#empty = unicode ? '\u2591' : '-';
    // A heartbeat: the bar (or, without a TTY, a progress line every 10 s) keeps the user informed during long fits.
    this.#timer = setInterval(() => this.#heartbeat(), 1000);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#clearBar();
  }

  line(text: string): void {
    this.#clearBar();
    this.#stream.write(`${text}\n`);
    this.#lastLine = this.#now();
    this.#draw(true);
  }

  phaseStart(phase: string, total?: number, detail?: string): void {
    this.#phase = phase;
    this.#total = total;
    this.#completed = 0;
    this.#detail = '';
    this.#fit = undefined;
    this.#phaseStarted = this.#now();
    this.line(`== ${phase}${detail === undefined ? '' : `: ${detail}`}`);
  }

  phaseProgress(completed: number, detail?: string): void {
    this.#completed = completed;
    if (detail !== undefined) this.#detail = detail;
    this.#fit = undefined;
    this.#draw(false);
  }

  phaseEnd(summary?: string): void {
    const seconds = (this.#now() - this.#phaseStarted) / 1000;
    const phase = this.#phase;
    this.#phase = '';
    this.#fit = undefined;
    this.line(`   ${phase} done in ${formatSeconds(seconds)}${summary === undefined ? '' : `: ${summary}`}`);
  }

  symbol(event: SymbolEvent): void {
    const width = String(event.total).length;
    const position = `[${String(event.index).padStart(width)}/${event.total}]`;
    const outcome = event.failure !== undefined
      ? `FAILED ${event.failure.code}: ${event.failure.reason}`
      : `${event.samples} samples${event.resumed ? ' (from checkpoint)' : ''}`;
    this.line(`${position} ${event.symbol.padEnd(6)} ... ${outcome}`);
  }

  model(event: ModelEvent): void {
    const timing = event.resumed ? 'from checkpoint' : formatSeconds(event.seconds);
    this.line(`   ${event.model.padEnd(20)} ${event.stage.padEnd(26)} ${timing}`);
  }

  fitProgress(model: string, completed: number, total: number): void {
    this.#fit = { model, completed, total };
    this.#draw(false);
  }

  info(message: string): void {
    this.line(message);
  }

  warn(message: string): void {
    this.line(`WARNING: ${message}`);
  }

  #bar(fraction: number, width: number): string {
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    return this.#fill.repeat(filled) + this.#empty.repeat(width - filled);
  }

  #status(): string {
    const elapsed = (this.#now() - this.#phaseStarted) / 1000;
    const parts = [this.#phase];
    if (this.#total !== undefined && this.#total > 0) {
      const fraction = this.#completed / this.#total;
      const eta = this.#completed > 0 ? (elapsed / this.#completed) * (this.#total - this.#completed) : Number.NaN;
      parts.push(`[${this.#bar(fraction, 24)}] ${this.#completed}/${this.#total}`, `elapsed ${formatSeconds(elapsed)}`, `ETA ${formatSeconds(eta)}`);
    } else {
      parts.push(`elapsed ${formatSeconds(elapsed)}`);
    }
    if (this.#fit !== undefined) parts.push(`${this.#fit.model} ${this.#fit.completed}/${this.#fit.total}`);
    else if (this.#detail !== '') parts.push(this.#detail);
    return parts.join('  ');
  }

  #draw(force: boolean): void {
    if (this.#phase === '' || !this.#tty) return;
    const now = this.#now();
    if (!force && now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const columns = this.#stream.columns ?? 100;
    this.#stream.write(`\r${this.#status().slice(0, columns - 1).padEnd(Math.min(columns - 1, 120))}`);
    this.#barShown = true;
  }

  #clearBar(): void {
    if (this.#barShown) {
      this.#stream.write(`\r${' '.repeat(Math.min((this.#stream.columns ?? 100) - 1, 120))}\r`);
      this.#barShown = false;
    }
  }

  #heartbeat(): void {
    if (this.#phase === '') return;
    if (this.#tty) this.#draw(true);
    else if (this.#now() - this.#lastLine >= 10_000) {
      this.#stream.write(`   ... ${this.#status()}\n`);
      this.#lastLine = this.#now();
    }
  }
}
