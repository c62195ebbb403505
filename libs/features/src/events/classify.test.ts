import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, dayToIso, isoToDay, type Filing } from '@quant/core';
import { loadBars } from '@quant/sample-data';
import { fixtureText, readAgilentHeadlines, readSubmissions } from '../__fixtures__/events/edgar.js';
import { classifyEvents, classifyFiling, classifyNews, documentText, itemSections, withEffectiveDays } from './classify.js';
import { newYorkWallClockToInstant } from './market-time.js';
import type { EventType, MarketEvent } from './types.js';

/**
 * The event type each 8-K item stands for, written out here independently of items.ts (the SEC's item titles):
 * a filing's types must be exactly the types of its items other than 9.01.
 */
const EXPECTED_TYPE: Readonly<Record<string, EventType>> = {
  '1.01': 'material_agreement', // Entry into a Material Definitive Agreement
  '1.02': 'material_agreement', // Termination of a Material Definitive Agreement
  '1.03': 'bankruptcy', // Bankruptcy or Receivership
  '1.05': 'cybersecurity', // Material Cybersecurity Incidents
  '2.01': 'merger_acquisition', // Completion of Acquisition or Disposition of Assets
  '2.02': 'earnings', // Results of Operations and Financial Condition
  '2.03': 'refinancing', // Creation of a Direct Financial Obligation
  '2.04': 'refinancing', // Triggering Events That Accelerate a Direct Financial Obligation
  '2.05': 'restructuring', // Costs Associated with Exit or Disposal Activities
  '2.06': 'impairment', // Material Impairments
  '3.01': 'delisting', // Notice of Delisting or Failure to Satisfy a Continued Listing Rule
  '3.02': 'refinancing', // Unregistered Sales of Equity Securities
  '3.03': 'governance', // Material Modification to Rights of Security Holders
  '4.01': 'auditor_change', // Changes in Registrant's Certifying Accountant
  '4.02': 'restatement', // Non-Reliance on Previously Issued Financial Statements
  '5.01': 'merger_acquisition', // Changes in Control of Registrant
  '5.02': 'executive_change', // Departure or Appointment of Directors or Officers
  '5.03': 'governance', // Amendments to Articles or Bylaws; Change in Fiscal Year
  '5.05': 'governance', // Amendments to the Code of Ethics
  '5.06': 'governance', // Change in Shell Company Status
  '5.07': 'shareholder_vote', // Submission of Matters to a Vote of Security Holders
  '5.08': 'governance', // Shareholder Director Nominations
  '7.01': 'other', // Regulation FD Disclosure (no text here to refine it)
  '8.01': 'other', // Other Events (no text here to refine it)
};

const SUBMISSIONS: readonly [string, string?][] = [
  ['submissions-CIK0000320193.trimmed.json'],
  ['submissions-CIK0000789019.trimmed.json'],
  ['submissions-CIK0001045810.trimmed.json'],
  ['submissions-CIK0000895419.trimmed.json'],
  ['submissions-CIK0001009672.trimmed.json', 'CRR'],
  ['submissions-CIK0001881551.trimmed.json'],
  ['submissions-CIK0001324424.trimmed.json'],
];

const allFilings: Filing[] = SUBMISSIONS.flatMap(([name, symbol]) => readSubmissions(name, symbol).filings);
const byAccession = (accession: string): Filing => {
  const filing = allFilings.find((candidate) => candidate.accessionNumber === accession);
  if (filing === undefined) throw new Error(`no fixture filing ${accession}`);
  return filing;
};
const types = (events: readonly MarketEvent[]): string[] => events.map((event) => event.type).sort();

