/**
 * WebAssembly SIMD (128-bit, f64x2) kernels for the MLP, assembled at load time from the bytes below (no build step,
 * no file to locate) and compiled synchronously (`new WebAssembly.Module`, allowed for any size in Node). They work
 * on float64 arrays in the instance's own linear memory (byte offsets):
 *
 * - `multiply`: C[r * columns + c] = bias[c] + sum_i P[r * inner + i] Q[c * inner + i], optionally rectified
 *   (ReLU), for rows % 4 == 0, columns % 2 == 0, inner % 2 == 0. Each 4 x 2 block of C keeps 8 f64x2 accumulators
 *   (lane 0 sums the even i, lane 1 the odd i; the two are added at the end), so a pair of loads feeds 8
 *   multiply-adds.
 * - `multiplyStrided`: C = P Q (or C += P Q) with P read through byte strides (as itself or transposed), M % 4 == 0,
 *   N % 4 == 0.
 * - `mask`: D = A > 0 ? D x scale : 0 (the ReLU and dropout derivative), branch-free.
 *
 * Callers pad with zeros, which leave every sum exactly unchanged. WebAssembly forbids fusing or reassociating
 * floating-point operations, so results are the same bit for bit on every machine. Measured on this machine (CPU
 * time, 256 x 64 x 52): 5.0-5.4 G multiply-adds per second, against 1.1-1.4 for the best plain TypeScript loop
 * (4 x 4 register blocks).
 *
 * Opcodes: WebAssembly core 1.0 and the fixed-width SIMD proposal (merged into WebAssembly 2.0).
 */
import { StateError } from '@quant/core';
import {
  F64,
  I32,
  MODULE_HEADER,
  V128,
  block,
  branch,
  branchIf,
  end,
  f64Zero,
  i32Add,
  i32Constant,
  i32Mul,
  i32Shl,
  localGet,
  localSet,
  loop,
  name,
  section,
  unsigned,
} from '../wasm/encoding.js';

// Instructions of this kernel only (the shared ones are in ../wasm/encoding.ts).
const lessUnsigned = [0x49];
const eqz = [0x45];
const simd = (opcode: number, ...immediates: number[]): number[] => [0xfd, ...unsigned(opcode), ...immediates];
const v128Load = simd(0x00, 0x03, 0x00);
const f64x2Add = simd(0xf0);
const f64x2Mul = simd(0xf2);
const f64x2Splat = simd(0x14);
const shuffle = (...lanes: number[]): number[] => simd(0x0d, ...lanes);
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
const f64x2PseudoMax = simd(0xf7);
const v128Store = simd(0x0b, 0x03, 0x00);
const v128And = simd(0x4e);
const f64x2Greater = simd(0x4a);

/** `for (local = from; local < limit; local += step) body` with the limit in a local. */
function forLoop(local: number, from: number[], limit: number, step: number[], body: number[]): number[] {
  return [
    ...from,
    ...localSet(local),
    ...block,
    ...loop,
    ...localGet(local),
    ...localGet(limit),
    ...lessUnsigned,
    ...eqz,
    ...branchIf(1),
    ...body,
    ...localGet(local),
    ...step,
    ...i32Add,
    ...localSet(local),
    ...branch(0),
    ...end,
    ...end,
  ];
}

