/**
 * A counter-based generator: a uniform 32-bit value for each (seed, row), from a SplitMix32-style mix (the finaliser
 * of Steele, Lea and Flood's SplitMix, 32-bit variant). It needs no state, so rows can be drawn in any order or by any
 * thread; the seeds themselves come from the model's seeded generator (createRandom).
 */
export function hashOfRow(seed: number, row: number): number {
  let hash = (seed + Math.imul(row, 0x9e3779b9)) | 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
