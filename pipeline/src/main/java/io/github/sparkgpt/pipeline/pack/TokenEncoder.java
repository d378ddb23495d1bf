package io.github.sparkgpt.pipeline.pack;

import java.io.Serializable;

/** Text to token ids, as shipped to executors; the pipeline's tokenizer implements it. */
@FunctionalInterface
public interface TokenEncoder extends Serializable {
  int[] encode(String text);
}
