import { describe, expect, it } from 'vitest';
import { DataQualityError, NotFoundError, QuantError, TimeoutError, describeValue, isQuantError } from './errors.js';
import { labelCode, labelName, LABELS } from './labels.js';
import { normalizeCik, normalizeSector } from './symbols.js';
import { createMemoryLogger, silentLogger } from './logging.js';

describe('errors', () => {
  it('carry a code, a cause and details, and serialise', () => {
    const cause = new Error('socket hang up');
    const error = new TimeoutError('AAPL: chart request took longer than 10000 ms', { cause, details: { symbol: 'AAPL' } });
    expect(error).toBeInstanceOf(QuantError);
    expect(error.name).toBe('TimeoutError');
    expect(error.code).toBe('TIMEOUT');
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'TimeoutError',
      code: 'TIMEOUT',
      message: 'AAPL: chart request took longer than 10000 ms',
      details: { symbol: 'AAPL' },
      cause: 'socket hang up',
    });
    expect(isQuantError(error, 'TIMEOUT')).toBe(true);
    expect(isQuantError(error, 'NETWORK')).toBe(false);
    expect(isQuantError(new Error('plain'))).toBe(false);
    expect(new DataQualityError('x').code).toBe('DATA_QUALITY');
    expect(new NotFoundError('x').code).toBe('NOT_FOUND');
  });

  it('describes values for messages', () => {
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue(new Float64Array(3))).toBe('Float64Array(3)');
    expect(describeValue(undefined)).toBe('undefined');
  });
});

describe('labels, sectors, CIKs, loggers', () => {
  it('maps labels to fixed codes', () => {
    expect(LABELS.map(labelCode)).toEqual([0, 1, 2]);
    expect(labelName(2)).toBe('BUY');
    expect(() => labelName(3)).toThrowError(/unknown label code 3/);
  });

  it('normalises legacy GICS sector names and CIKs', () => {
    expect(normalizeSector('Telecommunication Services')).toBe('Communication Services');
    expect(normalizeSector('Health Care')).toBe('Health Care');
    expect(normalizeSector('')).toBeNull();
    expect(() => normalizeSector('Tech')).toThrowError(/unknown GICS sector "Tech"/);
    expect(normalizeCik(320193)).toBe('0000320193');
    expect(normalizeCik('')).toBeNull();
    expect(() => normalizeCik('12a')).toThrowError(/"12a"/);
  });

  it('keeps log entries in memory and drops them silently', () => {
    const logger = createMemoryLogger();
    logger.warn('stale data', { symbol: 'XL' });
    expect(logger.entries).toEqual([{ level: 'warn', message: 'stale data', fields: { symbol: 'XL' } }]);
    expect(() => silentLogger.error('nothing')).not.toThrow();
  });
});
