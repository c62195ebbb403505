import { describe, expect, it } from 'vitest';
import Sentiment from 'sentiment';
import { InvalidArgumentError, parseCsv } from '@quant/core';
import { fixtureText } from '../__fixtures__/events/edgar.js';
import { FINANCE_SENTIMENT_THRESHOLDS, normalizeHeadline, scoreFinancialSentiment, scorePlainSentiment, type SentimentLabel } from './sentiment.js';

const label = (text: string): SentimentLabel => scoreFinancialSentiment(text).label;

describe('finance sentiment', () => {
  it('reads the words traders read: beats, misses, upgrades, downgrades, guidance changes', () => {
    expect(label('Kemper EPS beats by $0.04, beats on revenue')).toBe('bullish');
    expect(label('Apple tops analysts\' estimates')).toBe('bullish');
    expect(label('Knowles Corporation Just Missed EPS By 14%')).toBe('bearish');
    expect(label('Hasbro upgraded to buy from neutral at UBS, price target $117')).toBe('bullish');
    expect(label('American Software downgraded to neutral from buy at B. Riley FBR')).toBe('bearish');
    expect(label('$ESS: BTIG Research cuts to Neutral')).toBe('bearish');
    expect(label('Toyota lifts profit outlook')).toBe('bullish');
    expect(label('Garrett Motion withdraws FY 20 guidance')).toBe('bearish');
    expect(label('Retailer announces guidance cut after weak holiday season')).toBe('bearish');
    expect(label('Continental Resources announces suspension of quarterly dividend')).toBe('bearish');
    expect(label('Agilent Raises Qtr. Dividend From $0.164 To $0.18/Share')).toBe('bullish');
    expect(label('Optex Systems Holdings reports Q1 results')).toBe('neutral');
    expect(label('Eaton Vance National Municipal Opportunities Trust declares $0.0717 dividend')).toBe('neutral');
  });

  it('reads comparisons and signed moves', () => {
    expect(normalizeHeadline("Macy's Q3 EPS 1 cent vs. 20 cents")).toContain('vs-down');
    expect(normalizeHeadline('Olin price target raised to $23 vs. $22')).toContain('price-target-raised');
    expect(normalizeHeadline('$SEAC (-20.1% pre) SeaChange reports')).toContain('pct-down');
    expect(normalizeHeadline('Protalix Bio +25% premarket')).toContain('pct-up');
    expect(label("Macy's Q3 EPS 1 cent vs. 20 cents")).toBe('bearish');
  });

  it('flips a finance word after a negator and keeps AFINN words that finance does not redefine', () => {
    expect(scoreFinancialSentiment('results did not beat estimates').score).toBe(-scoreFinancialSentiment('results beat estimates').score);
    expect(scoreFinancialSentiment('a terrible quarter').score).toBe(scorePlainSentiment('a terrible quarter').score);
    expect(scoreFinancialSentiment('Apple shares outstanding').score).toBe(0); // AFINN: share +1, outstanding +5
    expect(scorePlainSentiment('Apple shares outstanding').score).toBe(6);
  });

  it('maps the score to (-1, 1) with tanh(score / 4)', () => {
    const result = scoreFinancialSentiment('Hasbro upgraded to buy from neutral at UBS');
    expect(result.sentiment).toBeCloseTo(Math.tanh(result.score / 4), 12);
    expect(scoreFinancialSentiment('').sentiment).toBe(0);
  });

  it('leaves the plain sentiment package untouched (its extras option would rewrite the shared word list)', () => {
    const plain = new Sentiment();
    const before = plain.analyze('downgrade misses guidance cut').score;
    scoreFinancialSentiment('downgrade misses guidance cut');
    expect(plain.analyze('downgrade misses guidance cut').score).toBe(before);
    expect(plain.analyze('downgrade').score).toBe(0); // AFINN has no weight for it
  });

  it('refuses what is not a headline or a threshold', () => {
    expect(() => scoreFinancialSentiment(42 as unknown as string)).toThrowError(InvalidArgumentError);
    expect(() => scoreFinancialSentiment('x', { bearishAt: 0, bullishAt: 1 })).toThrowError(/bearishAt/);
  });

  it('beats plain AFINN on a sample of 300 labelled training tweets (a regression check of the vocabulary)', () => {
    // 100 rows per class drawn from the training file (the benchmark on the held-out validation file is in
    // docs/benchmarks.md, from scripts/sentiment-benchmark.ts).
    const [header, ...rows] = parseCsv(fixtureText('sentiment-train-sample.csv'));
    expect(header).toEqual(['text', 'label']);
    expect(rows).toHaveLength(300);
    const names: SentimentLabel[] = ['bearish', 'bullish', 'neutral'];
    const macroF1 = (predict: (text: string) => SentimentLabel): number => {
      let total = 0;
      for (const name of names) {
        let truePositive = 0;
        let falsePositive = 0;
        let falseNegative = 0;
        for (const [text, code] of rows) {
          const truth = names[Number(code)]!;
          const predicted = predict(text!);
          if (predicted === name && truth === name) truePositive++;
          else if (predicted === name) falsePositive++;
          else if (truth === name) falseNegative++;
        }
        total += (2 * truePositive) / (2 * truePositive + falsePositive + falseNegative);
      }
      return total / 3;
    };
    const plain = macroF1((text) => scorePlainSentiment(text).label);
    const ours = macroF1((text) => scoreFinancialSentiment(text, FINANCE_SENTIMENT_THRESHOLDS).label);
    expect(ours).toBeGreaterThan(plain + 0.15);
    expect(ours).toBeGreaterThan(0.6);
  });
});
