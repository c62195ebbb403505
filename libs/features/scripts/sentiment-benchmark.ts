/**
 * Headline sentiment benchmark: the plain `sentiment` package (AFINN-165) against it with our finance vocabulary,
 * on the labelled financial tweets of ../shared/data/financial-sentiment/twitter_financial_news_sentiment
 * (zeroshot/twitter-financial-news-sentiment, MIT; labels 0 bearish, 1 bullish, 2 neutral).
 *
 * Run from libs/features: `npx tsx scripts/sentiment-benchmark.ts [--write]`.
 * - Tuning uses the training file only: the decision thresholds of each scorer are the ones with the best macro-F1
 *   on it (grid of whole and half scores). The vocabulary itself was written from the training file too.
 * - The report is on the validation file, which nothing was tuned on: accuracy and macro-F1 (mean of the three
 *   classes' F1) for plain AFINN with its natural thresholds (any negative score bearish, any positive bullish), plain
 *   AFINN with thresholds tuned on the training file, and ours.
 * - `--write` replaces the text between the sentiment markers of docs/benchmarks.md (Event features section).
 * - `--train-only` prints the training figures alone (for working on the vocabulary without looking at validation).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseCsv } from '@quant/core';
import {
  FINANCE_SENTIMENT_THRESHOLDS,
  PLAIN_SENTIMENT_THRESHOLDS,
  scoreFinancialSentiment,
  scorePlainSentiment,
  type SentimentLabel,
  type SentimentThresholds,
} from '../src/events/sentiment.js';

const folder = new URL('../../../../shared/data/financial-sentiment/twitter_financial_news_sentiment/', import.meta.url);
const benchmarks = new URL('../../../docs/benchmarks.md', import.meta.url);
const START = '<!-- sentiment-benchmark:start -->';
const END = '<!-- sentiment-benchmark:end -->';
const LABELS: readonly SentimentLabel[] = ['bearish', 'bullish', 'neutral'];

const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Example {
  readonly text: string;
  readonly label: SentimentLabel;
}

/** RFC 4180 CSV (quoted fields with doubled quotes, CRLF or LF), columns text,label. */
function readExamples(name: string): Example[] {
  const text = readFileSync(new URL(name, folder), 'utf8');
  const rows = parseCsv(text);
  const [header, ...body] = rows;
  if (header?.join(',') !== 'text,label') throw new Error(`${name}: expected the header text,label, got ${header?.join(',')}`);
  return body.map((cells, line) => {
    const code = cells[1];
    if (cells.length !== 2 || (code !== '0' && code !== '1' && code !== '2')) throw new Error(`${name} row ${line + 2}: ${JSON.stringify(cells)}`);
    return { text: cells[0]!, label: code === '0' ? 'bearish' : code === '1' ? 'bullish' : 'neutral' };
  });
}

interface Metrics {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly f1: Readonly<Record<SentimentLabel, number>>;
}

function metrics(truth: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): Metrics {
  let correct = 0;
  const f1 = {} as Record<SentimentLabel, number>;
  for (let index = 0; index < truth.length; index++) if (truth[index] === predicted[index]) correct++;
  for (const label of LABELS) {
    let truePositive = 0;
    let falsePositive = 0;
    let falseNegative = 0;
    for (let index = 0; index < truth.length; index++) {
      if (predicted[index] === label && truth[index] === label) truePositive++;
      else if (predicted[index] === label) falsePositive++;
      else if (truth[index] === label) falseNegative++;
    }
    f1[label] = truePositive === 0 ? 0 : (2 * truePositive) / (2 * truePositive + falsePositive + falseNegative);
  }
  return { accuracy: correct / truth.length, macroF1: (f1.bearish + f1.bullish + f1.neutral) / 3, f1 };
}

function labelsFor(scores: readonly number[], thresholds: SentimentThresholds): SentimentLabel[] {
  return scores.map((score) => (score <= -thresholds.bearishAt ? 'bearish' : score >= thresholds.bullishAt ? 'bullish' : 'neutral'));
}

/** The thresholds with the best macro-F1 on the given scores (ties: the smaller thresholds). */
function tune(scores: readonly number[], truth: readonly SentimentLabel[]): { thresholds: SentimentThresholds; macroF1: number } {
  let best = { thresholds: { bearishAt: 0.5, bullishAt: 0.5 }, macroF1: -1 };
  for (let bearishAt = 0.5; bearishAt <= 6; bearishAt += 0.5) {
    for (let bullishAt = 0.5; bullishAt <= 6; bullishAt += 0.5) {
      const { macroF1 } = metrics(truth, labelsFor(scores, { bearishAt, bullishAt }));
      if (macroF1 > best.macroF1 + 1e-12) best = { thresholds: { bearishAt, bullishAt }, macroF1 };
    }
  }
  return best;
}

