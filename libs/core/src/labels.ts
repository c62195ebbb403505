/**
 * Trade labels. The numeric codes are fixed (SELL 0, HOLD 1, BUY 2) because they index probability columns in
 * every model and stored prediction.
 */
import { InvalidArgumentError, describeValue } from './errors.js';

export const LABELS = ['SELL', 'HOLD', 'BUY'] as const;
export type Label = (typeof LABELS)[number];

export const SELL = 0;
export const HOLD = 1;
export const BUY = 2;
export type LabelCode = typeof SELL | typeof HOLD | typeof BUY;
export const LABEL_COUNT = 3;

/** Code of a label name. */
export function labelCode(label: Label): LabelCode {
  const code = LABELS.indexOf(label);
  if (code < 0) throw new InvalidArgumentError(`unknown label ${describeValue(label)}; expected SELL, HOLD or BUY`);
  return code as LabelCode;
}

/** Name of a label code. */
export function labelName(code: number): Label {
  const label = LABELS[code];
  if (label === undefined) throw new InvalidArgumentError(`unknown label code ${describeValue(code)}; expected 0, 1 or 2`);
  return label;
}

/**
 * Labels of many rows. `-1` marks a row without a label (for example the last days of a series, whose future is not
 * known yet).
 */
export type LabelVector = Int8Array;
export const NO_LABEL = -1;
