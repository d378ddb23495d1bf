package io.github.sparkgpt.pipeline.sentiment;

import java.io.Serializable;

/**
 * VADER's scores of one text: the proportions of negative, neutral and positive valence (rounded to
 * 3 decimals) and the compound score in [-1, 1] (rounded to 4), as the npm package reports them.
 */
public record VaderScores(double neg, double neu, double pos, double compound)
    implements Serializable {

  static final VaderScores NONE = new VaderScores(0, 0, 0, 0);
}
