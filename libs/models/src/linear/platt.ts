/**
 * Platt scaling (Platt 1999): P(positive | f) = 1 / (1 + exp(A f + B)), fitted on held-out decision values by
 * minimising the weighted cross-entropy against Platt's smoothed targets t+ = (N+ + 1) / (N+ + 2) for positives and
 * t- = 1 / (N- + 2) for negatives (N = row counts, as in scikit-learn's `_sigmoid_calibration`), with the Newton
 * method and backtracking line search of Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs for
 * support vector machines", Algorithm 1 (their numerically stable evaluation of log(1 + exp(.)) included).
 */

export interface PlattScaling {
  readonly slope: number;
  readonly offset: number;
}

const MAX_ITERATIONS = 100;
const MIN_STEP = 1e-10;
/** Added to the Hessian diagonal (Lin et al.'s sigma) so that it stays positive definite. */
const SIGMA = 1e-12;
const GRADIENT_TOLERANCE = 1e-5;

/** `decision[i]`, `positive[i]` (1 for the class, 0 otherwise) and `weight[i]` for the rows to calibrate on. */
export function fitPlatt(decision: Float64Array, positive: Uint8Array, weight: Float64Array): PlattScaling {
  const rowCount = decision.length;
  let positives = 0;
  let negatives = 0;
  for (let row = 0; row < rowCount; row++) {
    if (weight[row]! <= 0) continue;
    if (positive[row] === 1) positives++;
    else negatives++;
  }
  const highTarget = (positives + 1) / (positives + 2);
  const lowTarget = 1 / (negatives + 2);
  const target = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) target[row] = positive[row] === 1 ? highTarget : lowTarget;

  const objective = (slope: number, offset: number): number => {
    let value = 0;
    for (let row = 0; row < rowCount; row++) {
      const weightOfRow = weight[row]!;
      if (weightOfRow === 0) continue;
      const margin = decision[row]! * slope + offset;
      // t (A f + B) + log(1 + exp(-(A f + B))), evaluated without overflow on either side.
      value += weightOfRow * (margin >= 0 ? target[row]! * margin + Math.log1p(Math.exp(-margin)) : (target[row]! - 1) * margin + Math.log1p(Math.exp(margin)));
    }
    return value;
  };

  // Lin et al.'s start: A = 0, B = log((N- + 1) / (N+ + 1)).
  let slope = 0;
  let offset = Math.log((negatives + 1) / (positives + 1));
  let value = objective(slope, offset);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let h11 = SIGMA;
    let h22 = SIGMA;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let row = 0; row < rowCount; row++) {
      const weightOfRow = weight[row]!;
      if (weightOfRow === 0) continue;
      const f = decision[row]!;
      const margin = f * slope + offset;
      // p = 1 / (1 + exp(margin)), q = 1 - p, without overflow.
      let p: number;
      let q: number;
      if (margin >= 0) {
        const e = Math.exp(-margin);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(margin);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = weightOfRow * p * q;
      h11 += f * f * d2;
      h22 += d2;
      h21 += f * d2;
      const d1 = weightOfRow * (target[row]! - p);
      g1 += f * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < GRADIENT_TOLERANCE && Math.abs(g2) < GRADIENT_TOLERANCE) break;
    const determinant = h11 * h22 - h21 * h21;
    const deltaSlope = -(h22 * g1 - h21 * g2) / determinant;
    const deltaOffset = -(-h21 * g1 + h11 * g2) / determinant;
    const decrease = g1 * deltaSlope + g2 * deltaOffset;
    let step = 1;
    let moved = false;
    while (step >= MIN_STEP) {
      const nextSlope = slope + step * deltaSlope;
      const nextOffset = offset + step * deltaOffset;
      const nextValue = objective(nextSlope, nextOffset);
      if (nextValue < value + 1e-4 * step * decrease) {
        slope = nextSlope;
        offset = nextOffset;
        value = nextValue;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break; // line search failed: the current point is as good as working precision allows
  }
  return { slope, offset };
}

/** P(positive | decision) of a fitted Platt scaling. */
export function plattProbability(scaling: PlattScaling, decision: number): number {
  const margin = decision * scaling.slope + scaling.offset;
  if (margin >= 0) {
    const e = Math.exp(-margin);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(margin));
}
