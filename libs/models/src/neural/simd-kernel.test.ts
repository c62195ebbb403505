import { createRandom } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { SimdKernel } from './simd-kernel.js';

describe('SimdKernel', () => {
  const random = createRandom(5);
  const kernel = new SimdKernel(1 << 20);
  const fill = (view: Float64Array): void => {
    for (let index = 0; index < view.length; index++) view[index] = random.nextGaussian();
  };

  it.each([
    [4, 2, 2],
    [8, 6, 10],
    [256, 64, 52],
    [12, 4, 256],
  ])('multiply: C = bias + P Q\' for %i x %i (inner %i), as the plain sums', (rows, columns, inner) => {
    const P = kernel.view(0, rows * inner);
    const Q = kernel.view(200_000, columns * inner);
    const bias = kernel.view(400_000, columns);
    const C = kernel.view(500_000, rows * columns);
    fill(P);
    fill(Q);
    fill(bias);
    kernel.multiply(0, 200_000, 500_000, 400_000, rows, columns, inner);
    const plain = C.slice();
    kernel.multiply(0, 200_000, 500_000, 400_000, rows, columns, inner, true);
    expect(C).toEqual(plain.map((value) => (value < 0 ? 0 : value))); // rectified: ReLU of the same values
    C.set(plain);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        // The kernel sums even and odd i separately (the two SIMD lanes), then adds them and the bias.
        let even = 0;
        let odd = 0;
        for (let i = 0; i < inner; i += 2) {
          even += P[r * inner + i]! * Q[c * inner + i]!;
          odd += P[r * inner + i + 1]! * Q[c * inner + i + 1]!;
        }
        expect(C[r * columns + c]).toBe(even + odd + bias[c]!);
      }
    }
  });

  it.each([false, true])('multiplyStrided: C = P Q with P read as itself or transposed (transposed: %s), exactly the plain sums', (transposed) => {
    const [M, N, K] = [8, 12, 7];
    const P = kernel.view(0, M * K);
    const Q = kernel.view(200_000, K * N);
    const C = kernel.view(500_000, M * N);
    fill(P);
    fill(Q);
    kernel.multiplyStrided(0, transposed ? 8 : K * 8, transposed ? M * 8 : 8, 200_000, 500_000, M, N, K);
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += (transposed ? P[k * M + m]! : P[m * K + k]!) * Q[k * N + n]!;
        expect(C[m * N + n]).toBe(sum);
      }
    }
  });

  it('mask: D = A > 0 ? D x scale : 0, for every value of an even count', () => {
    const D = kernel.view(0, 10);
    const A = kernel.view(800, 10);
    D.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    A.set([0.5, 0, -1, 2, Number.MIN_VALUE, -0, 3, -2, 1e-300, 7]);
    kernel.mask(0, 800, 10, 2.5);
    expect(Array.from(D)).toEqual([2.5, 0, 0, 10, 12.5, 0, 17.5, 0, 22.5, 25]);
  });
});
