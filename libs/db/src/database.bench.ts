/**
 * Speed budgets of issue 4 (run: npx vitest bench --run in libs/db; results in docs/benchmarks.md):
 * - upsert all 578,223 S&P 500 bars of the embedded data at 300,000 rows per second or more;
 * - write and read back the feature matrix of 470 symbols x 1,259 days x 202 features, each under 3 seconds;
 * and the layout comparison behind the feature store: one packed block per symbol against one row per (symbol, date).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createRandom, type Bars } from '@quant/core';
import { getSymbolInfo, listSymbols, loadBars } from '@quant/sample-data';
import { openDatabase } from './index.js';

const directory = mkdtempSync(join(tmpdir(), 'quant-db-bench-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const symbols = listSymbols('sp500');
const allBars: Bars[] = symbols.map((symbol) => loadBars(symbol, { onIssue: () => {} }));
// Only bars that pass the checks can be stored (SCG's broken rows are refused by design); they are 99.9% of rows.
const storable = allBars.filter((bars) => bars.adjustedClose.every((value) => value > 0) && bars.open.every((value) => value > 0));
const infos = symbols.map((symbol) => getSymbolInfo(symbol));
const featureCount = 202;
const columns = Array.from({ length: featureCount }, (_, index) => `feature_${index}`);
const random = createRandom(1);
const blocks = allBars.map((bars) => ({
  symbol: bars.symbol,
  dates: bars.dates,
  values: Float32Array.from({ length: bars.dates.length * featureCount }, () => random.nextGaussian()),
}));

let counter = 0;
function freshDatabase() {
  const database = openDatabase(join(directory, `bench-${counter++}.sqlite`));
  database.symbols.upsert(infos);
  database.features.registerFeatureSet('bench', columns);
  return database;
}

describe('price_data', () => {
  const rows = storable.reduce((sum, bars) => sum + bars.dates.length, 0);
  // Each iteration needs an empty database; its creation (migrations, 470 symbols) is timed on its own so that the
  // upsert's rate is (upsert - setup) time.
  bench('setup: create a database with the 470 symbols', () => {
    freshDatabase().close();
  }, { iterations: 5, warmupIterations: 1 });
  bench(`setup + upsert ${rows.toLocaleString('en-US')} S&P 500 bars (checks, foreign keys, one transaction)`, () => {
    const database = freshDatabase();
    database.prices.upsertMany(storable, 'embedded');
    database.close();
  }, { iterations: 3, warmupIterations: 0 });
  bench('setup + upsert + re-upsert the same bars (idempotent: nothing changes)', () => {
    const database = freshDatabase();
    database.prices.upsertMany(storable, 'embedded');
    const again = database.prices.upsertMany(storable, 'embedded');
    if (again.changed !== 0) throw new Error(`re-upsert changed ${again.changed} rows`);
    database.close();
  }, { iterations: 2, warmupIterations: 0 });
});

describe('feature_store: packed block per symbol (the chosen layout)', () => {
  const database = freshDatabase();
  bench('write 470 x 1,259 x 202', () => database.features.write('bench', blocks), { iterations: 3, warmupIterations: 0 });
  bench('read 470 x 1,259 x 202 as one matrix', () => {
    database.features.read('bench');
  }, { iterations: 3, warmupIterations: 0 });
});

describe('feature store alternative: one row per (symbol, date) with a packed 202-float vector', () => {
  const database = freshDatabase();
  database.connection.exec(
    'CREATE TABLE feature_rows (symbol TEXT NOT NULL, date INTEGER NOT NULL, "values" BLOB NOT NULL, PRIMARY KEY (symbol, date)) STRICT, WITHOUT ROWID',
  );
  bench('write 470 x 1,259 x 202', () => {
    const insert = database.connection.prepare('INSERT OR REPLACE INTO feature_rows (symbol, date, "values") VALUES (?, ?, ?)');
    database.transaction(() => {
      const row = new Float32Array(featureCount);
      for (const block of blocks) {
        const rows = block.dates.length;
        for (let index = 0; index < rows; index++) {
          for (let column = 0; column < featureCount; column++) row[column] = block.values[column * rows + index]!;
          insert.run(block.symbol, block.dates[index]!, Buffer.from(row.buffer));
        }
      }
    });
  }, { iterations: 2, warmupIterations: 0 });
  bench('read 470 x 1,259 x 202', () => {
    const rows = database.connection.prepare('SELECT "values" FROM feature_rows ORDER BY symbol, date').raw().all() as [Buffer][];
    const values = new Float32Array(rows.length * featureCount);
    rows.forEach(([blob], index) => values.set(new Float32Array(new Uint8Array(blob).buffer), index * featureCount));
  }, { iterations: 2, warmupIterations: 0 });
});
