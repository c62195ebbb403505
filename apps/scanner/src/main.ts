/**
 * `npx nx run scanner:scan [-- options]`: scores every symbol of the embedded S&P 500 universe with the promoted model,
 * with no flags and no network. See --help and docs/scanner.md.
 */
import { isQuantError } from '@quant/core';
import { FeatureSetMismatchError, NoPromotedModelError, formatScanReport, formatSeconds, scan } from '@quant/pipeline';
import { USAGE, parseScannerArguments } from './arguments.js';
import { Terminal } from './terminal.js';

/** Exit codes: 0 scanned, 1 failed, 2 bad arguments, 3 refused (no promoted model, or a model for other features). */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseScannerArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { options } = parsed;
  const started = Date.now();
  const terminal = new Terminal({ stream: process.stdout, now: () => Date.now() });
  terminal.line(
    `Quant scanner: ${options.source} prices, universe ${options.universe}${options.symbols === null ? '' : ` (symbols ${options.symbols.join(',')})`}, ` +
      `as of ${options.asOf ?? 'the latest day'}, database ${options.databasePath}`,
  );
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    terminal.line('Stopping after the current step (Ctrl+C again to quit at once); nothing is written for an unfinished scan.');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const result = await scan(options, { reporter: terminal, signal: controller.signal, now: () => new Date() });
    terminal.close();
    process.stdout.write(`${formatScanReport(result, parsed.top === undefined ? {} : { limit: parsed.top })}\n`);
    // CPU time of the whole process (all threads): on a machine shared with other work, the part of the wall time
    // this scan itself used.
    const cpu = process.cpuUsage();
    process.stdout.write(`Finished in ${formatSeconds((Date.now() - started) / 1000)} (CPU ${formatSeconds((cpu.user + cpu.system) / 1e6)}).\n`);
    return 0;
  } catch (error) {
    terminal.close();
    if (isQuantError(error, 'CANCELLED') || controller.signal.aborted) {
      process.stdout.write(`Stopped after ${formatSeconds((Date.now() - started) / 1000)}.\n`);
      return 130;
    }
    if (error instanceof NoPromotedModelError || error instanceof FeatureSetMismatchError) {
      process.stderr.write(`Cannot scan: ${error.message}\n`);
      return 3;
    }
    const code = isQuantError(error) ? error.code : 'INTERNAL';
    process.stderr.write(`Scan failed (${code}): ${error instanceof Error ? (isQuantError(error) ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

process.exitCode = await main();
