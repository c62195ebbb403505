/**
 * A child process for the crash and concurrency tests. Modes:
 *   bulk  PATH BATCH  writes batches of BATCH bars for symbol KILL, one transaction each, forever; prints
 *                     "begin N" before and "committed N" after each transaction, so the parent can kill it mid-write.
 *   hold  PATH ROWS   writes ROWS bars in one open transaction, prints "holding", commits when stdin says "commit",
 *                     then prints "committed" and exits.
 */
import { createInterface } from 'node:readline';
import { createBars } from '@quant/core';
import { openDatabase } from '../index.js';

const [mode, path, countText] = process.argv.slice(2);
const count = Number(countText);
const database = openDatabase(path!);
database.symbols.upsert([{ symbol: 'KILL', name: 'crash test', kind: 'stock', sector: null, capTier: null, cik: null }]);

function batch(startDay: number, rows: number) {
  const dates = Array.from({ length: rows }, (_, index) => startDay + index);
  const prices = dates.map((day) => 100 + (day % 17));
  return createBars({ symbol: 'KILL', dates, open: prices, high: prices.map((price) => price + 1), low: prices.map((price) => price - 1), close: prices, volume: dates.map(() => 1000) });
}

if (mode === 'bulk') {
  for (let number = 1; ; number++) {
    process.stdout.write(`begin ${number}\n`);
    database.prices.upsert(batch(number * count, count), 'crash-test');
    process.stdout.write(`committed ${number}\n`);
  }
} else if (mode === 'hold') {
  const insert = database.connection.prepare(
    `INSERT INTO price_data (symbol_id, date, open, high, low, close, adjusted_close, volume, source)
     VALUES (${database.symbols.id('KILL')}, ?, 100, 101, 99, 100, 100, 1000, 'hold-test')`,
  );
  database.connection.exec('BEGIN IMMEDIATE');
  for (let day = 0; day < count; day++) insert.run(day);
  process.stdout.write('holding\n');
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'commit') {
      database.connection.exec('COMMIT');
      database.close();
      process.stdout.write('committed\n');
      process.exit(0);
    }
  });
}
