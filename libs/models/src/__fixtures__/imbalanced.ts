/** An imbalanced synthetic data set for the class-weight tests of the non-tree models. */
import { createRandom, type FeatureMatrix } from '@quant/core';
import { matrixFrom } from './synthetic.js';

/**
 * Noisy thresholds on x0 (the noise is not a feature): about 6% SELL (x0 + noise < 0.05), 6% BUY (> 1), the rest
 * HOLD; x1 is noise. Without weights a calibrated model never finds BUY more likely than HOLD; class weights must
 * change that.
 */
export function imbalancedData(rowCount: number, seed: number): { X: FeatureMatrix; y: Int8Array } {
  const random = createRandom(seed);
  const features = Array.from({ length: rowCount }, () => [random.next(), random.next()]);
  const y = Int8Array.from(features, ([x0]) => {
    const noisy = x0! + (random.next() - 0.5) * 0.5;
    return noisy < 0.05 ? 0 : noisy > 1 ? 2 : 1;
  });
  return { X: matrixFrom(rowCount, 2, (row, column) => features[row]![column]!), y };
}
