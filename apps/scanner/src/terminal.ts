/**
 * The scanner's terminal: one line per phase, a progress bar while a phase runs (on a TTY; without one, a progress
 * line every 10 seconds), warnings as they come. Plain ASCII only: the old system crashed on a check mark in a
 * Windows console.
 */
import { formatSeconds, type ModelEvent, type RunReporter, type SymbolEvent } from '@quant/pipeline';

export interface TerminalOptions {
  readonly stream: NodeJS.WriteStream;
  readonly now: () => number;
}

export class Terminal implements RunReporter {
  readonly #stream: NodeJS.WriteStream;
  readonly #now: () => number;
  readonly #tty: boolean;
  #phase = '';
  #total: number | undefined;
  #completed = 0;
  #detail = '';
  #phaseStarted = 0;
  #lastDraw = 0;
  #lastLine = 0;
  #barShown = false;

  constructor(options: TerminalOptions) {
    this.#stream = options.stream;
    this.#now = options.now;
    this.#tty = options.stream.isTTY === true;
  }

  close(): void {
    this.#clearBar();
  }

  line(text: string): void {
    this.#clearBar();
    this.#stream.write(`${text}\n`);
    this.#lastLine = this.#now();
  }

  phaseStart(phase: string, total?: number, detail?: string): void {
    this.#phase = phase;
    this.#total = total;
    this.#completed = 0;
    this.#detail = '';
    this.#phaseStarted = this.#now();
    this.line(`== ${phase}${detail === undefined ? '' : `: ${detail}`}`);
  }

  phaseProgress(completed: number, detail?: string): void {
    this.#completed = completed;
    if (detail !== undefined) this.#detail = detail;
    const now = this.#now();
    if (this.#tty) {
      if (now - this.#lastDraw >= 100) this.#draw(now);
    } else if (now - this.#lastLine >= 10_000) {
      this.line(`   ... ${this.#status(now)}`);
    }
  }

  phaseEnd(summary?: string): void {
    const seconds = (this.#now() - this.#phaseStarted) / 1000;
    const phase = this.#phase;
    this.#phase = '';
    this.line(`   ${phase} done in ${formatSeconds(seconds)}${summary === undefined ? '' : `: ${summary}`}`);
  }

  symbol(event: SymbolEvent): void {
    if (event.failure !== undefined) this.line(`   ${event.symbol}: ${event.failure.code} ${event.failure.reason}`);
  }

  model(event: ModelEvent): void {
    this.line(`   ${event.model} ${event.stage} ${formatSeconds(event.seconds)}`);
  }

  fitProgress(): void {}

  info(message: string): void {
    this.line(message);
  }

  warn(message: string): void {
    this.line(`WARNING: ${message}`);
  }

  #status(now: number): string {
    const elapsed = (now - this.#phaseStarted) / 1000;
    const parts = [this.#phase];
    if (this.#total !== undefined && this.#total > 0) {
      const fraction = Math.min(1, this.#completed / this.#total);
      const filled = Math.round(fraction * 24);
      const eta = this.#completed > 0 ? (elapsed / this.#completed) * (this.#total - this.#completed) : Number.NaN;
      parts.push(`[${'#'.repeat(filled)}${'-'.repeat(24 - filled)}] ${this.#completed}/${this.#total}`, `elapsed ${formatSeconds(elapsed)}`, `ETA ${formatSeconds(eta)}`);
    } else {
      parts.push(`elapsed ${formatSeconds(elapsed)}`);
    }
    if (this.#detail !== '') parts.push(this.#detail);
    return parts.join('  ');
  }

  #draw(now: number): void {
    if (this.#phase === '') return;
    this.#lastDraw = now;
    const columns = this.#stream.columns ?? 100;
    this.#stream.write(`\r${this.#status(now).slice(0, columns - 1).padEnd(Math.min(columns - 1, 120))}`);
    this.#barShown = true;
  }

  #clearBar(): void {
    if (this.#barShown) {
      this.#stream.write(`\r${' '.repeat(Math.min((this.#stream.columns ?? 100) - 1, 120))}\r`);
      this.#barShown = false;
    }
  }
}
