import { describe, expect, it } from 'vitest';
import { canonicalJson, describeJsonDifferences, fingerprintConfig, toJsonValue } from './json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('refuses what JSON would silently change, naming the path', () => {
    expect(() => canonicalJson({ label: { hold: NaN } }, 'config')).toThrow('config.label.hold must be a finite number to be stored as JSON, got NaN');
    expect(() => canonicalJson({ years: [1, undefined] }, 'config')).toThrow('config.years[1] is undefined');
    expect(() => canonicalJson({ start: new Date(0) }, 'config')).toThrow(/config\.start must be a plain object.*object \[object Date\]/);
    expect(() => canonicalJson({ seen: new Map() }, 'config')).toThrow(/config\.seen must be a plain object/);
    expect(() => canonicalJson({ run: () => 1 }, 'config')).toThrow('config.run cannot be stored as JSON, got function');
    expect(() => canonicalJson({ big: 1n }, 'config')).toThrow('config.big cannot be stored as JSON, got 1');
    expect(() => canonicalJson({ 'odd key': Infinity }, 'config')).toThrow('config["odd key"] must be a finite number');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic, 'config')).toThrow('config.self refers to itself');
  });

  it('accepts a value shared twice that is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });

  it('toJsonValue returns a detached, sorted copy', () => {
    const original = { b: [1, 2], a: 'x' };
    const copy = toJsonValue(original);
    expect(copy).toEqual({ a: 'x', b: [1, 2] });
    original.b.push(3);
    expect(copy).toEqual({ a: 'x', b: [1, 2] });
  });
});

describe('fingerprintConfig', () => {
  it('is the same whatever the key order, different for any change', () => {
    const first = fingerprintConfig({ universe: 'core', years: 5, label: { holdDays: 14, up: 0.1, down: 0.05 } });
    const reordered = fingerprintConfig({ label: { down: 0.05, up: 0.1, holdDays: 14 }, years: 5, universe: 'core' });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered).toBe(first);
    expect(fingerprintConfig({ universe: 'core', years: 5, label: { holdDays: 5, up: 0.1, down: 0.05 } })).not.toBe(first);
    // SHA-256 of the canonical text '{"a":1}', computed independently (sha256sum).
    expect(fingerprintConfig({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('describeJsonDifferences', () => {
  it('names each differing path with both values', () => {
    expect(
      describeJsonDifferences(
        { years: 5, models: ['xgboost'], label: { holdDays: 14, up: 0.1 }, seed: 1 },
        { years: 10, models: ['xgboost', 'lightgbm'], label: { holdDays: 14, up: 0.2 }, events: true, seed: 1 },
      ),
    ).toEqual([
      'events: (absent) -> true',
      'label.up: 0.1 -> 0.2',
      'models: ["xgboost"] -> ["xgboost","lightgbm"]',
      'years: 5 -> 10',
    ]);
    expect(describeJsonDifferences({ a: [1] }, { a: [1] })).toEqual([]);
    expect(describeJsonDifferences(1, 'one')).toEqual(['(whole config): 1 -> "one"']);
  });
});
