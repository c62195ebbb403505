/** Command-line options of the scanner, parsed with node:util's parseArgs into pipeline options. */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@quant/core';
import { DEFAULT_SCAN_OPTIONS, listArgument, numberArgument, resolveFromInvocation, resolveScanOptions, type ScanOptions } from '@quant/pipeline';

export const USAGE = `Usage: npx nx run scanner:scan [-- options]

Scores every symbol of the S&P 500 universe with the promoted model (see the trainer) and ranks them:
BUY (calls) by P(BUY), then SELL (puts) by P(SELL), then HOLD. Symbols that cannot be scored are listed
with the reason.

Data
  --source <embedded|csv|live>  where prices come from (default embedded: no network; live: Yahoo)
  --csv <folder>                folder of <SYMBOL>.csv files (with --source csv)
  --universe <sp500|core|allcap|etf>   default ${DEFAULT_SCAN_OPTIONS.universe} (all its members; no cap)
  --symbols <A,B,C>             score only these (the market context still uses the whole universe)
  --as-of <YYYY-MM-DD>          score as of this day (default: the latest day with prices)
  --threads <n>                 threads computing features of symbols with nothing stored (default ${DEFAULT_SCAN_OPTIONS.threads})
Files
  --db <path>                   SQLite database with the promoted model (default ${DEFAULT_SCAN_OPTIONS.databasePath})
  --output <folder>             CSV and JSON files (default ${DEFAULT_SCAN_OPTIONS.outputFolder})
Output
  --top <n>                     show the first n rows of the table (default all; the files have all)
  --ascii                       plain ASCII output
  --help
`;

export interface ScannerArguments {
  readonly options: ScanOptions;
  readonly top: number | undefined;
  readonly ascii: boolean;
  readonly help: boolean;
}

export function parseScannerArguments(argv: readonly string[]): ScannerArguments {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      source: { type: 'string' },
      csv: { type: 'string' },
      universe: { type: 'string' },
      symbols: { type: 'string' },
      'as-of': { type: 'string' },
      db: { type: 'string' },
      output: { type: 'string' },
      top: { type: 'string' },
      threads: { type: 'string' },
      ascii: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  let top: number | undefined;
  if (values.top !== undefined) {
    top = Number(values.top);
    if (values.top.trim() === '' || !Number.isInteger(top) || top < 1) throw new InvalidArgumentError(`--top needs a positive whole number, got ${JSON.stringify(values.top)}`);
  }
  const threads = numberArgument('threads', values.threads);
  const options = resolveScanOptions({
    source: values.source as ScanOptions['source'] | undefined,
    csvFolder: values.csv,
    universe: values.universe as ScanOptions['universe'] | undefined,
    symbols: listArgument(values.symbols)?.map((symbol) => symbol.toUpperCase()),
    asOf: values['as-of'],
    databasePath: values.db,
    outputFolder: values.output,
    threads,
  });
  return {
    options: { ...options, databasePath: resolveFromInvocation(options.databasePath), outputFolder: resolveFromInvocation(options.outputFolder) },
    top,
    ascii: values.ascii === true,
    help: values.help === true,
  };
}
