/**
 * The bin codes shared by the binning and the tree engine (a module of its own, without imports, so that the tree
 * worker bundle does not pull in the binning code).
 */

/** The bin code reserved for missing values. */
export const MISSING_BIN = 255;
/** Bins per feature in a histogram: 255 value bins and the missing bin. */
export const HISTOGRAM_BINS = 256;
/** Largest number of value bins per feature. */
export const MAX_VALUE_BINS = 255;
