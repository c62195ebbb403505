/**
 * The default meta-learner: multinomial logistic regression with an L2 penalty (C = 1, scikit-learn's default and the
 * final estimator of its StackingClassifier) on the base models' out-of-fold probabilities. A linear model on
 * probabilities is the classic choice (Wolpert 1992; Breiman 1996, "Stacked regressions"): few parameters to fit on
 * the OOF rows, so it mainly learns how far to trust each base model and re-calibrates them, instead of overfitting
 * their noise as a second tree model would.
 */
import { LogisticRegressionClassifier, type Classifier } from '@quant/models';

export function defaultMetaLearner(): Classifier {
  return new LogisticRegressionClassifier({ C: 1 });
}
