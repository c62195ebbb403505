/**
 * A classifier wrapper that reports fit progress (boosting rounds, trees) without changing the model: fit passes an
 * `onProgress` to the wrapped model and everything else is delegated, so the stored JSON is the wrapped model's own.
 */
import type { FeatureMatrix } from '@quant/core';
import type { Classifier, FitOptions, ModelJson } from '@quant/models';

export class ReportingClassifier implements Classifier {
  readonly #inner: Classifier;
  readonly #report: (completed: number, total: number) => void;

  constructor(inner: Classifier, report: (completed: number, total: number) => void) {
    this.#inner = inner;
    this.#report = report;
  }

  get kind(): string {
    return this.#inner.kind;
  }

  /** The wrapped model. */
  get inner(): Classifier {
    return this.#inner;
  }

  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    const outer = options.onProgress;
    this.#inner.fit(X, y, {
      ...options,
      onProgress: (progress) => {
        this.#report(progress.completed, progress.total);
        outer?.(progress);
      },
    });
    return this;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    return this.#inner.predictProba(X);
  }

  predict(X: FeatureMatrix): Int8Array {
    return this.#inner.predict(X);
  }

  featureImportance(): Float64Array {
    return this.#inner.featureImportance();
  }

  toJSON(): ModelJson {
    return this.#inner.toJSON();
  }
}
