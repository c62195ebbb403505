/**
 * The MLP's numerical core on the WebAssembly SIMD kernel (see simd-kernel.ts): forward and backward passes over a
 * block of rows, Adam steps, and the input sensitivities, with every array in the kernel's linear memory.
 *
 * Layout: every unit count is padded to a multiple of 4 and the row block to a multiple of 4, the padding filled
 * with zeros, which is what the kernel needs. Padding changes no real value: a padded input unit is 0, so it adds
 * exactly 0 to every sum and its weights get zero gradients (Adam then leaves them at 0); a padded hidden unit has
 * zero weights and bias, so its pre-activation is 0 and ReLU keeps it 0 with zero delta; the padded fourth output is
 * left out of the softmax and gets zero delta; padded rows get zero deltas.
 *
 * Products (row-major arrays, A_l = activations entering layer l, D_l = deltas of its outputs):
 *   forward   A_{l+1} = A_l W_l' + b_l     `multiply` (C = bias + P Q')             rows x out, summed over in
 *   weights   dW_l = D_l' A_l              `multiplyStrided`, D_l read transposed   out x in, summed over rows
 *   backward  D_{l-1} = D_l W_l            `multiplyStrided`                        rows x in, summed over out
 * so nothing is ever transposed in memory.
 */
import type { Random } from '@quant/core';
import { SimdKernel } from './simd-kernel.js';

/** One fully connected layer, unpadded; weights neuron-major: output o's weights at o * inputs. */
export interface Layer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly biases: Float64Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

function padded(count: number): number {
  return Math.ceil(count / 4) * 4;
}

interface Buffer {
  readonly offset: number;
  readonly view: Float64Array;
}

export class PaddedNetwork {
  private readonly kernel: SimdKernel;
  /** Unpadded and padded unit counts, input first. */
  readonly sizes: readonly number[];
  private readonly paddedSizes: readonly number[];
  /** Rows per block (padded). */
  readonly capacity: number;
  private readonly weights: Buffer[];
  private readonly biases: Buffer[];
  readonly activations: Buffer[];
  readonly deltas: Buffer[];
  private readonly weightGradients: Buffer[];
  private readonly biasGradients: Float64Array[];
  private readonly firstMoments: Float64Array[] = [];
  private readonly secondMoments: Float64Array[] = [];
  private stepCount = 0;

  constructor(layers: readonly Layer[], rowCapacity: number, training: boolean) {
    this.sizes = [layers[0]!.inputs, ...layers.map((layer) => layer.outputs)];
    this.paddedSizes = this.sizes.map(padded);
    this.capacity = padded(Math.max(1, rowCapacity));
    const P = this.paddedSizes;
    const rows = this.capacity;
    // Lay out every array; the kernel's memory is sized once (views stay valid: it never grows afterwards).
    const lengths: number[] = [];
    const take = (length: number): number => {
      lengths.push(length);
      return lengths.length - 1;
    };
    const layerCount = layers.length;
    const weightSlots = layers.map((_, index) => take(P[index]! * P[index + 1]!));
    const biasSlots = layers.map((_, index) => take(P[index + 1]!));
    const activationSlots = P.map((size) => take(rows * size));
    const deltaSlots = training ? layers.map((_, index) => take(rows * P[index + 1]!)) : [];
    // The input delta (sensitivities) reuses a rows x input buffer.
    const inputDeltaSlot = take(rows * P[0]!);
    const gradientSlots = training ? layers.map((_, index) => take(P[index]! * P[index + 1]!)) : [];
    const offsets: number[] = [];
    let total = 0;
    for (const length of lengths) {
      offsets.push(total);
      // Each array starts on a 64-byte cache line: unaligned 16-byte loads that straddle lines cost ~40% here.
      total += Math.ceil((length * 8) / 64) * 64;
    }
    this.kernel = new SimdKernel(total);
    const buffer = (slot: number): Buffer => ({ offset: offsets[slot]!, view: this.kernel.view(offsets[slot]!, lengths[slot]!) });
    this.weights = weightSlots.map(buffer);
    this.biases = biasSlots.map(buffer);
    this.activations = activationSlots.map(buffer);
    this.deltas = [buffer(inputDeltaSlot), ...deltaSlots.map(buffer)];
    this.weightGradients = gradientSlots.map(buffer);
    this.biasGradients = training ? layers.map((_, index) => new Float64Array(P[index + 1]!)) : [];
    if (training) {
      for (let index = 0; index < layerCount; index++) {
        const size = P[index]! * P[index + 1]! + P[index + 1]!;
        this.firstMoments.push(new Float64Array(size));
        this.secondMoments.push(new Float64Array(size));
      }
    }
    this.load(layers);
  }