if (!existsSync(new URL('sent_train.csv', folder))) {
  write('financial-sentiment data not found (../shared/data/financial-sentiment); nothing to measure');
  process.exit(0);
}

const train = readExamples('sent_train.csv');
if (process.argv.includes('--train-only')) {
  const truth = train.map((example) => example.label);
  const plain = metrics(truth, labelsFor(train.map((example) => scorePlainSentiment(example.text).score), PLAIN_SENTIMENT_THRESHOLDS));
  const scores = train.map((example) => scoreFinancialSentiment(example.text).score);
  const tuned = tune(scores, truth);
  const ours = metrics(truth, labelsFor(scores, FINANCE_SENTIMENT_THRESHOLDS));
  write(`training file: plain accuracy ${plain.accuracy.toFixed(4)} macro-F1 ${plain.macroF1.toFixed(4)}; ours accuracy ${ours.accuracy.toFixed(4)} macro-F1 ${ours.macroF1.toFixed(4)}; best thresholds ${JSON.stringify(tuned.thresholds)} macro-F1 ${tuned.macroF1.toFixed(4)}`);
  process.exit(0);
}
const validation = readExamples('sent_valid.csv');
const trainTruth = train.map((example) => example.label);
const validationTruth = validation.map((example) => example.label);
const plainTrain = train.map((example) => scorePlainSentiment(example.text).score);
const financeTrain = train.map((example) => scoreFinancialSentiment(example.text).score);
const plainValidation = validation.map((example) => scorePlainSentiment(example.text).score);
const financeValidation = validation.map((example) => scoreFinancialSentiment(example.text).score);

const plainTuned = tune(plainTrain, trainTruth);
const financeTuned = tune(financeTrain, trainTruth);
const constant = FINANCE_SENTIMENT_THRESHOLDS;
if (constant.bearishAt !== financeTuned.thresholds.bearishAt || constant.bullishAt !== financeTuned.thresholds.bullishAt) {
  write(`NOTE: the training file's best thresholds are ${JSON.stringify(financeTuned.thresholds)}; FINANCE_SENTIMENT_THRESHOLDS is ${JSON.stringify(constant)}`);
}

const rows: [string, SentimentThresholds, Metrics, Metrics][] = [
  ['plain `sentiment` (AFINN-165), natural thresholds', PLAIN_SENTIMENT_THRESHOLDS, metrics(trainTruth, labelsFor(plainTrain, PLAIN_SENTIMENT_THRESHOLDS)), metrics(validationTruth, labelsFor(plainValidation, PLAIN_SENTIMENT_THRESHOLDS))],
  ['plain `sentiment`, thresholds tuned on the training file', plainTuned.thresholds, metrics(trainTruth, labelsFor(plainTrain, plainTuned.thresholds)), metrics(validationTruth, labelsFor(plainValidation, plainTuned.thresholds))],
  ['ours: `sentiment` + finance vocabulary', constant, metrics(trainTruth, labelsFor(financeTrain, constant)), metrics(validationTruth, labelsFor(financeValidation, constant))],
];

const counts = (truth: readonly SentimentLabel[]): string => LABELS.map((label) => `${truth.filter((value) => value === label).length} ${label}`).join(', ');
const percent = (value: number): string => (100 * value).toFixed(1);
const table = [
  `Labelled financial tweets (zeroshot/twitter-financial-news-sentiment, MIT): training file ${train.length} rows (${counts(trainTruth)}),`,
  `validation file ${validation.length} rows (${counts(validationTruth)}). Thresholds (bearish when score <= -a, bullish when score >= b) are tuned`,
  'for macro-F1 on the training file only; the validation file was used for nothing but this table. Written by',
  '`npx tsx scripts/sentiment-benchmark.ts --write` (libs/features).',
  '',
  '| scorer | thresholds (a, b) | training accuracy | training macro-F1 | validation accuracy | validation macro-F1 | validation F1 bearish / bullish / neutral |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(([name, thresholds, trainMetrics, validationMetrics]) =>
    `| ${name} | ${thresholds.bearishAt}, ${thresholds.bullishAt} | ${percent(trainMetrics.accuracy)}% | ${percent(trainMetrics.macroF1)}% | ${percent(validationMetrics.accuracy)}% | ${percent(validationMetrics.macroF1)}% | ${percent(validationMetrics.f1.bearish)} / ${percent(validationMetrics.f1.bullish)} / ${percent(validationMetrics.f1.neutral)} |`),
];
for (const line of table) write(line);

if (process.argv.includes('--write')) {
  const document = readFileSync(benchmarks, 'utf8');
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${START} ... ${END} block to fill`);
  writeFileSync(benchmarks, `${document.slice(0, start + START.length)}\n${table.join('\n')}\n${document.slice(end)}`);
  write('wrote docs/benchmarks.md');
}
