/**
 * The WebAssembly binary encoding shared by the package's hand-assembled kernels (tree/wasm-kernel.ts,
 * neural/simd-kernel.ts): LEB128 integers, sections, names and the instructions both use. Kernels are assembled at
 * load time from these bytes (no build step, no file to locate). Reference: WebAssembly Core Specification 2.0,
 * chapter 5 (binary format).
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** The module preamble: magic "\0asm" and version 1. */
export const MODULE_HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128. */
export function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 (32-bit). */
export function signed(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

/** A section: its id, then its content's size and the content. */
export function section(id: number, content: readonly number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

/** A name: its UTF-8 length, then its UTF-8 bytes. */
export function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsigned(bytes.length), ...bytes];
}

// Instructions used by both kernels.
export const localGet = (index: number): number[] => [0x20, ...unsigned(index)];
export const localSet = (index: number): number[] => [0x21, ...unsigned(index)];
export const localTee = (index: number): number[] => [0x22, ...unsigned(index)];
export const i32Constant = (value: number): number[] => [0x41, ...signed(value)];
export const f64Zero: readonly number[] = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
export const block: readonly number[] = [0x02, 0x40];
export const loop: readonly number[] = [0x03, 0x40];
export const ifThen: readonly number[] = [0x04, 0x40];
export const end: readonly number[] = [0x0b];
export const branch = (depth: number): number[] => [0x0c, ...unsigned(depth)];
export const branchIf = (depth: number): number[] => [0x0d, ...unsigned(depth)];
export const i32Add: readonly number[] = [0x6a];
export const i32Mul: readonly number[] = [0x6c];
export const i32Shl: readonly number[] = [0x74];