  /** Copies unpadded layers in (the padding stays 0). */
  load(layers: readonly Layer[]): void {
    layers.forEach((layer, index) => {
      const paddedInputs = this.paddedSizes[index]!;
      const weights = this.weights[index]!.view;
      for (let output = 0; output < layer.outputs; output++) {
        weights.set(layer.weights.subarray(output * layer.inputs, (output + 1) * layer.inputs), output * paddedInputs);
      }
      this.biases[index]!.view.set(layer.biases);
    });
  }

  /** Unpadded copies of the current layers. */
  export(): Layer[] {
    return this.weights.map((buffer, index) => {
      const inputs = this.sizes[index]!;
      const outputs = this.sizes[index + 1]!;
      const paddedInputs = this.paddedSizes[index]!;
      const weights = new Float64Array(inputs * outputs);
      for (let output = 0; output < outputs; output++) weights.set(buffer.view.subarray(output * paddedInputs, output * paddedInputs + inputs), output * inputs);
      return { inputs, outputs, weights, biases: this.biases[index]!.view.slice(0, outputs) };
    });
  }

  /**
   * Fills input rows 0..count-1 from a row-major matrix (`rows[start + k]` of `Z`) and zeroes the rows after them up
   * to the next multiple of 4 (padding columns are never written, so they stay 0).
   */
  loadRows(Z: Float64Array, featureCount: number, rows: Int32Array, start: number, count: number): void {
    const input = this.activations[0]!.view;
    const width = this.paddedSizes[0]!;
    for (let index = 0; index < count; index++) {
      const source = rows[start + index]! * featureCount;
      const target = index * width;
      for (let feature = 0; feature < featureCount; feature++) input[target + feature] = Z[source + feature]!;
    }
    input.fill(0, count * width, this.blockRows(count) * width);
  }

  /** Rows of the block the kernel computes for `count` real rows. */
  private blockRows(count: number): number {
    return padded(count);
  }

