import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataQualityError, FormatError, NotFoundError, dayToIso, isoToDay } from '@quant/core';
import { createCsvFolderSource } from './csv.js';
import { createEmbeddedSource } from './embedded.js';

const folder = fileURLToPath(new URL('../__fixtures__/csv/', import.meta.url));

describe('CSV folder source', () => {
  it('maps columns by name, case-insensitively and in any order', async () => {
    const { bars } = await createCsvFolderSource(folder).fetchPrices('mixed');
    expect(Array.from(bars.dates, dayToIso)).toEqual(['2024-01-02', '2024-01-03']);
    expect(Array.from(bars.close)).toEqual([10, 11]);
    expect(Array.from(bars.adjustedClose)).toEqual([9.5, 10.4]);
    expect(Array.from(bars.volume)).toEqual([1000, 1200]);
    const window = await createCsvFolderSource(folder).fetchPrices('MIXED', { from: isoToDay('2024-01-03') });
    expect(window.bars.dates.length).toBe(1);
  });

  it('reads quoted fields (RFC 4180): a comma or quotes inside a text column do not shift the columns', async () => {
    const { bars } = await createCsvFolderSource(folder).fetchPrices('QUOTED');
    expect(Array.from(bars.close)).toEqual([10.5, 11.5]);
    expect(Array.from(bars.volume)).toEqual([1000, 1200]);
  });

  it('names the file and line of malformed data', async () => {
    const source = createCsvFolderSource(folder);
    await expect(source.fetchPrices('BADNUMBER')).rejects.toThrowError('BADNUMBER.csv line 3: high is not a number: "abc"');
    await expect(source.fetchPrices('NOCLOSE')).rejects.toThrowError(/NOCLOSE.csv line 1: no close column \(the header has: date, open, high, low, volume\)/);
    await expect(source.fetchPrices('BADDATE')).rejects.toThrowError(FormatError);
    await expect(source.fetchPrices('BADDATE')).rejects.toThrowError(/BADDATE.csv line 2: the date "01\/02\/2024" is not YYYY-MM-DD/);
    await expect(source.fetchPrices('UNSORTED')).rejects.toThrowError(DataQualityError);
    await expect(source.fetchPrices('NOPE')).rejects.toThrowError(NotFoundError);
  });
});

describe('embedded source', () => {
  it('serves the embedded bars, limited to a range', async () => {
    const source = createEmbeddedSource();
    const { bars } = await source.fetchPrices('AAPL', { from: isoToDay('2021-05-10'), to: isoToDay('2021-05-14') });
    expect(Array.from(bars.dates, dayToIso)).toEqual(['2021-05-10', '2021-05-11', '2021-05-12', '2021-05-13', '2021-05-14']);
    await expect(source.fetchPrices('SCG')).rejects.toThrowError(DataQualityError);
    expect((await createEmbeddedSource({ dataset: 'allcap' }).fetchPrices('AEO')).bars.dates.length).toBe(1260);
  });
});