describe('classifyFiling on recorded EDGAR submissions', () => {
  it('gives every 8-K exactly the event types of its item numbers (297 filings of 7 companies)', () => {
    const currentReports = allFilings.filter((filing) => filing.form.startsWith('8-K'));
    expect(currentReports).toHaveLength(297);
    const seenItems = new Set<string>();
    for (const filing of currentReports) {
      const expected = [...new Set(filing.items.filter((item) => item !== '9.01').map((item) => {
        seenItems.add(item);
        const type = EXPECTED_TYPE[item];
        if (type === undefined) throw new Error(`fixture item ${item} has no expectation`);
        return type;
      }))].sort();
      const events = classifyFiling(filing);
      // Only 9.01 (exhibits): no event; no items at all: one routine 'other' event.
      expect({ accession: filing.accessionNumber, types: types(events) }).toEqual({ accession: filing.accessionNumber, types: expected.length > 0 || filing.items.length > 0 ? expected : ['other'] });
      for (const event of events) {
        expect(event.items).toEqual(filing.items);
        expect(event.source).toBe('filing');
        expect(event.sentiment).toBeNull();
      }
    }
    // The fixtures cover the rare items: bankruptcy, acceleration, delisting, restatement, cybersecurity, auditor change.
    for (const item of ['1.03', '2.04', '3.01', '4.02', '1.05', '4.01', '2.05']) expect(seenItems.has(item)).toBe(true);
    expect(seenItems.size).toBe(23);
  });

  it('classifies the big Wolfspeed bankruptcy 8-K (11 items) into 7 events, the most severe item winning per type', () => {
    const events = classifyFiling(byAccession(allFilings.find((filing) => filing.symbol === 'WOLF' && filing.filingDate === '2025-09-30' && filing.form === '8-K')!.accessionNumber));
    expect(types(events)).toEqual(['bankruptcy', 'executive_change', 'governance', 'material_agreement', 'merger_acquisition', 'other', 'refinancing']);
    const bankruptcy = events.find((event) => event.type === 'bankruptcy')!;
    expect(bankruptcy.severity).toBe(1);
    expect(bankruptcy.impact).toEqual({ dividend: -1, liquidity: -1, credit: -1 });
    // 2.03 (new obligation, 0.3) and 3.02 (equity sale, 0.3) are both refinancing: one event, the first kept, both named.
    expect(events.find((event) => event.type === 'refinancing')!.basis).toBe('8-K item 2.03; 8-K item 3.02');
  });

  it('reads severities and channels of the rare items', () => {
    const microsoftBreach = allFilings.find((filing) => filing.symbol === 'MSFT' && filing.filingDate === '2024-01-19')!;
    expect(classifyFiling(microsoftBreach).map((event) => [event.type, event.severity])).toEqual([['cybersecurity', 0.7], ['other', 0.1]]);
    const acceleration = classifyFiling(allFilings.find((filing) => filing.symbol === 'WOLF' && filing.items.join(',') === '2.04,9.01')!);
    expect(acceleration).toMatchObject([{ type: 'refinancing', severity: 0.7, impact: { dividend: -0.5, liquidity: -0.8, credit: -0.8 } }]);
    const restatement = classifyFiling(allFilings.find((filing) => filing.symbol === 'STI' && filing.items.join(',') === '4.02')!);
    expect(restatement).toMatchObject([{ type: 'restatement', severity: 0.9 }]);
    // Expedia's 3.01 filed with 5.02: Nasdaq's notice after a director left the audit committee, not a delisting threat.
    const expediaNotice = classifyFiling(allFilings.find((filing) => filing.symbol === 'EXPE' && filing.items.join(',') === '3.01,5.02')!);
    expect(expediaNotice.map((event) => [event.type, event.severity])).toEqual([['delisting', 0.5], ['executive_change', 0.3]]);
    const deficiency = classifyFiling(allFilings.find((filing) => filing.symbol === 'STI' && filing.items.join(',') === '3.01')!);
    expect(deficiency.map((event) => [event.type, event.severity])).toEqual([['delisting', 0.9]]);
  });

  it('makes periodic reports routine events and ignores forms that are not events', () => {
    const apple = readSubmissions('submissions-CIK0000320193.trimmed.json').filings;
    const tenK = apple.find((filing) => filing.form === '10-K')!;
    expect(classifyFiling(tenK)).toMatchObject([{ type: 'periodic_report', severity: 0.1, form: '10-K', size: tenK.size }]);
    // Apple's Form 25 of 14 March 2019 removed a class of notes: a delisting, but an ordinary one.
    expect(classifyFiling(apple.find((filing) => filing.form === '25')!)).toMatchObject([{ type: 'delisting', severity: 0.3 }]);
    const others = apple.filter((filing) => !/^(?:8-K|10-K|10-Q|25)/.test(filing.form));
    expect(others.map((filing) => filing.form).sort()).toEqual(['3', '3', '4', '4', '424B2', '424B2', 'S-8', 'SC 13G/A', 'SC 13G/A']);
    for (const filing of others) expect(classifyFiling(filing)).toEqual([]);
  });

  it('reads the acceptance clock of each filer and dates Apple\'s earnings after the close (point in time)', () => {
    const apple = readSubmissions('submissions-CIK0000320193.trimmed.json');
    expect(apple.clock).toBe('new-york'); // Apple's stamps are New York time with a Z (see the reader)
    expect(readSubmissions('submissions-CIK0000789019.trimmed.json').clock).toBe('utc');
    const bars = loadBars('AAPL');
    // Q3 2020 results: accepted "2020-07-30T18:55:04.000Z" on Apple's New York clock = 22:55:04 UTC, after the close.
    const [earnings] = classifyFiling(apple.filings.find((filing) => filing.filingDate === '2020-07-30' && filing.items.includes('2.02'))!, { tradingDays: bars.dates });
    expect(earnings).toMatchObject({ type: 'earnings', publicAt: '2020-07-30T22:55:04.000Z', publicDay: isoToDay('2020-07-30'), availableDay: isoToDay('2020-07-31') });
    expect(dayToIso(earnings!.effectiveDay!)).toBe('2020-07-31');
    // A Regulation FD 8-K at 06:24 New York time counts the same day: Tuesday 18 February 2020 (Monday was a holiday).
    const beforeOpen = classifyFiling(apple.filings.find((filing) => filing.filingDate === '2020-02-18')!, { tradingDays: bars.dates });
    expect(beforeOpen.map((event) => [event.type, event.publicAt, dayToIso(event.effectiveDay!)])).toEqual([['other', '2020-02-18T11:24:57.000Z', '2020-02-18']]);
    // A Friday 17:20 filing (5.03, 7 August 2020) counts from Monday.
    const friday = classifyFiling(apple.filings.find((filing) => filing.filingDate === '2020-08-07')!, { tradingDays: bars.dates });
    expect(friday.map((event) => dayToIso(event.effectiveDay!))).toEqual(['2020-08-10']);
  });

  it('takes a filing stamped midnight UTC of its filing date as having no time: it counts from the next day', () => {
    const base: Filing = { symbol: 'TEST', cik: '0000000001', form: '8-K', accessionNumber: 'x-1', filingDate: '2021-03-10', publicAt: '2021-03-10T00:00:00.000Z', items: ['2.02'] };
    expect(classifyFiling(base)).toMatchObject([{ publicDay: isoToDay('2021-03-10'), availableDay: isoToDay('2021-03-11') }]);
    // Midnight UTC of another day is a real time: 19:00 New York time the day before, after that day's close.
    expect(classifyFiling({ ...base, filingDate: '2021-03-09' })).toMatchObject([{ publicDay: isoToDay('2021-03-09'), availableDay: isoToDay('2021-03-10') }]);
  });

  it('refuses malformed filings with a message naming the value', () => {
    const base: Filing = { symbol: 'TEST', cik: '0000000001', form: '8-K', accessionNumber: 'x-1', filingDate: '2021-03-10', publicAt: '2021-03-10T15:00:00Z', items: ['2.02'] };
    expect(() => classifyFiling({ ...base, items: ['2.2'] })).toThrowError(/"2.2" is not an 8-K item number/);
    expect(() => classifyFiling({ ...base, publicAt: '2021-03-10 15:00' })).toThrowError(InvalidArgumentError);
    expect(() => classifyFiling({ ...base, symbol: '' })).toThrowError(/symbol/);
    expect(classifyFiling({ ...base, items: ['Item 2.02', '9.01'] })).toMatchObject([{ type: 'earnings', items: ['2.02', '9.01'] }]);
    // Only a current report's items are 8-K items: a real EFFECT notice (Expedia, 2016) lists the form it makes effective.
    expect(classifyFiling({ ...base, form: 'EFFECT', accessionNumber: '9999999995-16-005943', items: ['S-4'] })).toEqual([]);
  });
});

