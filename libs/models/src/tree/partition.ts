/**
 * Stable partition of a node's rows by a split, shared by the boosting and forest growers: rows partition[start..end)
 * whose bin of the split feature is <= splitBin (or is the missing bin 255, when missing values go left) stay in
 * place and in order, the others move to the end of the range, in order, through `scratch`. Returns the end of the
 * left rows.
 *
 * A function of its own so that V8 optimises it as a whole: inlined in a long-running caller, the loop was compiled
 * on-stack and the optimised code was thrown away at every loop exit.
 */
export function partitionRows(
  partition: Uint32Array, scratch: Uint32Array, columnBins: Uint8Array, base: number,
  start: number, end: number, splitBin: number, missingLeft: boolean,
): number {
  const missingGoesLeft = missingLeft ? 1 : 0;
  let leftEnd = start;
  let rightCount = 0;
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const bin = columnBins[base + row]!;
    // Branch-free (a split sends rows either way unpredictably): 1 when bin <= splitBin, or when the bin is the
    // missing bin (255 > splitBin) and missing values go left. The row is written to both sides and only the side
    // it belongs to advances; leftEnd <= index, so only rows already read are overwritten.
    const goesLeft = (((splitBin - bin) >>> 31) ^ 1) | (((bin + 1) >> 8) & missingGoesLeft);
    partition[leftEnd] = row;
    scratch[rightCount] = row;
    leftEnd += goesLeft;
    rightCount += goesLeft ^ 1;
  }
  partition.set(scratch.subarray(0, rightCount), leftEnd);
  return leftEnd;
}

/**
 * partitionRows on row-major packed bins (row-words.ts) instead of a column: it reads the rows' cache lines that the
 * children's histograms (boosting) or gathers (extra trees) read next.
 */
export function partitionRowsByWords(
  partition: Uint32Array, scratch: Uint32Array, words: Uint32Array, wordsPerRow: number, feature: number,
  start: number, end: number, splitBin: number, missingLeft: boolean,
): number {
  const missingGoesLeft = missingLeft ? 1 : 0;
  const word = feature >>> 2;
  const shift = (feature & 3) << 3;
  let leftEnd = start;
  let rightCount = 0;
  for (let index = start; index < end; index++) {
    const row = partition[index]!;
    const bin = (words[row * wordsPerRow + word]! >>> shift) & 0xff;
    const goesLeft = (((splitBin - bin) >>> 31) ^ 1) | (((bin + 1) >> 8) & missingGoesLeft);
    partition[leftEnd] = row;
    scratch[rightCount] = row;
    leftEnd += goesLeft;
    rightCount += goesLeft ^ 1;
  }
  partition.set(scratch.subarray(0, rightCount), leftEnd);
  return leftEnd;
}
