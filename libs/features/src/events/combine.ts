/**
 * The 202-column layout: the 179 technical features followed by the 23 event features, for the same symbol and
 * dates. The trainer uses it when events are on and the 179 technical columns alone when they are off.
 */
import { InvalidArgumentError, createFeatureMatrix, type FeatureMatrix } from '@quant/core';
import { TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION } from '../registry.js';
import { EVENT_FEATURE_NAMES, EVENT_FEATURE_SET_VERSION } from './registry.js';

/** The 202 feature names: technical then event. */
export const COMBINED_FEATURE_NAMES: readonly string[] = Object.freeze([...TECHNICAL_FEATURE_NAMES, ...EVENT_FEATURE_NAMES]);

/** Version of the 202-column set: both versions joined. */
export const COMBINED_FEATURE_SET_VERSION = `${TECHNICAL_FEATURE_SET_VERSION}+${EVENT_FEATURE_SET_VERSION}`;

function sameNames(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && actual.every((name, index) => name === expected[index]);
}

/**
 * Concatenates the columns of a technical matrix (computeTechnicalFeatures) and an event matrix
 * (computeEventFeatures) with the same rows: same row count, and row by row the same date and symbol.
 */
export function combineFeatureMatrices(technical: FeatureMatrix, events: FeatureMatrix): FeatureMatrix {
  if (!sameNames(technical.columns, TECHNICAL_FEATURE_NAMES)) {
    throw new InvalidArgumentError(`the first matrix must have the ${TECHNICAL_FEATURE_NAMES.length} technical columns in registry order; it has ${technical.columnCount} columns starting ${JSON.stringify(technical.columns.slice(0, 3))}`);
  }
  if (!sameNames(events.columns, EVENT_FEATURE_NAMES)) {
    throw new InvalidArgumentError(`the second matrix must have the ${EVENT_FEATURE_NAMES.length} event columns in registry order; it has ${events.columnCount} columns starting ${JSON.stringify(events.columns.slice(0, 3))}`);
  }
  const rows = technical.rowCount;
  if (events.rowCount !== rows) throw new InvalidArgumentError(`the technical matrix has ${rows} rows but the event matrix has ${events.rowCount}`);
  for (let row = 0; row < rows; row++) {
    const technicalSymbol = technical.symbols[technical.rowSymbols[row]!];
    const eventSymbol = events.symbols[events.rowSymbols[row]!];
    if (technical.rowDates[row] !== events.rowDates[row] || technicalSymbol !== eventSymbol) {
      throw new InvalidArgumentError(`row ${row} is ${technicalSymbol} day ${technical.rowDates[row]} in the technical matrix but ${eventSymbol} day ${events.rowDates[row]} in the event matrix`);
    }
  }
  const values = new Float64Array((technical.columnCount + events.columnCount) * rows);
  values.set(technical.values);
  values.set(events.values, technical.columnCount * rows);
  return createFeatureMatrix({
    columns: COMBINED_FEATURE_NAMES,
    values,
    symbols: technical.symbols,
    rowSymbols: technical.rowSymbols,
    rowDates: technical.rowDates,
  });
}
