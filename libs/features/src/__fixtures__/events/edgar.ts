/**
 * A small local reader of the recorded EDGAR fixtures of this folder (tests only; @quant/ingest owns the real EDGAR
 * client). It turns a submissions JSON (filings.recent: parallel arrays) into core Filings and reads the Benzinga
 * headline sample into NewsItems.
 *
 * EDGAR time stamps: `acceptanceDateTime` in the submissions API ends in `Z`, but for some filers it is the New York
 * wall clock with a `Z` appended. In these recordings Apple's earnings 8-Ks say 16:30 all year round (Apple releases
 * at 16:30 New York time, so the clock does not follow daylight saving as UTC would), and a filing accepted at
 * "21:18Z" has the next day's filing date, which only a New York time after 17:30 explains; Microsoft and NVIDIA move
 * by an hour with daylight saving (20:03Z in summer, 21:03Z in winter) and file at "00:xxZ", so theirs is UTC.
 * The reader decides per filing when the time itself rules one reading out (EDGAR accepts filings from 06:00 to
 * 22:00 New York time), and otherwise by the majority of the filer's filings, counting also the filing-date cut-off
 * (a filing after 17:30 New York time is dated the next business day).
 */
import { readFileSync } from 'node:fs';
import { isoToDay, parseCsv, type Filing, type NewsItem } from '@quant/core';
import { newYorkWallClockToInstant } from '../../events/market-time.js';

const folder = new URL('./', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, folder), 'utf8');
}

interface Submissions {
  readonly cik: string;
  readonly name: string;
  readonly tickers: readonly string[];
  readonly filings: { readonly recent: Readonly<Record<string, readonly (string | number)[]>> };
}

export type AcceptanceClock = 'utc' | 'new-york';

/** Forms that follow EDGAR's 17:30 filing-date cut-off (Section 16 forms are dated the same day until 22:00). */
const CUT_OFF_FORMS = /^(?:8-K|10-K|10-Q|NT 10-[KQ])(?:\/A)?$/;

/**
 * What one filing's time stamp says about the clock it is written in. Hard evidence is a time the other reading makes
 * impossible (EDGAR accepts filings from 06:00 to 22:00 New York time); soft evidence is the filing-date cut-off, which
 * applies to when a submission commenced, not when it was accepted, so a slow acceptance can mislead it.
 */
function evidence(acceptance: string, filingDate: string, form: string): { clock: AcceptanceClock; hard: boolean } | undefined {
  const hour = Number(acceptance.slice(11, 13));
  const minute = Number(acceptance.slice(14, 16));
  if (acceptance.slice(11, 19) === '00:00:00') return undefined;
  if (hour < 6 || hour >= 23) return { clock: 'utc', hard: true }; // a New York clock never shows these hours
  if (hour < 10) return { clock: 'new-york', hard: true }; // 06:00-09:59 UTC is 01:00-05:59 New York time
  const asNewYork = hour * 60 + minute;
  if (CUT_OFF_FORMS.test(form) && asNewYork >= 17 * 60 + 30 && asNewYork < 22 * 60) {
    // Read as New York time this is after the 17:30 cut-off (Regulation S-T, 17 CFR 232.13(a)(2)), so the filing
    // date should be a later day.
    return { clock: filingDate > acceptance.slice(0, 10) ? 'new-york' : 'utc', hard: false };
  }
  return undefined;
}

export interface ReadSubmissions {
  readonly cik: string;
  readonly name: string;
  readonly filings: Filing[];
  /** The filer's clock by majority of the filings that tell. */
  readonly clock: AcceptanceClock;
  readonly votes: Readonly<Record<AcceptanceClock, number>>;
}

function toInstant(acceptance: string, clock: AcceptanceClock): string {
  if (clock === 'utc') return new Date(Date.parse(acceptance)).toISOString();
  const day = isoToDay(acceptance.slice(0, 10));
  const milliseconds = Date.parse(`1970-01-01T${acceptance.slice(11, 23)}Z`);
  return new Date(newYorkWallClockToInstant(day, milliseconds)).toISOString();
}

/** Reads a (trimmed) submissions file of this folder into Filings of `symbol`. */
export function readSubmissions(name: string, symbol?: string): ReadSubmissions {
  const data = JSON.parse(fixtureText(name)) as Submissions;
  const recent = data.filings.recent;
  const column = (key: string): readonly (string | number)[] => {
    const values = recent[key];
    if (!Array.isArray(values)) throw new Error(`${name}: filings.recent.${key} is missing`);
    return values;
  };
  const forms = column('form') as string[];
  const acceptances = column('acceptanceDateTime') as string[];
  const filingDates = column('filingDate') as string[];
  const votes: Record<AcceptanceClock, number> = { utc: 0, 'new-york': 0 };
  forms.forEach((form, index) => {
    const vote = evidence(acceptances[index]!, filingDates[index]!, form);
    if (vote !== undefined) votes[vote.clock]++;
  });
  const clock: AcceptanceClock = votes['new-york'] > votes.utc ? 'new-york' : 'utc';
  const owner = symbol ?? data.tickers[0] ?? data.name;
  const filings = forms.map((form, index): Filing => {
    const acceptance = acceptances[index]!;
    const filingDate = filingDates[index]!;
    const items = String(column('items')[index] ?? '');
    const own = evidence(acceptance, filingDate, form);
    const filingClock = own !== undefined && own.hard ? own.clock : clock;
    const publicAt = acceptance === '' ? `${filingDate}T00:00:00.000Z` : toInstant(acceptance, filingClock);
    return {
      symbol: owner,
      cik: data.cik.padStart(10, '0'),
      form,
      accessionNumber: String(column('accessionNumber')[index]),
      filingDate,
      publicAt,
      items: items === '' ? [] : items.split(','),
      primaryDocument: String(column('primaryDocument')[index] ?? ''),
      description: String(column('primaryDocDescription')[index] ?? ''),
      size: Number(column('size')[index]),
    };
  });
  return { cik: data.cik, name: data.name, filings, clock, votes };
}

/**
 * The 100 Benzinga headlines for Agilent (ticker A). The header names six columns but each row carries two leading
 * index columns (see the folder's README): index, index, headline, url, publisher, date, stock. The date is either an
 * instant with its offset ('2020-06-05 10:30:54-04:00', 10 rows) or a bare date at '00:00:00' (90 rows), which is
 * given as midnight UTC, the convention for a date without a time.
 */
export function readAgilentHeadlines(): NewsItem[] {
  const [header, ...rows] = parseCsv(fixtureText('headlines-agilent-benzinga.csv'));
  if (header?.join(',') !== ',headline,url,publisher,date,stock') throw new Error(`unexpected header ${header?.join(',')}`);
  return rows
    .filter((cells) => cells.length === 7)
    .map((cells) => ({
      symbol: cells[6]!,
      title: cells[2]!,
      url: cells[3]!,
      publisher: cells[4]!,
      publicAt: /[+-]\d{2}:\d{2}$/.test(cells[5]!) ? new Date(Date.parse(cells[5]!.replace(' ', 'T'))).toISOString() : `${cells[5]!.slice(0, 10)}T00:00:00.000Z`,
    }));
}
