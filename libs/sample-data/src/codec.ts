/**
 * The compact, lossless encoding of the embedded bars (format version 1).
 *
 * Prices are stored as exact scaled decimals: each price column of a symbol has a decimal scale k (the largest number
 * of decimals in the source file) and every value is stored as the integer round(value * 10^k). Decoding divides by
 * 10^k, which IEEE 754 rounds correctly, so a decoded value is bit for bit `parseFloat` of the source text: nothing is
 * lost and no float32 rounding is introduced. Integers are delta-encoded down the column, zigzag-mapped to unsigned,
 * written as LEB128 varints, and each symbol's block is compressed with Brotli.
 *
 * Block layout (before compression):
 *   varint rowCount
 *   dates: varint first day (zigzag), then varint day deltas
 *   for each of open, high, low, close, adjustedClose, volume: byte scale k, then zigzag varint deltas;
 *   or, for a column whose scaled integers would not be exact (for example SCG's adjusted close of 1.8e21 in the
 *   source), byte 255 and the float64 values parsed from the text, little-endian.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { FormatError } from '@quant/core';

export const CODEC_VERSION = 1;
export const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'adjustedClose', 'volume'] as const;
export type PriceColumn = (typeof PRICE_COLUMNS)[number];

/** One symbol's source data as exact decimal text, as read from the CSV (used only when building the dataset). */
export interface DecimalSeries {
  dates: number[];
  columns: Record<PriceColumn, string[]>;
}

export interface DecodedSeries {
  dates: Int32Array;
  columns: Record<PriceColumn, Float64Array>;
}

const MAX_SCALE = 12;
const RAW_FLOAT64 = 255;
const POWERS_OF_TEN = Array.from({ length: MAX_SCALE + 1 }, (_, exponent) => 10 ** exponent);

/** Number of decimals in a plain decimal string (no exponent allowed). */
function decimalsOf(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** Exact integer value of `text * 10^scale`, or null when it is not a safe integer. Throws for non-decimal text. */
function scaledInteger(text: string, scale: number): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new FormatError(`not a plain decimal number: ${JSON.stringify(text)}`);
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = unsigned.split('.');
  const digits = `${whole}${fraction.padEnd(scale, '0')}`;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return null;
  return negative ? -value : value;
}

class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  float64(value: number): void {
    this.reserve(8);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Unsigned LEB128 of a non-negative safe integer (arithmetic, since bit operators are 32-bit in JavaScript). */
  varint(value: number): void {
    this.reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  signed(value: number): void {
    // Zigzag: 0, -1, 1, -2, 2 ... -> 0, 1, 2, 3, 4 ...
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Encodes one symbol's series into a compressed block. */
export function encodeSeries(series: DecimalSeries): Uint8Array {
  const rows = series.dates.length;
  const writer = new ByteWriter();
  writer.varint(rows);
  let previousDay = 0;
  for (let row = 0; row < rows; row++) {
    const day = series.dates[row]!;
    writer.signed(day - previousDay);
    previousDay = day;
  }
  for (const name of PRICE_COLUMNS) {
    const column = series.columns[name];
    if (column.length !== rows) throw new FormatError(`column ${name} has ${column.length} values, dates has ${rows}`);
    const scale = column.reduce((largest, text) => Math.max(largest, decimalsOf(text)), 0);
    const integers = scale <= MAX_SCALE ? column.map((text) => scaledInteger(text, scale)) : null;
    // Deltas must stay exact too, so every integer must be well inside the safe range.
    if (integers === null || integers.some((value) => value === null || Math.abs(value) > Number.MAX_SAFE_INTEGER / 2)) {
      writer.byte(RAW_FLOAT64);
      for (const text of column) writer.float64(Number(text));
      continue;
    }
    writer.byte(scale);
    let previous = 0;
    for (const value of integers) {
      writer.signed(value! - previous);
      previous = value!;
    }
  }
  return brotliCompressSync(writer.bytes(), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
}

/** Decodes a block written by `encodeSeries`. */
export function decodeSeries(block: Uint8Array, label: string): DecodedSeries {
  let bytes: Uint8Array;
  try {
    bytes = brotliDecompressSync(block);
  } catch (error) {
    throw new FormatError(`${label}: the embedded data block is corrupt`, { cause: error });
  }
  let position = 0;
  const readVarint = (): number => {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      if (position >= bytes.length) throw new FormatError(`${label}: the embedded data block ends early`);
      const byte = bytes[position++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 0x80;
    }
  };
  const readSigned = (): number => {
    const zigzag = readVarint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  };
  const rows = readVarint();
  const dates = new Int32Array(rows);
  let day = 0;
  for (let row = 0; row < rows; row++) {
    day += readSigned();
    dates[row] = day;
  }
  const columns = {} as Record<PriceColumn, Float64Array>;
  for (const name of PRICE_COLUMNS) {
    if (position >= bytes.length) throw new FormatError(`${label}: the embedded data block ends early`);
    const scale = bytes[position++]!;
    const values = new Float64Array(rows);
    if (scale === RAW_FLOAT64) {
      if (position + rows * 8 > bytes.length) throw new FormatError(`${label}: the embedded data block ends early`);
      const view = new DataView(bytes.buffer, bytes.byteOffset + position, rows * 8);
      for (let row = 0; row < rows; row++) values[row] = view.getFloat64(row * 8, true);
      position += rows * 8;
      columns[name] = values;
      continue;
    }
    if (scale > MAX_SCALE) throw new FormatError(`${label}: column ${name} has an invalid scale ${scale}`);
    const divisor = POWERS_OF_TEN[scale]!;
    let integer = 0;
    for (let row = 0; row < rows; row++) {
      integer += readSigned();
      values[row] = integer / divisor;
    }
    columns[name] = values;
  }
  if (position !== bytes.length) throw new FormatError(`${label}: ${bytes.length - position} unexpected bytes after the data`);
  return { dates, columns };
}
