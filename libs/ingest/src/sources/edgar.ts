/**
 * SEC EDGAR filings through its JSON endpoints: company tickers to CIK (www.sec.gov/files/company_tickers.json), a
 * company's submissions (data.sec.gov/submissions/CIK##########.json, whose `filings.recent` holds the latest
 * 1,000 or so filings and whose `filings.files` names older pages such as CIK##########-submissions-001.json), and
 * a filing's primary document (www.sec.gov/Archives/edgar/data/<cik>/<accession without dashes>/<document>).
 *
 * SEC's rules for automated access (www.sec.gov/os/accessing-edgar-data): declare a User-Agent naming you and a
 * contact address, and make at most 10 requests per second. Without a User-Agent SEC answers 403, so this source
 * refuses to start without one; its default client spaces requests by 100 ms through a token bucket.
 */
import { FormatError, InvalidArgumentError, NotFoundError, describeValue, isoToDay, normalizeCik, type Filing } from '@quant/core';
import { HttpClient, type HttpClientOptions } from '../resilience/http.js';
import { acceptanceInstant, inferAcceptanceClock, type AcceptanceClockEvidence } from './edgar-time.js';
import { htmlToText } from './html-text.js';
import type { FilingQuery, FilingSource } from './types.js';

/** SEC's fair-access limit (requests per second, all of a requester's traffic together). */
export const SEC_MAX_REQUESTS_PER_SECOND = 10;

export const EDGAR_URLS = {
  companyTickers: 'https://www.sec.gov/files/company_tickers.json',
  submissions: 'https://data.sec.gov/submissions/',
  archives: 'https://www.sec.gov/Archives/edgar/data/',
} as const;

export interface EdgarSourceOptions {
  /**
   * Who is asking, as SEC requires: a name and a contact e-mail, e.g. 'Sample Company Name AdminContact@example.com'.
   * Sent with every request.
   */
  readonly userAgent: string;
  /**
   * A ready client (its rate limit is then the caller's business: share one TokenBucket of 10/s among all SEC
   * clients), or settings for the source's own client, which defaults to service 'sec', SEC's 10 requests per second
   * (burst 1), a 10 s timeout and 3 retries.
   */
  readonly http?: HttpClient | Omit<HttpClientOptions, 'service'>;
}

export interface EdgarCompany {
  /** 10 digits with leading zeros. */
  readonly cik: string;
  readonly name: string;
  readonly tickers: readonly string[];
}

export interface TickerEntry {
  readonly cik: string;
  readonly ticker: string;
  readonly title: string;
}

export interface EdgarSubmissionsQuery extends FilingQuery {
  /** The company's CIK when the symbol is not (or no longer) in SEC's ticker list, e.g. a delisted company. */
  readonly cik?: string | number;
  /** Fetch the primary document's text for the filings this returns true for (8-Ks without items, say). */
  readonly withText?: (filing: Filing) => boolean;
}

export interface EdgarSubmissions {
  readonly company: EdgarCompany;
  /** Filings in the query's range, oldest first. */
  readonly filings: Filing[];
  /** How the acceptance times were read (see edgar-time.ts). */
  readonly acceptanceClock: AcceptanceClockEvidence;
  /** Submission documents fetched: the main one and the older pages that overlap the range. */
  readonly pagesFetched: number;
}

export interface EdgarSource extends FilingSource {
  /** The CIK of a ticker, from SEC's company tickers list (fetched once per source). */
  resolveCik(symbol: string, signal?: AbortSignal): Promise<TickerEntry>;
  fetchSubmissions(symbol: string, query?: EdgarSubmissionsQuery, signal?: AbortSignal): Promise<EdgarSubmissions>;
  fetchFilings(symbol: string, query?: EdgarSubmissionsQuery, signal?: AbortSignal): Promise<Filing[]>;
  /** The primary document of a filing as plain text (HTML stripped). */
  fetchFilingText(filing: Pick<Filing, 'cik' | 'accessionNumber' | 'primaryDocument'>, signal?: AbortSignal): Promise<string>;
}

