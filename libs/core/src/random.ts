/**
 * Seeded pseudo-random numbers. Everything random in Quant (bootstraps, feature subsets, shuffles, initial weights)
 * takes a `Random` built from a seed, so that the same data and seed give the same result bit for bit.
 *
 * Generator: xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), 128-bit state,
 * period 2^128 - 1; the state is filled from the 32-bit seed with SplitMix32 (as the authors recommend, since an
 * all-zero or low-entropy state must be avoided).
 */
import { InvalidArgumentError, describeValue } from './errors.js';

/** Serializable generator state: four unsigned 32-bit words. */
export type RandomState = readonly [number, number, number, number];

export interface Random {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, bound), without modulo bias. */
  nextInt(bound: number): number;
  /** Standard normal variate (Box-Muller; each call uses two uniforms, so the stream stays simple to reproduce). */
  nextGaussian(): number;
  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T extends { [index: number]: unknown; length: number }>(array: T): T;
  /** An independent generator derived from this one's stream (for a tree, a fold, a worker). */
  fork(): Random;
  /** The current state, to save in a checkpoint. */
  getState(): RandomState;
}

/** SplitMix32 step (a 32-bit variant of Steele, Lea and Flood's SplitMix), used only to seed the state. */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator from a 32-bit integer seed (any integer is reduced modulo 2^32). */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) {
    throw new InvalidArgumentError(`a random seed must be an integer, got ${describeValue(seed)}`);
  }
  const mix = splitMix32(seed);
  return randomFromState([mix(), mix(), mix(), mix()]);
}

/** A generator that continues from a saved state. */
export function randomFromState(state: RandomState): Random {
  if (state.length !== 4 || state.some((word) => !Number.isInteger(word) || word < 0 || word > 0xffffffff)) {
    throw new InvalidArgumentError('a random state is four unsigned 32-bit integers');
  }
  if (state.every((word) => word === 0)) throw new InvalidArgumentError('a random state cannot be all zeros');
  let s0 = state[0] >>> 0;
  let s1 = state[1] >>> 0;
  let s2 = state[2] >>> 0;
  let s3 = state[3] >>> 0;

  const nextUint32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotateLeft(s3, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return result;
  };
  const next = (): number => nextUint32() / 4294967296;
  const nextInt = (bound: number): number => {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 4294967296) {
      throw new InvalidArgumentError(`nextInt needs an integer bound in 1..2^32, got ${describeValue(bound)}`);
    }
    // Lemire-style rejection: draw again when the draw falls in the incomplete last block.
    const limit = 4294967296 - (4294967296 % bound);
    let draw = nextUint32();
    while (draw >= limit) draw = nextUint32();
    return draw % bound;
  };
  const random: Random = {
    next,
    nextUint32,
    nextInt,
    nextGaussian() {
      const u1 = 1 - next(); // (0, 1], so the logarithm is finite
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    shuffle(array) {
      for (let index = array.length - 1; index > 0; index--) {
        const other = nextInt(index + 1);
        const value = array[index];
        array[index] = array[other];
        array[other] = value;
      }
      return array;
    },
    fork() {
      return createRandom(nextUint32());
    },
    getState() {
      return [s0, s1, s2, s3];
    },
  };
  return random;
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
