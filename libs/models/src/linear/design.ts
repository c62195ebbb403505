/**
 * A row-major design matrix in the WebAssembly SIMD kernel's memory (see neural/simd-kernel.ts), for the passes of
 * the linear models' objectives: with up to 4 outputs (classes), margins M = X W' + b (rows x 4) and the gradient
 * G = R' X (4 x features) of residuals R (rows x 4) are two kernel products, 3-5x faster than TypeScript loops.
 * Rows and features are padded to multiples of 4 with zeros, which change no sum.
 */
import { SimdKernel } from '../neural/simd-kernel.js';

/** Outputs per row (the classes, padded from 3; a single output uses the first). */
export const DESIGN_OUTPUTS = 4;
/** Rows per block of the gradient product (a block of a 202-feature matrix is ~100 kB: it stays in cache). */
const GRADIENT_BLOCK_ROWS = 64;

function alignedBytes(length: number): number {
  return Math.ceil((length * 8) / 64) * 64;
}

export class KernelDesign {
  readonly paddedRows: number;
  readonly paddedWidth: number;
  private readonly kernel: SimdKernel;
  private readonly offsets: { data: number; coefficients: number; intercepts: number; margins: number; residuals: number; gradient: number };
  private readonly coefficients: Float64Array;
  private readonly intercepts: Float64Array;
  /** Row-major `paddedRows x 4` margins of the last `computeMargins` (free to overwrite, e.g. by the softmax). */
  readonly margins: Float64Array;
  /** Row-major `paddedRows x 4` residuals, written by the caller before `computeGradient` (padding rows stay 0). */
  readonly residuals: Float64Array;
  /** `4 x paddedWidth` gradient R' X of the last `computeGradient`: output k, feature j at k * paddedWidth + j. */
  readonly gradient: Float64Array;

  constructor(
    design: Float64Array,
    readonly rowCount: number,
    readonly width: number,
  ) {
    this.paddedRows = Math.ceil(Math.max(1, rowCount) / 4) * 4;
    this.paddedWidth = Math.ceil(width / 4) * 4;
    const lengths = {
      data: this.paddedRows * this.paddedWidth,
      coefficients: DESIGN_OUTPUTS * this.paddedWidth,
      intercepts: DESIGN_OUTPUTS,
      margins: this.paddedRows * DESIGN_OUTPUTS,
      residuals: this.paddedRows * DESIGN_OUTPUTS,
      gradient: DESIGN_OUTPUTS * this.paddedWidth,
    };
    let total = 0;
    const offsets = {} as Record<keyof typeof lengths, number>;
    for (const key of Object.keys(lengths) as (keyof typeof lengths)[]) {
      offsets[key] = total;
      total += alignedBytes(lengths[key]);
    }
    this.offsets = offsets;
    this.kernel = new SimdKernel(total);
    const data = this.kernel.view(offsets.data, lengths.data);
    if (this.paddedWidth === width) data.set(design.subarray(0, rowCount * width));
    else for (let row = 0; row < rowCount; row++) data.set(design.subarray(row * width, (row + 1) * width), row * this.paddedWidth);
    this.coefficients = this.kernel.view(offsets.coefficients, lengths.coefficients);
    this.intercepts = this.kernel.view(offsets.intercepts, lengths.intercepts);
    this.margins = this.kernel.view(offsets.margins, lengths.margins);
    this.residuals = this.kernel.view(offsets.residuals, lengths.residuals);
    this.gradient = this.kernel.view(offsets.gradient, lengths.gradient);
  }

  /**
   * Margins for `outputs` (<= 4) linear functions read from a flat parameter vector: coefficient of output k for
   * feature j at parameters[j * featureStride + k * outputStride], intercept of output k at
   * parameters[interceptOffset + k * interceptStride]. Unused outputs get 0.
   */
  computeMargins(parameters: Float64Array, outputs: number, featureStride: number, outputStride: number, interceptOffset: number, interceptStride: number): Float64Array {
    const coefficients = this.coefficients;
    const paddedWidth = this.paddedWidth;
    coefficients.fill(0);
    this.intercepts.fill(0);
    for (let output = 0; output < outputs; output++) {
      const base = output * outputStride;
      for (let feature = 0; feature < this.width; feature++) coefficients[output * paddedWidth + feature] = parameters[base + feature * featureStride]!;
      this.intercepts[output] = parameters[interceptOffset + output * interceptStride]!;
    }
    const o = this.offsets;
    this.kernel.multiply(o.data, o.coefficients, o.margins, o.intercepts, this.paddedRows, DESIGN_OUTPUTS, paddedWidth);
    return this.margins;
  }

  /**
   * G = R' X from the residuals (see `residuals`); returns `gradient`. The rows go in blocks (accumulating, so the
   * sums are those of one pass): one pass over all rows per 4 features would re-read the whole matrix from memory
   * width / 4 times (measured 10x slower at 100,000 x 202).
   */
  computeGradient(): Float64Array {
    const o = this.offsets;
    const rowBytes = this.paddedWidth * 8;
    for (let start = 0; start < this.paddedRows; start += GRADIENT_BLOCK_ROWS) {
      const count = Math.min(GRADIENT_BLOCK_ROWS, this.paddedRows - start);
      this.kernel.multiplyStrided(o.residuals + start * DESIGN_OUTPUTS * 8, 8, DESIGN_OUTPUTS * 8, o.data + start * rowBytes, o.gradient, DESIGN_OUTPUTS, this.paddedWidth, count, start > 0);
    }
    return this.gradient;
  }
}

/**
 * Weighted second moments E_w[x~ x~'] with x~ = (x, 1) over the given rows of a row-major design, as a row-major
 * `(width + 1) x (width + 1)` matrix, on the SIMD kernel: the rows, scaled by sqrt(weight), go to the kernel's
 * memory once and S' S is one product.
 */
export function weightedSecondMoments(design: Float64Array, width: number, rows: Int32Array, rowWeights: Float64Array): Float64Array {
  const size = width + 1;
  const paddedSize = Math.ceil(size / 4) * 4;
  const count = rows.length;
  const scaledBytes = alignedBytes(count * paddedSize);
  const kernel = new SimdKernel(scaledBytes + alignedBytes(paddedSize * paddedSize));
  const scaled = kernel.view(0, count * paddedSize);
  let weightTotal = 0;
  for (let index = 0; index < count; index++) {
    const row = rows[index]!;
    const weight = rowWeights[row]!;
    weightTotal += weight;
    const root = Math.sqrt(weight);
    const target = index * paddedSize;
    for (let feature = 0; feature < width; feature++) scaled[target + feature] = root * design[row * width + feature]!;
    scaled[target + width] = root;
  }
  for (let start = 0; start < count; start += GRADIENT_BLOCK_ROWS) {
    const blockRows = Math.min(GRADIENT_BLOCK_ROWS, count - start);
    const offset = start * paddedSize * 8;
    kernel.multiplyStrided(offset, 8, paddedSize * 8, offset, scaledBytes, paddedSize, paddedSize, blockRows, start > 0);
  }
  const product = kernel.view(scaledBytes, paddedSize * paddedSize);
  const moments = new Float64Array(size * size);
  for (let first = 0; first < size; first++) {
    for (let second = 0; second < size; second++) moments[first * size + second] = product[first * paddedSize + second]! / weightTotal;
  }
  return moments;
}
