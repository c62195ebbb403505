/**
 * Plain JSON values: a canonical serialisation (sorted keys) for fingerprints, a checker that refuses what JSON would
 * silently change (NaN becomes null, undefined array entries become null, a Date becomes a string, a Map becomes {}),
 * and a readable difference between two configurations.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, describeValue } from '@quant/core';

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function write(value: unknown, path: string, ancestors: object[], out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidArgumentError(`${path} must be a finite number to be stored as JSON, got ${describeValue(value)}`);
      }
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new InvalidArgumentError(`${path} cannot be stored as JSON, got ${describeValue(value)}`);
  }
  if (ancestors.includes(value)) throw new InvalidArgumentError(`${path} refers to itself (a cycle) and cannot be stored as JSON`);
  ancestors.push(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.push(',');
      const element: unknown = value[index];
      if (element === undefined) throw new InvalidArgumentError(`${pathOf(path, index)} is undefined (JSON would store null)`);
      write(element, pathOf(path, index), ancestors, out);
    }
    out.push(']');
  } else {
    if (!isPlainObject(value)) {
      throw new InvalidArgumentError(`${path} must be a plain object, array or primitive to be stored as JSON, got ${describeValue(value)}`);
    }
    // Sorted keys make the text independent of the order in which the caller built the object.
    const keys = Object.keys(value).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member === undefined) continue; // as JSON.stringify: an absent option and an undefined one are the same
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(member, pathOf(path, key), ancestors, out);
    }
    out.push('}');
  }
  ancestors.pop();
}

/**
 * The canonical JSON text of `value`: object keys sorted, no whitespace, undefined members left out. Throws
 * `InvalidArgumentError` naming the path (`config.years`) of anything JSON cannot represent faithfully.
 */
export function canonicalJson(value: unknown, label = 'value'): string {
  const out: string[] = [];
  write(value, label, [], out);
  return out.join('');
}

/** A copy of `value` as plain JSON (checked as in `canonicalJson`, keys sorted). */
export function toJsonValue(value: unknown, label = 'value'): JsonValue {
  return JSON.parse(canonicalJson(value, label)) as JsonValue;
}

/** The SHA-256 (lower-case hex) of bytes or of a string's UTF-8 encoding. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The fingerprint of a run's options: SHA-256 of their canonical JSON. Two option objects with the same members give
 * the same fingerprint whatever the order of their keys.
 */
export function fingerprintConfig(config: unknown): string {
  return sha256Hex(canonicalJson(config, 'config'));
}

function shortText(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = canonicalJson(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The paths at which two JSON values differ, each as `path: before -> after` (`years: 5 -> 10`,
 * `events: (absent) -> true`). Objects are compared member by member; arrays and primitives as a whole.
 */
export function describeJsonDifferences(before: JsonValue | undefined, after: JsonValue | undefined, path = ''): string[] {
  const bothObjects =
    before !== undefined && after !== undefined && before !== null && after !== null &&
    typeof before === 'object' && typeof after === 'object' && !Array.isArray(before) && !Array.isArray(after);
  if (bothObjects) {
    const differences: string[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const child = path === '' ? key : pathOf(path, key);
      differences.push(...describeJsonDifferences(before[key], after[key], child));
    }
    return differences;
  }
  if (before !== undefined && after !== undefined && canonicalJson(before) === canonicalJson(after)) return [];
  return [`${path === '' ? '(whole config)' : path}: ${shortText(before)} -> ${shortText(after)}`];
}
