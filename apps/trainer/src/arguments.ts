/** Command-line options of the trainer, parsed with node:util's parseArgs into pipeline options. */
import { parseArgs } from 'node:util';
import { DEFAULT_TRAIN_OPTIONS, MODEL_NAMES, listArgument, numberArgument, OPTIONS_LABEL_SETTINGS, resolveTrainOptions, type ModelName, type TrainOptions } from '@quant/pipeline';

export const USAGE = `Usage: npx nx run trainer:train [-- options]

Trains the model zoo and the stacking meta-learner with walk-forward evaluation, resumably.

Data
  --source <embedded|csv|live>  where prices come from (default embedded: no network)
  --csv <folder>                folder of <SYMBOL>.csv files (with --source csv)
  --universe <core|sp500|allcap|etf>   default core (82 stocks, all sectors and cap tiers)
  --symbols <A,B,C>             explicit symbols instead of the universe's members
  --from <YYYY-MM-DD>, --to <YYYY-MM-DD>   date range of the data used
  --events / --no-events        event features from filings and news (default off)
Labels
  --hold-days <n> --target <fraction> --stop <fraction>   default 14, 0.10, 0.05
  --options-mode                5-day hold, +5% / -3% (short-dated options)
Models and validation
  --models <a,b,...>            default all: ${MODEL_NAMES.join(', ')}
  --profile <fast|full>         fast (default) or the reference-fold settings
  --folds <n>                   walk-forward test folds (default ${DEFAULT_TRAIN_OPTIONS.folds})
  --inner-folds <n>             folds for the out-of-fold predictions (default ${DEFAULT_TRAIN_OPTIONS.innerFolds})
  --sample-stride <n>           keep every n-th day of each symbol (default ${DEFAULT_TRAIN_OPTIONS.sampleStride})
  --seed <n>                    default ${DEFAULT_TRAIN_OPTIONS.seed}
  --threads <n>                 worker threads per model fit (default ${DEFAULT_TRAIN_OPTIONS.threads})
Files
  --db <path>                   SQLite database (default ${DEFAULT_TRAIN_OPTIONS.databasePath})
  --output <folder>             results and model files (default ${DEFAULT_TRAIN_OPTIONS.outputFolder})
  --checkpoint <folder>         checkpoint folder (default ${DEFAULT_TRAIN_OPTIONS.checkpointFolder})
  --user-agent <text>           SEC User-Agent for live EDGAR requests ("name email")
Checkpoint
  --status                      show the checkpoint's progress and exit
  --reset                       delete the checkpoint and start fresh (asks first; --yes to skip)
Output
  --ascii                       plain ASCII output
  --help
`;

export interface TrainerArguments {
  readonly options: TrainOptions;
  readonly status: boolean;
  readonly reset: boolean;
  readonly yes: boolean;
  readonly ascii: boolean;
  readonly help: boolean;
}

export function parseTrainerArguments(argv: readonly string[]): TrainerArguments {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      source: { type: 'string' },
      csv: { type: 'string' },
      universe: { type: 'string' },
      symbols: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      events: { type: 'boolean' },
      'no-events': { type: 'boolean' },
      'hold-days': { type: 'string' },
      target: { type: 'string' },
      stop: { type: 'string' },
      'options-mode': { type: 'boolean' },
      models: { type: 'string' },
      profile: { type: 'string' },
      folds: { type: 'string' },
      'inner-folds': { type: 'string' },
      'sample-stride': { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      db: { type: 'string' },
      output: { type: 'string' },
      checkpoint: { type: 'string' },
      'user-agent': { type: 'string' },
      status: { type: 'boolean' },
      reset: { type: 'boolean' },
      yes: { type: 'boolean' },
      ascii: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const base = values['options-mode'] ? OPTIONS_LABEL_SETTINGS : DEFAULT_TRAIN_OPTIONS.labels;
  const labels = {
    holdDays: numberArgument('hold-days', values['hold-days']) ?? base.holdDays,
    target: numberArgument('target', values.target) ?? base.target,
    stop: numberArgument('stop', values.stop) ?? base.stop,
  };
  const symbols = listArgument(values.symbols)?.map((symbol) => symbol.toUpperCase());
  const options = resolveTrainOptions({
    source: values.source as TrainOptions['source'] | undefined,
    csvFolder: values.csv,
    universe: values.universe as TrainOptions['universe'] | undefined,
    symbols,
    from: values.from,
    to: values.to,
    events: values['no-events'] ? false : values.events,
    labels,
    models: listArgument(values.models) as ModelName[] | undefined,
    profile: values.profile as TrainOptions['profile'] | undefined,
    folds: numberArgument('folds', values.folds),
    innerFolds: numberArgument('inner-folds', values['inner-folds']),
    sampleStride: numberArgument('sample-stride', values['sample-stride']),
    seed: numberArgument('seed', values.seed),
    threads: numberArgument('threads', values.threads),
    databasePath: values.db,
    outputFolder: values.output,
    checkpointFolder: values.checkpoint,
    userAgent: values['user-agent'],
  });
  return {
    options,
    status: values.status === true,
    reset: values.reset === true,
    yes: values.yes === true,
    ascii: values.ascii === true,
    help: values.help === true,
  };
}
