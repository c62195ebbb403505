/**
 * Row-major packed bins: the bins of one row in consecutive 32-bit words, four features per word (feature f is
 * byte f mod 4 of word f / 4, least significant byte first; the last word is padded with bin 0). A histogram pass
 * then loads one word for four features, and a tree traversal finds all of a row's bins in one or two cache lines.
 * The packing is done with shifts, not through a byte view, so it does not depend on the platform's byte order.
 */

export interface RowWords {
  readonly words: Uint32Array;
  readonly wordsPerRow: number;
}

/** Packs column-major bins (`bins[feature * rowCount + row]`) into `target` (zeroed, rowCount x wordsPerRow words). */
export function packRowWords(bins: Uint8Array, rowCount: number, featureCount: number, target: Uint32Array): Uint32Array {
  const wordsPerRow = Math.ceil(featureCount / 4);
  for (let feature = 0; feature < featureCount; feature++) {
    const base = feature * rowCount;
    const word = feature >>> 2;
    const shift = (feature & 3) << 3;
    for (let row = 0; row < rowCount; row++) target[row * wordsPerRow + word]! |= bins[base + row]! << shift;
  }
  return target;
}

/** Packs column-major bins into new words, in shared memory (for worker threads) or not. */
export function rowWords(bins: Uint8Array, rowCount: number, featureCount: number, shared: boolean): RowWords {
  const wordsPerRow = Math.ceil(featureCount / 4);
  const size = rowCount * wordsPerRow;
  const target = shared ? new Uint32Array(new SharedArrayBuffer(4 * size)) : new Uint32Array(size);
  return { words: packRowWords(bins, rowCount, featureCount, target), wordsPerRow };
}
