/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4/7.5: two-loop recursion
 * with the initial Hessian scaling gamma = s'y / y'y) with a backtracking Armijo line search (Algorithm 3.1,
 * c1 = 1e-4, quadratic interpolation of the step, halving at worst).
 *
 * Used for smooth convex objectives (multinomial logistic regression with L2): for those, s'y > 0 holds for every
 * step, so Armijo backtracking is enough to keep the quasi-Newton update positive definite; pairs with tiny s'y are
 * skipped anyway. Deterministic: plain sequential arithmetic, no randomness.
 */

/** Writes the gradient at `x` into `gradient` and returns the objective value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |gradient| <= tolerance. */
  tolerance: number;
  maxIterations: number;
  /** Correction pairs kept (m). */
  memory: number;
  /**
   * Optional fixed preconditioner: replaces `vector` by M^-1 vector for an SPD approximation M of the Hessian. The
   * initial inverse Hessian of the two-loop recursion is then gamma M^-1 with gamma = s'y / y'M^-1 y (preconditioned
   * L-BFGS), which removes the ill-conditioning that correlated features cause.
   */
  precondition?: (vector: Float64Array) => void;
  /** Called after each accepted step with the iteration count and the objective value. */
  onIteration?: (iteration: number, value: number) => void;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  /** Objective evaluations, line-search trials included. */
  readonly evaluations: number;
  /** True when the gradient tolerance was reached (false: iteration limit, or no further decrease possible). */
  readonly converged: boolean;
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 40;

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}

function maxAbs(a: Float64Array): number {
  let largest = 0;
  for (let index = 0; index < a.length; index++) {
    const value = Math.abs(a[index]!);
    if (value > largest) largest = value;
  }
  return largest;
}

export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): LbfgsResult {
  const size = start.length;
  const memory = options.memory;
  const x = Float64Array.from(start);
  const gradient = new Float64Array(size);
  let value = objective(x, gradient);
  let evaluations = 1;
  const candidate = new Float64Array(size);
  const candidateGradient = new Float64Array(size);
  const direction = new Float64Array(size);
  const steps = Array.from({ length: memory }, () => new Float64Array(size));
  const changes = Array.from({ length: memory }, () => new Float64Array(size));
  const preconditioned = new Float64Array(size);
  const precondition = options.precondition;
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  let stored = 0;
  let newest = -1;
  let gamma = 1;

  let iterations = 0;
  let converged = maxAbs(gradient) <= options.tolerance;
  while (!converged && iterations < options.maxIterations) {
    // Two-loop recursion: direction = -H g.
    for (let index = 0; index < size; index++) direction[index] = -gradient[index]!;
    for (let count = 0; count < stored; count++) {
      const slot = (newest - count + memory) % memory;
      const a = rho[slot]! * dot(steps[slot]!, direction);
      alpha[slot] = a;
      const change = changes[slot]!;
      for (let index = 0; index < size; index++) direction[index]! -= a * change[index]!;
    }
    precondition?.(direction);
    for (let index = 0; index < size; index++) direction[index]! *= gamma;
    for (let count = stored - 1; count >= 0; count--) {
      const slot = (newest - count + memory) % memory;
      const b = rho[slot]! * dot(changes[slot]!, direction);
      const step = steps[slot]!;
      const a = alpha[slot]!;
      for (let index = 0; index < size; index++) direction[index]! += (a - b) * step[index]!;
    }
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      for (let index = 0; index < size; index++) direction[index] = -gradient[index]!;
      precondition?.(direction);
      slope = dot(gradient, direction);
      stored = 0;
      gamma = 1;
    }
    // First iteration without a preconditioner: a unit step along -g can be far too long; scale it to length 1.
    let step = stored === 0 && iterations === 0 && precondition === undefined ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let candidateValue = Infinity;
    let accepted = false;
    for (let trial = 0; trial < MAX_BACKTRACKS; trial++) {
      for (let index = 0; index < size; index++) candidate[index] = x[index]! + step * direction[index]!;
      candidateValue = objective(candidate, candidateGradient);
      evaluations++;
      if (candidateValue <= value + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      // Minimiser of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5] x step.
      const interpolated = Number.isFinite(candidateValue) ? (-slope * step * step) / (2 * (candidateValue - value - slope * step)) : 0;
      step = Math.min(0.5 * step, Math.max(0.1 * step, interpolated));
    }
    if (!accepted) break; // no decrease possible at working precision
    iterations++;
    newest = (newest + 1) % memory;
    const s = steps[newest]!;
    const change = changes[newest]!;
    for (let index = 0; index < size; index++) {
      s[index] = candidate[index]! - x[index]!;
      change[index] = candidateGradient[index]! - gradient[index]!;
    }
    const curvature = dot(s, change);
    const changeNorm = dot(change, change);
    if (curvature > 1e-10 * Math.sqrt(dot(s, s) * changeNorm)) {
      rho[newest] = 1 / curvature;
      preconditioned.set(change);
      precondition?.(preconditioned);
      const scaledNorm = dot(change, preconditioned);
      gamma = scaledNorm > 0 ? curvature / scaledNorm : 1;
      stored = Math.min(stored + 1, memory);
    } else {
      newest = (newest - 1 + memory) % memory; // drop the pair
    }
    const previousValue = value;
    x.set(candidate);
    gradient.set(candidateGradient);
    value = candidateValue;
    options.onIteration?.(iterations, value);
    converged = maxAbs(gradient) <= options.tolerance;
    // Stalled: the objective no longer changes at working precision.
    if (!converged && Math.abs(previousValue - value) <= 1e-15 * Math.max(1, Math.abs(value))) break;
  }
  return { x, value, iterations, evaluations, converged };
}
