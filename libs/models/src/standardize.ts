/**
 * Standardisation for the non-tree models (linear models, SVM, MLP): z = (x - mean) / scale per column, with the
 * mean and population standard deviation (divisor n, as scikit-learn's StandardScaler) of the finite training values.
 * A missing value (NaN) is imputed with the training mean, so it becomes exactly 0 after standardisation. A column
 * with no spread (constant, or all missing) gets scale 1, as in StandardScaler, so it standardises to 0.
 *
 * Statistics are unweighted (sample and class weights change the fit, not the input scaling), like the scaler in a
 * scikit-learn pipeline. ±Infinity is refused: it has no standardised value and would turn probabilities into NaN.
 *
 * The output is row-major (`values[row * columnCount + column]`) in Float64, the layout in which linear and neural
 * models read one row at a time.
 */
import { FormatError, InvalidArgumentError, describeValue, type FeatureMatrix } from '@quant/core';
import { readNumberArray } from './interface.js';

export interface StandardizerJson {
  readonly mean: number[];
  readonly scale: number[];
}

export class Standardizer {
  private constructor(
    /** Training mean of each column (0 for a column without finite values). */
    readonly mean: Float64Array,
    /** Training standard deviation of each column (1 where it is 0). */
    readonly scale: Float64Array,
  ) {}

  get columnCount(): number {
    return this.mean.length;
  }

  /** Column means and standard deviations of the finite values (two-pass: mean first, then squared deviations). */
  static fit(X: FeatureMatrix): Standardizer {
    const { rowCount, columnCount, values } = X;
    const mean = new Float64Array(columnCount);
    const scale = new Float64Array(columnCount);
    for (let column = 0; column < columnCount; column++) {
      const offset = column * rowCount;
      let sum = 0;
      let count = 0;
      for (let row = 0; row < rowCount; row++) {
        const value = values[offset + row]!;
        if (value === value) {
          if (value === Infinity || value === -Infinity) throw infiniteValue(X, row, column, value);
          sum += value;
          count++;
        }
      }
      const columnMean = count > 0 ? sum / count : 0;
      let squares = 0;
      for (let row = 0; row < rowCount; row++) {
        const value = values[offset + row]!;
        if (value === value) squares += (value - columnMean) * (value - columnMean);
      }
      const deviation = count > 0 ? Math.sqrt(squares / count) : 0;
      mean[column] = columnMean;
      // A spread at rounding level of the mean is no spread: dividing by it would blow rounding noise up to O(1).
      scale[column] = deviation > 1e-12 * Math.max(1, Math.abs(columnMean)) ? deviation : 1;
    }
    return new Standardizer(mean, scale);
  }

  /** Row-major standardised copy of X (missing values become 0). */
  transform(X: FeatureMatrix): Float64Array {
    if (X.columnCount !== this.columnCount) {
      throw new InvalidArgumentError(`the model was trained on ${this.columnCount} columns, but the matrix has ${X.columnCount}`);
    }
    const { rowCount, columnCount, values } = X;
    const output = new Float64Array(rowCount * columnCount);
    for (let column = 0; column < columnCount; column++) {
      const offset = column * rowCount;
      const columnMean = this.mean[column]!;
      const inverseScale = 1 / this.scale[column]!;
      for (let row = 0; row < rowCount; row++) {
        const value = values[offset + row]!;
        if (value !== value) continue; // missing: the mean, which is 0 once standardised
        if (value === Infinity || value === -Infinity) throw infiniteValue(X, row, column, value);
        output[row * columnCount + column] = (value - columnMean) * inverseScale;
      }
    }
    return output;
  }

  toJSON(): StandardizerJson {
    return { mean: Array.from(this.mean), scale: Array.from(this.scale) };
  }

  static fromJSON(json: unknown): Standardizer {
    if (typeof json !== 'object' || json === null) throw new FormatError(`a stored standardizer is an object, got ${describeValue(json)}`);
    const record = json as Record<string, unknown>;
    const mean = readNumberArray(record, 'mean');
    const scale = readNumberArray(record, 'scale');
    if (mean.length !== scale.length || mean.length === 0) {
      throw new FormatError(`a stored standardizer needs equally long non-empty "mean" and "scale", got ${mean.length} and ${scale.length}`);
    }
    if (scale.some((value) => !(value > 0) || !Number.isFinite(value)) || mean.some((value) => !Number.isFinite(value))) {
      throw new FormatError('a stored standardizer needs finite means and finite positive scales');
    }
    return new Standardizer(Float64Array.from(mean), Float64Array.from(scale));
  }
}

function infiniteValue(X: FeatureMatrix, row: number, column: number, value: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `feature ${describeValue(X.columns[column])} of row ${row} is ${describeValue(value)}; the non-tree models accept finite values or NaN (missing)`,
  );
}
