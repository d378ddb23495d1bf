package io.github.sparkgpt.jobs.fewshot;

import java.util.List;

/**
 * A language model as the few-shot scorer sees it: log-probabilities of chosen next tokens, one
 * batch at a time.
 */
public interface TokenLogProbs {
  /**
   * For every sequence i of a batch and every j: log P(next token = targets[i][j] |
   * inputs[i][0..positions[i][j]]) (natural log). Sequences may differ in length; none is longer
   * than the model's context.
   */
  double[][] logProbs(List<int[]> inputs, List<int[]> positions, List<int[]> targets);
}