/**
 * SEC's page bounds are approximate (Tesla's older page says filingTo 2018-02-11 but holds a filing of 2018-02-12),
 * so a page is skipped only when it ends well before the range (or starts well after it).
 */
const PAGE_BOUND_SLACK_DAYS = 31;

/** SEC's format: a name and an e-mail address. */
const USER_AGENT_PATTERN = /\S+@\S+\.\S+/;

export function createEdgarSource(options: EdgarSourceOptions): EdgarSource {
  const userAgent = typeof options.userAgent === 'string' ? options.userAgent.trim() : '';
  if (!USER_AGENT_PATTERN.test(userAgent)) {
    throw new InvalidArgumentError(
      `sec: EDGAR requires a User-Agent naming you and a contact e-mail, e.g. 'Sample Company Name AdminContact@example.com' ` +
        `(SEC blocks anonymous clients with HTTP 403); got ${describeValue(options.userAgent)}`,
    );
  }
  const http =
    options.http instanceof HttpClient
      ? options.http
      : new HttpClient({ rateLimit: { ratePerSecond: SEC_MAX_REQUESTS_PER_SECOND, burst: 1 }, ...options.http, service: 'sec' });
  const request = { headers: { 'User-Agent': userAgent } };
  let tickers: Promise<Map<string, TickerEntry>> | undefined;

  const loadTickers = (signal?: AbortSignal): Promise<Map<string, TickerEntry>> => {
    tickers ??= http.getJson(EDGAR_URLS.companyTickers, signal, request).then(
      (result) => parseCompanyTickers(result.value),
      (error: unknown) => {
        tickers = undefined; // a failed download is tried again on the next call
        throw error;
      },
    );
    return tickers;
  };

  const source: EdgarSource = {
    name: 'sec',

    async resolveCik(symbol, signal) {
      const entry = (await loadTickers(signal)).get(tickerKey(symbol));
      if (entry === undefined) throw new NotFoundError(`sec: ${symbol} is not in SEC's company tickers list`, { details: { symbol } });
      return entry;
    },

    async fetchSubmissions(symbol, query = {}, signal) {
      const cik = query.cik === undefined ? (await source.resolveCik(symbol, signal)).cik : normalizeCik(query.cik)!;
      const mainUrl = `${EDGAR_URLS.submissions}CIK${cik}.json`;
      const main = parseSubmissions((await http.getJson(mainUrl, signal, request)).value, mainUrl);
      const columns = [main.recent];
      for (const page of main.pages) {
        // A page holds the filings dated about filingFrom..filingTo: skip it when it cannot overlap the range.
        if (query.from !== undefined && isoToDay(page.filingTo) + PAGE_BOUND_SLACK_DAYS < query.from) continue;
        if (query.to !== undefined && isoToDay(page.filingFrom) - PAGE_BOUND_SLACK_DAYS > query.to) continue;
        const url = `${EDGAR_URLS.submissions}${page.name}`;
        columns.push(parseFilingColumns((await http.getJson(url, signal, request)).value, url));
      }
      const acceptanceClock = inferAcceptanceClock(columns.flatMap((page) => page.rows));
      const forms = query.forms === undefined ? undefined : new Set(query.forms);
      const filings: Filing[] = [];
      for (const row of columns.flatMap((page) => page.rows)) {
        if (forms !== undefined && !forms.has(row.form)) continue;
        const day = isoToDay(row.filingDate);
        if ((query.from !== undefined && day < query.from) || (query.to !== undefined && day > query.to)) continue;
        filings.push(toFiling(symbol, cik, row, acceptanceClock.clock));
      }
      filings.sort((a, b) => compare(a.publicAt, b.publicAt) || compare(a.accessionNumber, b.accessionNumber));
      if (query.withText !== undefined) {
        for (let index = 0; index < filings.length; index++) {
          const filing = filings[index]!;
          if (filing.primaryDocument !== undefined && query.withText(filing)) filings[index] = { ...filing, text: await source.fetchFilingText(filing, signal) };
        }
      }
      return { company: { ...main.company, cik }, filings, acceptanceClock, pagesFetched: columns.length };
    },

    async fetchFilings(symbol, query, signal) {
      return (await source.fetchSubmissions(symbol, query, signal)).filings;
    },

    async fetchFilingText(filing, signal) {
      if (filing.primaryDocument === undefined || filing.primaryDocument === '') {
        throw new InvalidArgumentError(`sec: filing ${filing.accessionNumber} has no primary document to fetch`);
      }
      const url = filingDocumentUrl(filing.cik, filing.accessionNumber, filing.primaryDocument);
      const text = (await http.getText(url, signal, request)).value;
      return /\.html?$/i.test(filing.primaryDocument) || /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+)?html/i.test(text) ? htmlToText(text) : text;
    },
  };
  return source;
}

