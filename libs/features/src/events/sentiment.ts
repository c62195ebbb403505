/**
 * Headline sentiment with the `sentiment` package (AFINN-165 word list, Nielsen 2011) extended with a finance
 * vocabulary (sentiment-lexicon.ts).
 *
 * How a headline is scored:
 * 1. lower case; URLs removed; "$1.20 vs. $1.10"-style comparisons become one up or down token (the first number is
 *    the new figure, the second the prior or the estimate); signed percentages ("+4%", "-2.5%", "up 23%") become an
 *    up or down token; finance phrases ("guidance cut", "price target raised") become one token each;
 * 2. the `sentiment` package scores the words of AFINN that the finance vocabulary does not redefine, with its own
 *    English negation rule (a preceding "not", "don't" ... flips the sign);
 * 3. the package scores the finance vocabulary through a language registered for it (`quant-finance-en`), whose rule
 *    flips a word preceded by a negator of FINANCE_NEGATORS;
 * 4. score = the sum of both; sentiment = tanh(score / 4) in (-1, 1); label = bearish when score <= -bearishAt,
 *    bullish when score >= bullishAt, neutral otherwise (thresholds tuned on the training file, see
 *    scripts/sentiment-benchmark.ts).
 *
 * The package's `extras` option is not used: version 5.0.2 merges the extras into its shared English word list
 * (Object.assign on the cached labels), so one call with extras would change every later plain analysis in the
 * process. Registering a separate language keeps the plain AFINN scorer untouched.
 */
import Sentiment from 'sentiment';
import { InvalidArgumentError, describeValue } from '@quant/core';
import { FINANCE_NEGATORS, FINANCE_PHRASES, FINANCE_WORDS } from './sentiment-lexicon.js';

export type SentimentLabel = 'bearish' | 'neutral' | 'bullish';

export interface SentimentScore {
  /** Raw score on AFINN's scale (sum of word weights). */
  readonly score: number;
  /** tanh(score / 4), in (-1, 1). */
  readonly sentiment: number;
  readonly label: SentimentLabel;
}

export interface SentimentThresholds {
  /** A score at or below minus this is bearish (> 0). */
  readonly bearishAt: number;
  /** A score at or above this is bullish (> 0). */
  readonly bullishAt: number;
}

/** Thresholds for the finance scorer, tuned for macro-F1 on the training file (scripts/sentiment-benchmark.ts). */
export const FINANCE_SENTIMENT_THRESHOLDS: SentimentThresholds = Object.freeze({ bearishAt: 1.5, bullishAt: 1.5 });

/** Plain AFINN's natural rule: any negative score is bearish, any positive score bullish (AFINN weights are whole numbers). */
export const PLAIN_SENTIMENT_THRESHOLDS: SentimentThresholds = Object.freeze({ bearishAt: 0.5, bullishAt: 0.5 });

/** Divisor of the score inside tanh: a score of 4 (one strong word and a mild one) maps to 0.76. */
export const SENTIMENT_SCALE = 4;

const FINANCE_LANGUAGE = 'quant-finance-en';
const PLACEHOLDER = 'zzfinance';

let analyzer: Sentiment | undefined;

function getAnalyzer(): Sentiment {
  if (analyzer === undefined) {
    analyzer = new Sentiment();
    analyzer.registerLanguage(FINANCE_LANGUAGE, {
      // A copy: the package adds its emoji weights to the labels object it is given.
      labels: { ...FINANCE_WORDS },
      scoringStrategy: {
        apply: (tokens, cursor, tokenScore) => (cursor > 0 && FINANCE_NEGATORS.has(tokens[cursor - 1]!) ? -tokenScore : tokenScore),
      },
    });
  }
  return analyzer;
}

