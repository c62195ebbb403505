// Rebuilds src/__fixtures__/edgar from the recorded EDGAR responses in ../shared/data/sec-edgar-samples (or the
// folder given as the first argument), trimmed to keep the repository small. Values are never edited: a trimmed
// submissions document keeps whole filings (the same index in every parallel array) inside a filing-date window,
// and the page list of a company whose older page is kept is recomputed to describe the trimmed page.
//   node libs/ingest/scripts/trim-edgar-fixtures.mjs [/work/shared/data/sec-edgar-samples]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const from = process.argv[2] ?? fileURLToPath(new URL('../../../../shared/data/sec-edgar-samples/', import.meta.url));
const to = fileURLToPath(new URL('../src/__fixtures__/edgar/', import.meta.url));

/** Tickers the tests look up, plus the ten largest entries, so that the list still looks like SEC's. */
const TICKERS = ['AAPL', 'NVDA', 'TSLA', 'MSFT', 'BRK-B'];
/** Submissions documents and the filing-date window [first, last) kept of each. */
const SUBMISSIONS = [
  ['CIK0000320193.json', '2019-01-01', '9999'], // Apple: acceptance times on the New York clock
  ['CIK0001045810.json', '2025-01-01', '9999'], // NVIDIA: acceptance times in genuine UTC
  ['CIK0001318605.json', '2025-01-01', '9999'], // Tesla: recent page...
  ['CIK0001318605-submissions-001.json', '2017-01-01', '9999'], // ...and its older page
  ['CIK0001009672.json', '2019-01-01', '9999'], // CARBO Ceramics: delisted (not in the tickers list)
  ['CIK0001009672-submissions-001.json', '0000', '2003-01-01'], // its older page, with pre-2002 date-only times
  // ('0000' and '9999' mean no bound on that side.)
];

const read = (name) => JSON.parse(readFileSync(join(from, name), 'utf8'));
const readSubmissions = (name) => read(join('submissions', name));
const write = (name, value) => {
  writeFileSync(join(to, name), JSON.stringify(value));
  process.stdout.write(`${name}: ${JSON.stringify(value).length} bytes\n`);
};

const tickers = read('company_tickers.json');
const kept = Object.values(tickers).filter((entry, index) => index < 10 || TICKERS.includes(entry.ticker));
write('company_tickers.json', Object.fromEntries(kept.map((entry, index) => [String(index), entry])));

function trimColumns(columns, first, last) {
  const keep = columns.filingDate.map((date, index) => (date >= first && date < last ? index : -1)).filter((index) => index >= 0);
  return Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, keep.map((index) => values[index])]));
}

// Older pages (parallel arrays only) first, so that the main documents can describe them as trimmed.
const pages = new Map();
for (const [name, first, last] of SUBMISSIONS) {
  const document = readSubmissions(name);
  if (document.filings !== undefined) continue;
  pages.set(name, trimColumns(document, first, last));
  write(name, pages.get(name));
}
for (const [name, first, last] of SUBMISSIONS) {
  const document = readSubmissions(name);
  if (document.filings === undefined) continue;
  document.filings.recent = trimColumns(document.filings.recent, first, last);
  document.filings.files = document.filings.files.map((file) => {
    const page = pages.get(file.name);
    if (page === undefined) return file; // not kept: tests must never ask for it
    // SEC's own bounds are kept where the trimming did not move them: they are not always exact (Tesla's page says
    // filingTo 2018-02-11 but holds a filing of 2018-02-12), and the source must cope with that.
    const [, first, last] = SUBMISSIONS.find(([other]) => other === file.name);
    const dates = [...page.filingDate].sort();
    return {
      ...file,
      filingCount: dates.length,
      filingFrom: first === '0000' ? file.filingFrom : dates[0],
      filingTo: last === '9999' ? file.filingTo : dates[dates.length - 1],
    };
  });
  write(name, document);
}