/** Archive address of a filing's document: the CIK without leading zeros and the accession number without dashes. */
export function filingDocumentUrl(cik: string, accessionNumber: string, document: string): string {
  const folder = accessionNumber.replace(/-/g, '');
  if (!/^\d{18}$/.test(folder)) throw new InvalidArgumentError(`sec: ${describeValue(accessionNumber)} is not an accession number (##########-##-######)`);
  return `${EDGAR_URLS.archives}${Number(normalizeCik(cik))}/${folder}/${document}`;
}

/** SEC writes class shares with a dash (BRK-B); users and other sources often write a dot (BRK.B). */
function tickerKey(symbol: string): string {
  return symbol.trim().toUpperCase().replace(/\./g, '-');
}

/** company_tickers.json: {"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}, ...}. */
export function parseCompanyTickers(json: unknown): Map<string, TickerEntry> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FormatError(`sec: company_tickers.json is not an object of entries (schema change?): ${describeValue(json)}`);
  }
  const entries = new Map<string, TickerEntry>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const entry = value as { cik_str?: unknown; ticker?: unknown; title?: unknown } | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.ticker !== 'string' || (typeof entry.cik_str !== 'number' && typeof entry.cik_str !== 'string')) {
      throw new FormatError(`sec: company_tickers.json entry ${key} lacks cik_str or ticker (schema change?): ${JSON.stringify(value)}`);
    }
    const ticker = tickerKey(entry.ticker);
    // The list is ordered by market value; the first entry of a ticker wins.
    if (!entries.has(ticker)) entries.set(ticker, { cik: normalizeCik(entry.cik_str)!, ticker: entry.ticker, title: typeof entry.title === 'string' ? entry.title : '' });
  }
  if (entries.size === 0) throw new FormatError('sec: company_tickers.json has no entries');
  return entries;
}

interface FilingRow {
  readonly accessionNumber: string;
  readonly filingDate: string;
  readonly acceptanceDateTime: string;
  readonly form: string;
  readonly items: string;
  readonly primaryDocument: string;
  readonly primaryDocDescription: string;
  readonly size: number | undefined;
}

interface FilingColumns {
  readonly rows: FilingRow[];
}

interface SubmissionPage {
  readonly name: string;
  readonly filingFrom: string;
  readonly filingTo: string;
}