function transposedProductCode(): number[] {
  // Parameters: 0 P, 1 Q, 2 C, 3 bias (byte offsets), 4 rows, 5 columns, 6 inner (element counts), 7 rectify (1: ReLU).
  const P = 0, Q = 1, C = 2, BIAS = 3, ROWS = 4, COLUMNS = 5, INNER = 6, RECTIFY = 7;
  // i32 locals.
  const r = 8, c = 9, i = 10, innerBytes = 11, p0 = 12, p1 = 13, p2 = 14, p3 = 15, q0 = 16, q1 = 17, out = 18, columnBytes = 19;
  // v128 locals: 8 accumulators, then x and the two y; one f64 local for the stored value.
  const accumulator = (row: number, column: number): number => 20 + row * 2 + column;
  const x = 28, y0 = 29, y1 = 30;

  const multiplyAdd = (row: number, pointer: number): number[] => [
    ...localGet(pointer), ...localGet(i), ...i32Add, ...v128Load, ...localSet(x),
    ...localGet(accumulator(row, 0)), ...localGet(x), ...localGet(y0), ...f64x2Mul, ...f64x2Add, ...localSet(accumulator(row, 0)),
    ...localGet(accumulator(row, 1)), ...localGet(x), ...localGet(y1), ...f64x2Mul, ...f64x2Add, ...localSet(accumulator(row, 1)),
  ];

  const innerBody = [
    ...localGet(q0), ...localGet(i), ...i32Add, ...v128Load, ...localSet(y0),
    ...localGet(q1), ...localGet(i), ...i32Add, ...v128Load, ...localSet(y1),
    ...multiplyAdd(0, p0), ...multiplyAdd(1, p1), ...multiplyAdd(2, p2), ...multiplyAdd(3, p3),
  ];

  // Row `row` of the block: [lane0 + lane1 of accumulator (row, 0), the same of (row, 1)] + bias[c..c+1], made
  // non-negative when rectifying (f64x2.pmax: one branch-free instruction; a scalar f64.max per value measured 40%
  // slower on random data), stored as one pair at C[out + row * columnBytes].
  const storeRow = (row: number): number[] => [
    ...localGet(out), ...i32Constant(row), ...localGet(columnBytes), ...i32Mul, ...i32Add,
    ...localGet(accumulator(row, 0)), ...localGet(accumulator(row, 1)), ...shuffle(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
    ...localGet(accumulator(row, 0)), ...localGet(accumulator(row, 1)), ...shuffle(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
    ...f64x2Add,
    ...localGet(BIAS), ...localGet(c), ...i32Constant(3), ...i32Shl, ...i32Add, ...v128Load, ...f64x2Add,
    ...localSet(x),
    ...localGet(RECTIFY), 0x04, 0x40 /* if */, ...localGet(x), ...v128Zero, ...f64x2PseudoMax, ...localSet(x), ...end,
    ...localGet(x), ...v128Store,
  ];

  const zeroAccumulators: number[] = [];
  for (let index = 0; index < 8; index++) zeroAccumulators.push(...f64Zero, ...f64x2Splat, ...localSet(accumulator(index >> 1, index & 1)));

  const columnBody = [
    // q0 = Q + c * innerBytes, q1 = q0 + innerBytes
    ...localGet(Q), ...localGet(c), ...localGet(innerBytes), ...i32Mul, ...i32Add, ...localSet(q0),
    ...localGet(q0), ...localGet(innerBytes), ...i32Add, ...localSet(q1),
    ...zeroAccumulators,
    ...forLoop(i, i32Constant(0), innerBytes, i32Constant(16), innerBody),
    // out = C + (r * columns + c) * 8
    ...localGet(C), ...localGet(r), ...localGet(COLUMNS), ...i32Mul, ...localGet(c), ...i32Add, ...i32Constant(3), ...i32Shl, ...i32Add, ...localSet(out),
    ...storeRow(0), ...storeRow(1), ...storeRow(2), ...storeRow(3),
  ];

  const rowBody = [
    ...localGet(P), ...localGet(r), ...localGet(innerBytes), ...i32Mul, ...i32Add, ...localSet(p0),
    ...localGet(p0), ...localGet(innerBytes), ...i32Add, ...localSet(p1),
    ...localGet(p1), ...localGet(innerBytes), ...i32Add, ...localSet(p2),
    ...localGet(p2), ...localGet(innerBytes), ...i32Add, ...localSet(p3),
    ...forLoop(c, i32Constant(0), COLUMNS, i32Constant(2), columnBody),
  ];

  const body = [
    ...localGet(INNER), ...i32Constant(3), ...i32Shl, ...localSet(innerBytes),
    ...localGet(COLUMNS), ...i32Constant(3), ...i32Shl, ...localSet(columnBytes),
    ...forLoop(r, i32Constant(0), ROWS, i32Constant(4), rowBody),
    ...end,
  ];
  const locals = [...unsigned(2), ...unsigned(12), I32, ...unsigned(11), V128];
  return [...locals, ...body];
}

/**
 * D[i] = A[i] > 0 ? D[i] x scale : 0 for i < count (even): the ReLU (and inverted-dropout) derivative applied to a
 * delta block, branch-free (f64x2.gt gives an all-ones or all-zeros lane mask, v128.and applies it).
 */
function maskCode(): number[] {
  // Parameters: 0 D, 1 A (byte offsets), 2 count, 3 scale (f64).
  const D = 0, A = 1, COUNT = 2, SCALE = 3;
  const i = 4, limit = 5;
  const scale = 6;
  const body = [
    ...localGet(SCALE), ...f64x2Splat, ...localSet(scale),
    ...localGet(COUNT), ...i32Constant(3), ...i32Shl, ...localSet(limit),
    ...forLoop(i, i32Constant(0), limit, i32Constant(16), [
      ...localGet(D), ...localGet(i), ...i32Add,
      ...localGet(D), ...localGet(i), ...i32Add, ...v128Load, ...localGet(scale), ...f64x2Mul,
      ...localGet(A), ...localGet(i), ...i32Add, ...v128Load, ...f64Zero, ...f64x2Splat, ...f64x2Greater,
      ...v128And, ...v128Store,
    ]),
    ...end,
  ];
  const locals = [...unsigned(2), ...unsigned(2), I32, ...unsigned(1), V128];
  return [...locals, ...body];
}

/**
 * C[m * N + n] = sum_k P(m, k) Q[k * N + n], where P(m, k) is the float64 at byte P + m * strideM + k * strideK
 * (so P can be read as itself or as its transpose), M % 4 == 0 and N % 4 == 0. A 4 x 4 block of C keeps 8 f64x2
 * accumulators (two per row, along n); each step over k loads two pairs of Q and broadcasts 4 values of P
 * (v128.load64_splat): 16 multiply-adds per 6 loads. k runs in order, so the sums are reproducible.
 */
function stridedProductCode(): number[] {
  // Parameters: 0 P, 1 strideM, 2 strideK, 3 Q, 4 C (byte offsets and strides), 5 M, 6 N, 7 K (counts),
  // 8 accumulate (1: add to C instead of overwriting it).
  const P = 0, STRIDE_M = 1, STRIDE_K = 2, Q = 3, C = 4, M = 5, N = 6, K = 7, ACCUMULATE = 8;
  // i32 locals.
  const m = 9, n = 10, k = 11, rowBytes = 12, p0 = 13, p1 = 14, p2 = 15, p3 = 16, q = 17, out = 18;
  // v128 locals: 8 accumulators (row j, half h at 19 + 2 j + h), the two Q pairs and the broadcast P value.
  const accumulator = (row: number, half: number): number => 19 + row * 2 + half;
  const y0 = 27, y1 = 28, x = 29;
  const v128LoadAt = (offset: number): number[] => simd(0x00, 0x03, ...unsigned(offset));
  const v128StoreAt = (offset: number): number[] => simd(0x0b, 0x03, ...unsigned(offset));
  const loadSplat = simd(0x0a, 0x03, 0x00);

  const rowUpdate = (row: number, pointer: number): number[] => [
    ...localGet(pointer), ...loadSplat, ...localSet(x),
    ...localGet(accumulator(row, 0)), ...localGet(x), ...localGet(y0), ...f64x2Mul, ...f64x2Add, ...localSet(accumulator(row, 0)),
    ...localGet(accumulator(row, 1)), ...localGet(x), ...localGet(y1), ...f64x2Mul, ...f64x2Add, ...localSet(accumulator(row, 1)),
    ...localGet(pointer), ...localGet(STRIDE_K), ...i32Add, ...localSet(pointer),
  ];

  const innerBody = [
    ...localGet(q), ...v128LoadAt(0), ...localSet(y0),
    ...localGet(q), ...v128LoadAt(16), ...localSet(y1),
    ...rowUpdate(0, p0), ...rowUpdate(1, p1), ...rowUpdate(2, p2), ...rowUpdate(3, p3),
    ...localGet(q), ...localGet(rowBytes), ...i32Add, ...localSet(q),
  ];

  // Start from C's current values (accumulate; then a product split over blocks of k sums in exactly the order of
  // one pass) or from 0.
  const loadAccumulators: number[] = [];
  for (let row = 0; row < 4; row++) {
    loadAccumulators.push(...localGet(out), ...i32Constant(row), ...localGet(rowBytes), ...i32Mul, ...i32Add, ...localSet(k));
    loadAccumulators.push(...localGet(k), ...v128LoadAt(0), ...localSet(accumulator(row, 0)), ...localGet(k), ...v128LoadAt(16), ...localSet(accumulator(row, 1)));
  }
  const zeroAccumulators: number[] = [];
  for (let index = 0; index < 8; index++) zeroAccumulators.push(...f64Zero, ...f64x2Splat, ...localSet(accumulator(index >> 1, index & 1)));
  const initialAccumulators = [...localGet(ACCUMULATE), 0x04, 0x40 /* if */, ...loadAccumulators, 0x05 /* else */, ...zeroAccumulators, ...end];
  const stores: number[] = [];
  for (let row = 0; row < 4; row++) {
    // The row's address goes to k, free once the k loop is done.
    stores.push(...localGet(out), ...i32Constant(row), ...localGet(rowBytes), ...i32Mul, ...i32Add, ...localSet(k));
    stores.push(...localGet(k), ...localGet(accumulator(row, 0)), ...v128StoreAt(0));
    stores.push(...localGet(k), ...localGet(accumulator(row, 1)), ...v128StoreAt(16));
  }

  const columnBody = [
    // p_j = P + (m + j) * strideM; q = Q + n * 8; out = C + (m * N + n) * 8
    ...localGet(P), ...localGet(m), ...localGet(STRIDE_M), ...i32Mul, ...i32Add, ...localSet(p0),
    ...localGet(p0), ...localGet(STRIDE_M), ...i32Add, ...localSet(p1),
    ...localGet(p1), ...localGet(STRIDE_M), ...i32Add, ...localSet(p2),
    ...localGet(p2), ...localGet(STRIDE_M), ...i32Add, ...localSet(p3),
    ...localGet(Q), ...localGet(n), ...i32Constant(3), ...i32Shl, ...i32Add, ...localSet(q),
    ...localGet(C), ...localGet(m), ...localGet(N), ...i32Mul, ...localGet(n), ...i32Add, ...i32Constant(3), ...i32Shl, ...i32Add, ...localSet(out),
    ...initialAccumulators,
    ...forLoop(k, i32Constant(0), K, i32Constant(1), innerBody),
    ...stores,
  ];

  const body = [
    ...localGet(N), ...i32Constant(3), ...i32Shl, ...localSet(rowBytes),
    ...forLoop(m, i32Constant(0), M, i32Constant(4), forLoop(n, i32Constant(0), N, i32Constant(4), columnBody)),
    ...end,
  ];
  const locals = [...unsigned(2), ...unsigned(10), I32, ...unsigned(11), V128];
  return [...locals, ...body];
}

function kernelBytes(): Uint8Array {
  const first = transposedProductCode();
  const second = stridedProductCode();
  const typeSection = section(1, [
    ...unsigned(3),
    0x60, ...unsigned(8), I32, I32, I32, I32, I32, I32, I32, I32, ...unsigned(0),
    0x60, ...unsigned(9), I32, I32, I32, I32, I32, I32, I32, I32, I32, ...unsigned(0),
    0x60, ...unsigned(4), I32, I32, I32, F64, ...unsigned(0),
  ]);
  const functionSection = section(3, [...unsigned(3), ...unsigned(0), ...unsigned(1), ...unsigned(2)]);
  const memorySection = section(5, [...unsigned(1), 0x00, ...unsigned(1)]);
  const exportSection = section(7, [
    ...unsigned(4), ...name('multiply'), 0x00, ...unsigned(0), ...name('multiplyStrided'), 0x00, ...unsigned(1), ...name('mask'), 0x00, ...unsigned(2),
    ...name('memory'), 0x02, ...unsigned(0),
  ]);
  const third = maskCode();
  const codeSection = section(10, [...unsigned(3), ...unsigned(first.length), ...first, ...unsigned(second.length), ...second, ...unsigned(third.length), ...third]);
  return Uint8Array.from([...MODULE_HEADER, ...typeSection, ...functionSection, ...memorySection, ...exportSection, ...codeSection]);
}

/** The few WebAssembly JS API members used here (the workspace compiles without the DOM type library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;

/** One instance: its memory and the product. Offsets are in bytes; the caller lays out the float64 arrays. */
export class SimdKernel {
  private readonly multiplyFunction: (p: number, q: number, c: number, bias: number, rows: number, columns: number, inner: number, rectify: number) => void;
  private readonly maskFunction: (delta: number, activation: number, count: number, scale: number) => void;
  private readonly stridedFunction: (p: number, strideM: number, strideK: number, q: number, c: number, m: number, n: number, k: number, accumulate: number) => void;
  private readonly memory: WasmMemory;

  constructor(bytes: number) {
    try {
      compiled ??= new wasm.Module(kernelBytes());
    } catch (error) {
      throw new StateError('this JavaScript engine cannot compile the WebAssembly SIMD kernel of the MLP (Node >= 20 can)', { cause: error });
    }
    const exports = new wasm.Instance(compiled, {}).exports as {
      multiply: SimdKernel['multiplyFunction'];
      multiplyStrided: SimdKernel['stridedFunction'];
      mask: SimdKernel['maskFunction'];
      memory: WasmMemory;
    };
    this.maskFunction = exports.mask;
    this.multiplyFunction = exports.multiply;
    this.stridedFunction = exports.multiplyStrided;
    this.memory = exports.memory;
    const pages = Math.ceil(bytes / 65536);
    if (pages > 1) this.memory.grow(pages - 1);
  }

  /** A float64 view of `length` values at byte `offset` (valid until the memory grows; it never does after construction). */
  view(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }

  /** C = bias + P Q', or ReLU of it when `rectify` (see the file comment for the shape rules, which the caller guarantees). */
  multiply(p: number, q: number, c: number, bias: number, rows: number, columns: number, inner: number, rectify = false): void {
    this.multiplyFunction(p, q, c, bias, rows, columns, inner, rectify ? 1 : 0);
  }

  /** D[i] = A[i] > 0 ? D[i] x scale : 0 for the `count` (even) values at byte offsets `delta` and `activation`. */
  mask(delta: number, activation: number, count: number, scale: number): void {
    this.maskFunction(delta, activation, count, scale);
  }

  /**
   * C (M x N) = P Q, or C += P Q with `accumulate`, with P read through byte strides (strideM, strideK) and Q
   * (K x N) row-major; M, N multiples of 4. Accumulating over consecutive blocks of k gives exactly the one-pass sums.
   */
  multiplyStrided(p: number, strideM: number, strideK: number, q: number, c: number, m: number, n: number, k: number, accumulate = false): void {
    this.stridedFunction(p, strideM, strideK, q, c, m, n, k, accumulate ? 1 : 0);
  }
}