describe('classifyFiling on recorded 8-K documents', () => {
  const filingOf = (document: string, items: string[] = [], form = '8-K'): Filing => ({
    symbol: 'TEST', cik: '0000000001', form, accessionNumber: 'doc', filingDate: '2023-12-20', publicAt: '2023-12-20T21:30:00Z', items, text: fixtureText(document),
  });

  it('finds the item headings of each document', () => {
    const itemsOf = (name: string): string[] => [...new Set(itemSections(documentText(fixtureText(name))).map((section) => section.item))];
    expect(itemsOf('8k-nvda-20260302.htm')).toEqual(['5.02', '9.01']);
    expect(itemsOf('8k-BuckleInc.html')).toEqual(['2.02', '9.01']);
    expect(itemsOf('8k-NextPoint.html')).toEqual(['8.01']);
    expect(itemsOf('8k-1800Flowers.html')).toEqual(['5.07']);
    expect(itemsOf('8k-afcgamma.html')).toEqual(['5.02', '7.01', '9.01']);
    expect(itemsOf('8k-0000887919-21-000012.html')).toEqual(['8.01', '9.01']);
    // A 2003 8-K in the old numbering: "Item 9. Regulation FD Disclosure" is today's 7.01.
    expect(itemsOf('8k-0001104659-03-004925.html')).toEqual(['7.01']);
  });

  it('agrees with the items EDGAR lists for the NVIDIA 8-K (index page and SGML header)', () => {
    const index = documentText(fixtureText('8k-0001045810-26-000024-index.html'));
    const listed = [...index.matchAll(/Item (\d\.\d{2}):/g)].map((match) => match[1]);
    expect(listed).toEqual(['5.02', '9.01']);
    const header = fixtureText('8k-0001045810-26-000024-header.txt');
    expect(header.match(/ITEM INFORMATION:/g)).toHaveLength(2);
    const fromText = [...new Set(itemSections(documentText(fixtureText('8k-nvda-20260302.htm'))).map((section) => section.item))];
    expect(fromText).toEqual(listed);
  });

  it('classifies documents without items from their text, and refines 8.01 and 7.01 by the lead of their section', () => {
    expect(types(classifyFiling(filingOf('8k-nvda-20260302.htm')))).toEqual(['executive_change']);
    expect(types(classifyFiling(filingOf('8k-BuckleInc.html')))).toEqual(['earnings']);
    expect(types(classifyFiling(filingOf('8k-1800Flowers.html')))).toEqual(['shareholder_vote']);
    // Premier Financial Bancorp, 8.01: "entered into an Agreement and Plan of Merger ... with Peoples Bancorp".
    const merger = classifyFiling(filingOf('8k-0000887919-21-000012.html', ['8.01', '9.01']));
    expect(merger).toMatchObject([{ type: 'merger_acquisition', basis: '8-K item 8.01, text: merger or acquisition' }]);
    // NexPoint, 8.01: the price of its distribution reinvestment plan - no event type, and not a dividend.
    expect(types(classifyFiling(filingOf('8k-NextPoint.html', ['8.01'])))).toEqual(['other']);
    // LG&E 2003, Item 9 (7.01): a Sarbanes-Oxley certification - no event type.
    expect(types(classifyFiling(filingOf('8k-0001104659-03-004925.html')))).toEqual(['other']);
    // AFC Gamma: the CFO leaves (5.02, material) and a 7.01 press release.
    const afc = classifyFiling(filingOf('8k-afcgamma.html', ['5.02', '7.01', '9.01']));
    expect(afc.find((event) => event.type === 'executive_change')!.severity).toBe(0.3);
  });

  it('dates the NVIDIA 8-K from its SGML acceptance time: Friday 16:11 New York time counts from Monday', () => {
    const header = fixtureText('8k-0001045810-26-000024-header.txt');
    const stamp = /<ACCEPTANCE-DATETIME>(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(header)!;
    // The SGML header is always New York time: 2026-03-06 16:11:25 EST = 21:11:25 UTC.
    const instant = newYorkWallClockToInstant(isoToDay(`${stamp[1]}-${stamp[2]}-${stamp[3]}`), ((Number(stamp[4]) * 60 + Number(stamp[5])) * 60 + Number(stamp[6])) * 1000);
    expect(new Date(instant).toISOString()).toBe('2026-03-06T21:11:25.000Z');
    const weekdays = Int32Array.from(['2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10'].map(isoToDay));
    const events = classifyFiling({ ...filingOf('8k-nvda-20260302.htm', ['5.02', '9.01']), publicAt: new Date(instant).toISOString(), filingDate: '2026-03-06' }, { tradingDays: weekdays });
    expect(events.map((event) => [event.type, dayToIso(event.publicDay), dayToIso(event.availableDay), dayToIso(event.effectiveDay!)])).toEqual([['executive_change', '2026-03-06', '2026-03-07', '2026-03-09']]);
  });
});

describe('classifyNews on recorded headlines', () => {
  const headlines = readAgilentHeadlines();
  const find = (start: string) => headlines.find((item) => item.title.startsWith(start))!;

  it('reads the 100 Benzinga headlines for Agilent', () => {
    expect(headlines).toHaveLength(100);
    expect(headlines.every((item) => item.symbol === 'A')).toBe(true);
  });

  it('types headlines by their words and carries their sentiment', () => {
    expect(classifyNews(find('Agilent Withdraws Q2 And FY20 Guidance'))).toMatchObject({ type: 'guidance', severity: 0.5, basis: 'headline: guidance cut' });
    expect(classifyNews(find('Needham Downgrades Agilent'))).toMatchObject({ type: 'rating_change' });
    expect(classifyNews(find('Needham Downgrades Agilent')).sentiment!).toBeLessThan(0);
    expect(classifyNews(find('Agilent Raises Qtr. Dividend'))).toMatchObject({ type: 'dividend', impact: { dividend: 0.5 } });
    expect(classifyNews(find('Twist Bioscience Reports Settlement Deal'))).toMatchObject({ type: 'litigation', basis: 'headline: litigation settlement' });
    expect(classifyNews(find('Agilent Technologies Q4 Adj. EPS $0.89 Beats'))).toMatchObject({ type: 'earnings' });
    expect(classifyNews(find('Agilent Technologies Q4 Adj. EPS $0.89 Beats')).sentiment!).toBeGreaterThan(0.5);
    expect(classifyNews(find('Agilent Sees Q1 Adj. EPS'))).toMatchObject({ type: 'guidance' });
    expect(classifyNews(find('Stocks That Hit 52-Week Lows On Monday'))).toMatchObject({ type: 'negative_news', source: 'news' });
    expect(classifyNews(find('Stocks That Hit 52-Week Highs On Friday'))).toMatchObject({ type: 'other', severity: 0.1 });
  });

  it('counts a headline with a time from its trading day, and one with a bare date from the next day', () => {
    const bars = loadBars('A');
    // "2020-05-22 09:07:04-04:00", before the open: Friday 22 May 2020.
    const timed = classifyNews(headlines.find((item) => item.publicAt === '2020-05-22T13:07:04.000Z')!, { tradingDays: bars.dates });
    expect(dayToIso(timed.effectiveDay!)).toBe('2020-05-22');
    // "Agilent Withdraws Q2 And FY20 Guidance" is dated "2020-04-14 00:00:00" with no time: from Wednesday 15 April.
    const dated = classifyNews(find('Agilent Withdraws Q2 And FY20 Guidance'), { tradingDays: bars.dates });
    expect([dayToIso(dated.publicDay), dayToIso(dated.availableDay), dayToIso(dated.effectiveDay!)]).toEqual(['2020-04-14', '2020-04-15', '2020-04-15']);
  });

  it('sorts a symbol\'s events by availability and fills effective days later', () => {
    const events = classifyEvents([], headlines.slice(0, 20));
    expect(events.map((event) => event.availableDay)).toEqual([...events.map((event) => event.availableDay)].sort((a, b) => a - b));
    const dates = Int32Array.from([isoToDay('2020-05-26'), isoToDay('2020-05-27')]);
    const filled = withEffectiveDays(events, dates);
    expect(filled.filter((event) => event.effectiveDay !== undefined).every((event) => event.effectiveDay! >= event.availableDay)).toBe(true);
    expect(filled.find((event) => event.availableDay > dates[1]!)?.effectiveDay).toBeUndefined();
  });
});