/** The fields every filing must have; a missing one means SEC changed the format, which must not pass silently. */
const REQUIRED_COLUMNS = ['accessionNumber', 'filingDate', 'acceptanceDateTime', 'form', 'items', 'primaryDocument'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The parallel arrays of one page of filings (`filings.recent`, or an older CIK...-submissions-NNN.json page). */
export function parseFilingColumns(json: unknown, url: string): FilingColumns {
  if (json === null || typeof json !== 'object') throw new FormatError(`sec: ${url} is not a JSON object (schema change?)`);
  const object = json as Record<string, unknown>;
  const length = Array.isArray(object['accessionNumber']) ? (object['accessionNumber'] as unknown[]).length : -1;
  for (const name of REQUIRED_COLUMNS) {
    const column = object[name];
    if (!Array.isArray(column)) throw new FormatError(`sec: ${url} has no '${name}' array (schema change?)`, { details: { url, field: name } });
    if (column.length !== length) {
      throw new FormatError(`sec: ${url}: '${name}' has ${column.length} values but 'accessionNumber' has ${length}`, { details: { url, field: name } });
    }
  }
  const text = (name: string, index: number): string => {
    const value = (object[name] as unknown[] | undefined)?.[index] ?? '';
    if (typeof value !== 'string') throw new FormatError(`sec: ${url}: ${name}[${index}] is ${describeValue(value)}, not a string (schema change?)`);
    return value;
  };
  const rows: FilingRow[] = [];
  for (let index = 0; index < length; index++) {
    const filingDate = text('filingDate', index);
    if (!ISO_DATE.test(filingDate)) throw new FormatError(`sec: ${url}: filingDate[${index}] ${JSON.stringify(filingDate)} is not YYYY-MM-DD`);
    const size = (object['size'] as unknown[] | undefined)?.[index];
    rows.push({
      accessionNumber: text('accessionNumber', index),
      filingDate,
      acceptanceDateTime: text('acceptanceDateTime', index),
      form: text('form', index),
      items: text('items', index),
      primaryDocument: text('primaryDocument', index),
      primaryDocDescription: text('primaryDocDescription', index),
      size: typeof size === 'number' && Number.isFinite(size) ? size : undefined,
    });
  }
  return { rows };
}

/** CIK##########.json: the company, its recent filings and the names of the older pages. */
export function parseSubmissions(json: unknown, url: string): { company: EdgarCompany; recent: FilingColumns; pages: SubmissionPage[] } {
  const object = json as { cik?: unknown; name?: unknown; tickers?: unknown; filings?: { recent?: unknown; files?: unknown } } | null;
  if (object === null || typeof object !== 'object' || typeof object.filings !== 'object' || object.filings === null) {
    throw new FormatError(`sec: ${url} has no 'filings' object (schema change?)`, { details: { url } });
  }
  const files = object.filings.files ?? [];
  if (!Array.isArray(files)) throw new FormatError(`sec: ${url}: 'filings.files' is not an array (schema change?)`);
  const pages = files.map((file: { name?: unknown; filingFrom?: unknown; filingTo?: unknown }, index) => {
    if (typeof file?.name !== 'string' || typeof file.filingFrom !== 'string' || typeof file.filingTo !== 'string' || !/^[\w-]+\.json$/.test(file.name)) {
      throw new FormatError(`sec: ${url}: filings.files[${index}] lacks a page name or its date range (schema change?): ${JSON.stringify(file)}`);
    }
    return { name: file.name, filingFrom: file.filingFrom, filingTo: file.filingTo };
  });
  return {
    company: {
      cik: typeof object.cik === 'string' || typeof object.cik === 'number' ? normalizeCik(object.cik)! : '',
      name: typeof object.name === 'string' ? object.name : '',
      tickers: Array.isArray(object.tickers) ? object.tickers.filter((ticker): ticker is string => typeof ticker === 'string') : [],
    },
    recent: parseFilingColumns(object.filings.recent, `${url} filings.recent`),
    pages,
  };
}

function toFiling(symbol: string, cik: string, row: FilingRow, clock: AcceptanceClockEvidence['clock']): Filing {
  return {
    symbol,
    cik,
    form: row.form,
    accessionNumber: row.accessionNumber,
    filingDate: row.filingDate,
    publicAt: acceptanceInstant(row.acceptanceDateTime, row.filingDate, clock),
    items: row.items
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
    ...(row.primaryDocument === '' ? {} : { primaryDocument: row.primaryDocument }),
    ...(row.primaryDocDescription === '' ? {} : { description: row.primaryDocDescription }),
    ...(row.size === undefined ? {} : { size: row.size }),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
