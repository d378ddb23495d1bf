package io.github.sparkgpt.jobs.train;

import java.util.Optional;

/** Where the rounds of a training run come from (a DataSet or MultiDataSet per batch). */
@FunctionalInterface
public interface BatchSource<B> {
  /** The round that starts at optimizer step {@code step}, or empty when training is over. */
  Optional<Round<B>> next(long step);
}
