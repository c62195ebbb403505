import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, createRandom } from '@quant/core';
import { compareWithReference, featureReferences, kolmogorovSmirnov, kolmogorovSurvival, type FeatureReference } from './drift.js';

/** A one-column training matrix. */
function matrixOf(name: string, values: readonly number[]) {
  return createFeatureMatrix({
    columns: [name],
    values: Float64Array.from(values),
    symbols: ['X'],
    rowSymbols: new Int32Array(values.length),
    rowDates: Int32Array.from(values, (_, index) => index),
  });
}

function normals(count: number, seed: number, mean = 0, deviation = 1): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    // Box-Muller.
    const u = 1 - random.next();
    const v = random.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

/** JSON round trip, as the reference travels in the model file. */
function throughJson(reference: FeatureReference): FeatureReference {
  return JSON.parse(JSON.stringify(reference)) as FeatureReference;
}

describe('kolmogorovSurvival', () => {
  it('gives the standard critical values of the Kolmogorov distribution', () => {
    // Q(1.2238) = 0.10, Q(1.3581) = 0.05, Q(1.6276) = 0.01 (tables of the asymptotic distribution).
    expect(kolmogorovSurvival(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639, 4);
  });

  it('is continuous where the two series meet and tends to 1 at 0', () => {
    expect(Math.abs(kolmogorovSurvival(1.18 - 1e-9) - kolmogorovSurvival(1.18 + 1e-9))).toBeLessThan(1e-8);
    // The alternating series alone gives about 0.86 here after 100 terms.
    expect(kolmogorovSurvival(0.01)).toBe(1);
    expect(kolmogorovSurvival(0.2)).toBeCloseTo(1, 10);
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(5)).toBeLessThan(1e-20);
  });
});

describe('kolmogorovSmirnov', () => {
  it('is 0 for identical samples with ties (both functions step together)', () => {
    expect(kolmogorovSmirnov([0, 0, 0], [0]).statistic).toBe(0);
    expect(kolmogorovSmirnov([0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]).statistic).toBeCloseTo(0, 12);
  });

  it('measures the largest gap between the empirical distribution functions', () => {
    // F1 = 3/4 and F2 = 1/4 just after 1.
    expect(kolmogorovSmirnov([1, 1, 1, 2], [1, 3, 3, 3]).statistic).toBeCloseTo(0.75, 12);
    const disjoint = kolmogorovSmirnov([1, 2, 3], [4, 5, 6]);
    expect(disjoint.statistic).toBe(1);
  });

  it('rejects a shifted distribution and accepts the same one', () => {
    const a = normals(2000, 1).sort((x, y) => x - y);
    const same = normals(2000, 2).sort((x, y) => x - y);
    const shifted = normals(2000, 3, 0.3).sort((x, y) => x - y);
    expect(kolmogorovSmirnov(a, same).pValue).toBeGreaterThan(0.01);
    expect(kolmogorovSmirnov(a, shifted).pValue).toBeLessThan(1e-10);
  });
});

describe('featureReferences and compareWithReference', () => {
  it('finds a fresh draw of the training distribution stable, including a feature with heavy ties', () => {
    const random = createRandom(7);
    // A 0/1 flag that is 1 on 30% of days: its decile edges are 0,0,0,0,0,0,0,1,1 and a flat tenth per bin would be
    // badly wrong (a flat tenth gives a PSI of about 7 here, on the training distribution itself).
    const flag = Array.from({ length: 5000 }, () => (random.next() < 0.3 ? 1 : 0));
    const recentFlag = Array.from({ length: 2000 }, () => (random.next() < 0.3 ? 1 : 0));
    const [reference] = featureReferences(matrixOf('flag', flag), { seed: 1 });
    expect(reference!.edges).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(reference!.shares![0]).toBeCloseTo(0.7, 1);
    const result = compareWithReference(throughJson(reference!), recentFlag);
    expect(result.psi).toBeLessThan(0.01);
    expect(result.status).toBe('stable');

    const [continuous] = featureReferences(matrixOf('x', normals(5000, 11)), { seed: 1 });
    const stable = compareWithReference(throughJson(continuous!), normals(2000, 12));
    expect(stable.psi).toBeLessThan(0.02);
    expect(stable.status).toBe('stable');
    expect(stable.ksPValue).toBeGreaterThan(0.01);
  });

  it('flags a shifted distribution as drift', () => {
    const [reference] = featureReferences(matrixOf('x', normals(5000, 21)), { seed: 1 });
    const result = compareWithReference(reference!, normals(2000, 22, 1));
    expect(result.status).toBe('drift');
    expect(result.psi).toBeGreaterThan(0.25);
    expect(result.ksStatistic).toBeGreaterThan(0.3);
    expect(result.ksPValue).toBeLessThan(1e-10);
    // A shift of 0.4 standard deviations (PSI about d^2 = 0.16) lands between the thresholds.
    const slight = compareWithReference(reference!, normals(4000, 23, 0.4));
    expect(slight.status).toBe('warning');
  });

  it('counts missing values as their own bin, on the scale of all values', () => {
    const [reference] = featureReferences(matrixOf('x', normals(4000, 31)), { seed: 1 });
    expect(reference!.missingShare).toBe(0);
    // Half the recent values missing, the finite half distributed as in training: only the missing bin differs.
    const recent = normals(2000, 32).map((value, index) => (index % 2 === 0 ? Number.NaN : value));
    const result = compareWithReference(reference!, recent);
    expect(result.status).toBe('drift');
    // Expected shares: 0.1 per finite bin, 1e-4 floor for missing. Actual: about 0.05 per finite bin, 0.5 missing.
    const expected = 10 * (0.05 - 0.1) * Math.log(0.05 / 0.1) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(result.psi).toBeGreaterThan(expected * 0.9);
    expect(result.psi).toBeLessThan(expected * 1.1);
  });

  it('handles a feature that was always missing in training, after the JSON round trip', () => {
    const [reference] = featureReferences(matrixOf('never', [Number.NaN, Number.NaN, Number.NaN]), { seed: 1 });
    expect(reference!.edges).toEqual([]);
    const stored = throughJson(reference!);
    expect(compareWithReference(stored, [Number.NaN, Number.NaN]).psi).toBe(0);
    expect(compareWithReference(stored, [1, 2, 3]).status).toBe('drift');
    // A file written when edges of such a feature were NaN (null after JSON) reads the same way.
    const legacy = { feature: 'never', edges: new Array(9).fill(null) as number[], missingShare: 1, sample: [] };
    expect(compareWithReference(legacy, [Number.NaN]).psi).toBe(0);
  });

  it('falls back to the sample for the training shares in files without them', () => {
    const random = createRandom(41);
    const flag = Array.from({ length: 3000 }, () => (random.next() < 0.2 ? 1 : 0));
    const [reference] = featureReferences(matrixOf('flag', flag), { seed: 3 });
    const { shares: _shares, ...withoutShares } = reference!;
    const recent = Array.from({ length: 1000 }, () => (random.next() < 0.2 ? 1 : 0));
    expect(compareWithReference(withoutShares, recent).psi).toBeLessThan(0.02);
    const moved = Array.from({ length: 1000 }, () => (random.next() < 0.6 ? 1 : 0));
    expect(compareWithReference(withoutShares, moved).status).toBe('drift');
  });

  it('refuses to compare with no recent values', () => {
    const [reference] = featureReferences(matrixOf('x', [1, 2, 3]), { seed: 1 });
    expect(() => compareWithReference(reference!, [])).toThrow(/no recent values/);
  });
});