  /**
   * Forward pass of `count` loaded rows; with a generator and dropout > 0, each real hidden unit of each real row
   * is dropped with probability `dropout` (drawn in row-major order) and kept ones scaled by 1 / (1 - dropout).
   * Leaves the softmax probabilities in the first 3 columns of the output block.
   */
  forward(count: number, dropout = 0, random?: Random): void {
    const rows = this.blockRows(count);
    const last = this.weights.length - 1;
    const keepScale = 1 / (1 - dropout);
    for (let index = 0; index <= last; index++) {
      const outputs = this.paddedSizes[index + 1]!;
      const output = this.activations[index + 1]!;
      // Hidden layers: ReLU applied by the kernel as it stores.
      this.kernel.multiply(this.activations[index]!.offset, this.weights[index]!.offset, output.offset, this.biases[index]!.offset, rows, outputs, this.paddedSizes[index]!, index < last);
      const values = output.view;
      if (index === last) break;
      if (random !== undefined && dropout > 0) {
        const units = this.sizes[index + 1]!;
        for (let row = 0; row < count; row++) {
          for (let unit = 0; unit < units; unit++) {
            const slot = row * outputs + unit;
            values[slot] = random.next() >= dropout ? values[slot]! * keepScale : 0;
          }
        }
      }
    }
    // Softmax over the 3 real outputs of each row.
    const output = this.activations[last + 1]!.view;
    const width = this.paddedSizes[last + 1]!;
    const classes = this.sizes[last + 1]!;
    for (let row = 0; row < rows; row++) {
      const base = row * width;
      let top = -Infinity;
      for (let k = 0; k < classes; k++) top = Math.max(top, output[base + k]!);
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        const value = Math.exp(output[base + k]! - top);
        output[base + k] = value;
        sum += value;
      }
      for (let k = 0; k < classes; k++) output[base + k]! /= sum;
    }
  }

  /** Probability of class k for block row `row` (after `forward`). */
  probability(row: number, label: number): number {
    return this.activations[this.activations.length - 1]!.view[row * this.paddedSizes[this.paddedSizes.length - 1]! + label]!;
  }

  /**
   * Backward pass from output deltas already written to the top delta block (rows >= count must be 0): weight and
   * bias gradients, with the L2 term `decay` x W added to the weights'. `keepScale` = 1 / (1 - dropout).
   */
  backward(count: number, decay: number, keepScale: number): void {
    const rows = this.blockRows(count);
    const layerCount = this.weights.length;
    for (let index = layerCount - 1; index >= 0; index--) {
      const inputs = this.paddedSizes[index]!;
      const outputs = this.paddedSizes[index + 1]!;
      const delta = this.deltas[index + 1]!;
      const gradient = this.weightGradients[index]!;
      this.kernel.multiplyStrided(delta.offset, 8, outputs * 8, this.activations[index]!.offset, gradient.offset, outputs, inputs, rows);
      const weights = this.weights[index]!.view;
      const gradientValues = gradient.view;
      for (let slot = 0; slot < weights.length; slot++) gradientValues[slot]! += decay * weights[slot]!;
      const biasGradient = this.biasGradients[index]!;
      biasGradient.fill(0);
      const deltaValues = delta.view;
      for (let row = 0; row < rows; row++) {
        for (let unit = 0; unit < outputs; unit++) biasGradient[unit]! += deltaValues[row * outputs + unit]!;
      }
      if (index === 0) break;
      // Delta of the layer below: D W, times the ReLU (and dropout) derivative of its output.
      const below = this.deltas[index]!;
      this.kernel.multiplyStrided(delta.offset, outputs * 8, 8, this.weights[index]!.offset, below.offset, rows, inputs, outputs);
      this.kernel.mask(below.offset, this.activations[index]!.offset, rows * inputs, keepScale);
    }
  }

  /** Unpadded copies of the gradients of the last `backward` (weights as the layers', then biases). */
  gradients(): Layer[] {
    return this.weightGradients.map((buffer, index) => {
      const inputs = this.sizes[index]!;
      const outputs = this.sizes[index + 1]!;
      const paddedInputs = this.paddedSizes[index]!;
      const weights = new Float64Array(inputs * outputs);
      for (let output = 0; output < outputs; output++) weights.set(buffer.view.subarray(output * paddedInputs, output * paddedInputs + inputs), output * inputs);
      return { inputs, outputs, weights, biases: this.biasGradients[index]!.slice(0, outputs) };
    });
  }

  /** One Adam step on the last gradients (scikit-learn's form: lr sqrt(1 - beta2^t) / (1 - beta1^t) x m / (sqrt(v) + epsilon)). */
  step(learningRate: number): void {
    const layerCount = this.weights.length;
    this.stepCount++;
    const stepSize = (learningRate * Math.sqrt(1 - BETA2 ** this.stepCount)) / (1 - BETA1 ** this.stepCount);
    for (let index = 0; index < layerCount; index++) {
      const first = this.firstMoments[index]!;
      const second = this.secondMoments[index]!;
      const weights = this.weights[index]!.view;
      adam(weights, this.weightGradients[index]!.view, first, second, 0, stepSize);
      adam(this.biases[index]!.view, this.biasGradients[index]!, first, second, weights.length, stepSize);
    }
  }

  /** The top delta block (row-major rows x padded outputs). */
  outputDelta(): Float64Array {
    return this.deltas[this.deltas.length - 1]!.view;
  }

  get outputWidth(): number {
    return this.paddedSizes[this.paddedSizes.length - 1]!;
  }

  /**
   * Adds sum_k |d p_k / d z_j| of the `count` loaded rows (after `forward`) to `importance`: for each class k the
   * output delta d p_k / d o_m = p_k ([k = m] - p_m) is propagated to the inputs through the ReLU masks. Needs a
   * network built with `training` (it has the per-layer delta blocks).
   */
  addInputSensitivity(count: number, importance: Float64Array): void {
    const rows = this.blockRows(count);
    const layerCount = this.weights.length;
    const classes = this.sizes[layerCount]!;
    const width = this.outputWidth;
    const output = this.activations[layerCount]!.view;
    for (let label = 0; label < classes; label++) {
      const top = this.deltas[layerCount]!.view;
      top.fill(0);
      for (let row = 0; row < count; row++) {
        const base = row * width;
        const probability = output[base + label]!;
        for (let k = 0; k < classes; k++) top[base + k] = probability * ((k === label ? 1 : 0) - output[base + k]!);
      }
      for (let index = layerCount - 1; index >= 0; index--) {
        const below = this.deltas[index]!;
        const outputs = this.paddedSizes[index + 1]!;
        this.kernel.multiplyStrided(this.deltas[index + 1]!.offset, outputs * 8, 8, this.weights[index]!.offset, below.offset, rows, this.paddedSizes[index]!, outputs);
        if (index === 0) break;
        this.kernel.mask(below.offset, this.activations[index]!.offset, rows * this.paddedSizes[index]!, 1);
      }
      const inputDelta = this.deltas[0]!.view;
      const inputWidth = this.paddedSizes[0]!;
      for (let row = 0; row < count; row++) {
        for (let feature = 0; feature < importance.length; feature++) importance[feature]! += Math.abs(inputDelta[row * inputWidth + feature]!);
      }
    }
  }
}

function adam(values: Float64Array, gradients: Float64Array, first: Float64Array, second: Float64Array, offset: number, stepSize: number): void {
  for (let slot = 0; slot < values.length; slot++) {
    const gradient = gradients[slot]!;
    const m = BETA1 * first[offset + slot]! + (1 - BETA1) * gradient;
    const v = BETA2 * second[offset + slot]! + (1 - BETA2) * gradient * gradient;
    first[offset + slot] = m;
    second[offset + slot] = v;
    values[slot]! -= (stepSize * m) / (Math.sqrt(v) + ADAM_EPSILON);
  }
}