/** The `sentiment` package's tokenizer (lib/tokenize.js of 5.0.2), so that both passes see the same tokens. */
function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\n/g, ' ')
    .replace(/[.,/#!?$%^&*;:{}=_`"~()]/g, ' ')
    .replace(/\s\s+/g, ' ')
    .trim()
    .split(' ');
}

const NUMBER = String.raw`(-?)\$?(\d+(?:\.\d+)?)\s*(cents?|c\b|¢)?`;
const COMPARISON = new RegExp(`${NUMBER}\\s+vs\\.?\\s+(?:est\\.?\\s+|consensus\\s+|estimate\\s+)?${NUMBER}`, 'g');

/** Analyst ratings from worst (0) to best (4); "hold"-like ratings are 2. */
const RATING_RANK: Readonly<Record<string, number>> = {
  'strong sell': 0, sell: 1, underperform: 1, underweight: 1, reduce: 1, hold: 2, neutral: 2, 'equal weight': 2,
  'market perform': 2, 'sector perform': 2, 'peer perform': 2, 'sector weight': 2, 'market weight': 2, 'in line': 2,
  buy: 3, outperform: 3, overweight: 3, accumulate: 3, 'strong buy': 4, 'conviction buy': 4,
};
const RATING = String.raw`(strong buy|strong sell|conviction buy|buy|sell|hold|neutral|outperform|underperform|overweight|underweight|equal[- ]weight|market perform|sector perform|peer perform|sector weight|market weight|in[- ]line|accumulate|reduce)`;
const RATING_VERB = String.raw`(upgrade[sd]?|downgrade[sd]?|ups|raises?|raised|cuts?|lowers?|lowered|trims?|trimmed|lifts?|lifted|boosts?|boosted|moves?|moved|starts?|started|initiates?|initiated|resumes?|resumed|reiterates?|reiterated|maintains?|maintained|names?|named|rates?|rated)`;
/** "X upgraded to buy from hold", "cuts to neutral", "started at outperform": one analyst action, up or down. */
const RATING_CHANGE = new RegExp(String.raw`\b${RATING_VERB}(?: [\w'&.-]+){0,6}? (?:(?:to|at|as|with an?|with|an?) )?${RATING}(?: (?:rating|call))?(?: from ${RATING})?\b`, 'g');
const UPWARD_VERB = /^(?:upgrade|ups|raise|lift|boost)/;
const DOWNWARD_VERB = /^(?:downgrade|cut|lower|trim)/;

function rank(rating: string): number {
  return RATING_RANK[rating.replace('-', ' ')] ?? 2;
}

/** The direction of an analyst action: from the ratings when both are named, else from the verb, else the level. */
function ratingChangeToken(verb: string, to: string, from: string | undefined): string {
  let direction = 0;
  if (from !== undefined) direction = Math.sign(rank(to) - rank(from));
  else if (UPWARD_VERB.test(verb)) direction = 1;
  else if (DOWNWARD_VERB.test(verb)) direction = -1;
  else direction = rank(to) >= 3 ? 1 : rank(to) <= 1 ? -1 : 0;
  return direction > 0 ? ' to-rating-up ' : direction < 0 ? ' to-rating-down ' : ' ';
}

function comparisonValue(sign: string, digits: string, cents: string | undefined): number {
  const value = Number(digits) * (cents === undefined || cents === '' ? 1 : 0.01);
  return sign === '-' ? -value : value;
}

/** Step 1: the text as the scorer reads it (lower case, comparisons, percentages and phrases turned into tokens). */
export function normalizeHeadline(text: string): string {
  let normalized = ` ${text.toLowerCase().replace(/https?:\/\/\S+/g, ' ').replace(/[\u2018\u2019]/g, "'")} `;
  normalized = normalized.replace(COMPARISON, (_match, signA: string, a: string, centsA: string | undefined, signB: string, b: string, centsB: string | undefined) => {
    const first = comparisonValue(signA, a, centsA);
    const second = comparisonValue(signB, b, centsB);
    return first > second ? ' vs-up ' : first < second ? ' vs-down ' : ' ';
  });
  normalized = normalized
    .replace(/(^|[\s(])\+\d+(?:\.\d+)?%/g, '$1 pct-up ')
    .replace(/(^|[\s(])-\d+(?:\.\d+)?%/g, '$1 pct-down ')
    .replace(/\b(?:up|higher by|gains?|rises?|jumps?) \d+(?:\.\d+)?%/g, ' pct-up ')
    .replace(/\b(?:down|lower by|loses?|falls?|drops?) \d+(?:\.\d+)?%/g, ' pct-down ');
  normalized = normalized.replace(RATING_CHANGE, (_match, verb: string, to: string, from: string | undefined) => ratingChangeToken(verb, to, from));
  for (const [pattern, token] of FINANCE_PHRASES) normalized = normalized.replace(pattern, token);
  return normalized;
}

function label(score: number, thresholds: SentimentThresholds): SentimentLabel {
  if (score <= -thresholds.bearishAt) return 'bearish';
  if (score >= thresholds.bullishAt) return 'bullish';
  return 'neutral';
}

function assertText(text: string): void {
  if (typeof text !== 'string') throw new InvalidArgumentError(`a headline must be a string, got ${describeValue(text)}`);
}

function assertThresholds(thresholds: SentimentThresholds): void {
  for (const key of ['bearishAt', 'bullishAt'] as const) {
    const value = thresholds[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(`sentiment threshold ${key} must be a finite number > 0, got ${describeValue(value)}`);
    }
  }
}

/** Sentiment of a headline with the finance vocabulary. */
export function scoreFinancialSentiment(text: string, thresholds: SentimentThresholds = FINANCE_SENTIMENT_THRESHOLDS): SentimentScore {
  assertText(text);
  assertThresholds(thresholds);
  const sentiment = getAnalyzer();
  const tokens = tokenize(normalizeHeadline(text));
  // AFINN pass: words the finance vocabulary redefines are hidden behind a placeholder that no list contains.
  const afinnText = tokens.map((token) => (Object.hasOwn(FINANCE_WORDS, token) ? PLACEHOLDER : token)).join(' ');
  // Finance pass: only its own words and the negators, so that nothing (the package's emoji weights) counts twice.
  const financeText = tokens.map((token) => (Object.hasOwn(FINANCE_WORDS, token) || FINANCE_NEGATORS.has(token) ? token : PLACEHOLDER)).join(' ');
  const score = sentiment.analyze(afinnText).score + sentiment.analyze(financeText, { language: FINANCE_LANGUAGE }).score;
  return { score, sentiment: Math.tanh(score / SENTIMENT_SCALE), label: label(score, thresholds) };
}

/** Sentiment of a headline with the plain `sentiment` package (AFINN only), for comparison. */
export function scorePlainSentiment(text: string, thresholds: SentimentThresholds = PLAIN_SENTIMENT_THRESHOLDS): SentimentScore {
  assertText(text);
  assertThresholds(thresholds);
  const score = getAnalyzer().analyze(text).score;
  return { score, sentiment: Math.tanh(score / SENTIMENT_SCALE), label: label(score, thresholds) };
}
