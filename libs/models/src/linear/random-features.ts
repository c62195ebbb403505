/**
 * Random Fourier features (Rahimi & Recht 2007, "Random features for large-scale kernel machines"): with
 * omega_m ~ N(0, 2 gamma I) and beta_m ~ U[0, 2 pi), phi(z)_m = sqrt(2 / D) cos(omega_m . z + beta_m) satisfies
 * E[phi(z) . phi(z')] = exp(-gamma ||z - z'||^2), the RBF kernel, so a linear model on phi approximates a kernel
 * machine at O(D) cost per row. The draws come from the seeded generator, so the same seed gives the same features
 * (and the model stores only the seed).
 */
import { createRandom } from '@quant/core';
import { SimdKernel } from '../neural/simd-kernel.js';

/** Rows per block of the transform (bounds the kernel's memory). */
const TRANSFORM_BLOCK_ROWS = 2048;

export class RandomFourierFeatures {
  /** D x d, row-major: the frequency vector of feature m at m * inputCount. */
  readonly frequencies: Float64Array;
  readonly phases: Float64Array;

  constructor(
    readonly inputCount: number,
    readonly componentCount: number,
    readonly gamma: number,
    readonly seed: number,
  ) {
    const random = createRandom(seed);
    const deviation = Math.sqrt(2 * gamma);
    this.frequencies = new Float64Array(componentCount * inputCount);
    for (let index = 0; index < this.frequencies.length; index++) this.frequencies[index] = deviation * random.nextGaussian();
    this.phases = new Float64Array(componentCount);
    for (let index = 0; index < componentCount; index++) this.phases[index] = 2 * Math.PI * random.next();
  }

  /**
   * phi of each row of a row-major `rows x inputCount` matrix, row-major `rows x componentCount`. The products
   * omega_m . z run in blocks of rows on the WebAssembly SIMD kernel (see neural/simd-kernel.ts; inputs padded with
   * zeros to an even count, rows to a multiple of 4), the cosines in TypeScript.
   */
  transform(Z: Float64Array, rowCount: number): Float64Array {
    const inputCount = this.inputCount;
    const componentCount = this.componentCount;
    const paddedInputs = inputCount + (inputCount % 2);
    const paddedComponents = componentCount + (componentCount % 2);
    const block = Math.min(TRANSFORM_BLOCK_ROWS, Math.ceil(Math.max(1, rowCount) / 4) * 4);
    const layout = [paddedComponents * paddedInputs, paddedComponents, block * paddedInputs, block * paddedComponents];
    const offsets = layout.map((_, index) => layout.slice(0, index).reduce((sum, length) => sum + Math.ceil((length * 8) / 64) * 64, 0));
    const kernel = new SimdKernel(offsets[3]! + layout[3]! * 8);
    const frequencies = kernel.view(offsets[0]!, layout[0]!);
    for (let component = 0; component < componentCount; component++) {
      frequencies.set(this.frequencies.subarray(component * inputCount, (component + 1) * inputCount), component * paddedInputs);
    }
    kernel.view(offsets[1]!, componentCount).set(this.phases);
    const input = kernel.view(offsets[2]!, layout[2]!);
    const angles = kernel.view(offsets[3]!, layout[3]!);
    const output = new Float64Array(rowCount * componentCount);
    const scale = Math.sqrt(2 / componentCount);
    for (let start = 0; start < rowCount; start += block) {
      const count = Math.min(block, rowCount - start);
      input.fill(0);
      for (let row = 0; row < count; row++) input.set(Z.subarray((start + row) * inputCount, (start + row + 1) * inputCount), row * paddedInputs);
      kernel.multiply(offsets[2]!, offsets[0]!, offsets[3]!, offsets[1]!, Math.ceil(count / 4) * 4, paddedComponents, paddedInputs);
      for (let row = 0; row < count; row++) {
        const target = (start + row) * componentCount;
        const source = row * paddedComponents;
        for (let component = 0; component < componentCount; component++) output[target + component] = scale * Math.cos(angles[source + component]!);
      }
    }
    return output;
  }
}
