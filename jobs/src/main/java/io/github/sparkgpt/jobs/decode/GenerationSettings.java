package io.github.sparkgpt.jobs.decode;

import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.decode.KvDecoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How text is generated: the published defaults of {@code generate} (its options start from these)
 * and what executors need to build a {@link Generator}.
 */
public final class GenerationSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private int maxNewTokens = 64;
  private double temperature = 0.8; // 0 = greedy
  private int topK = 40; // 0 = all
  private double topP = 0.95; // 1 = off
  private long seed = 42;
  private int batchSize = 32; // prompts decoded together on one executor core
  private List<String> stop = new ArrayList<>(); // text that ends a completion (not included)

  public GenerationSettings validate() {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
    for (String s : stop) {
      if (s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }
    generator(null, -1); // checks the sampling parameters
    return this;
  }

  /** A generator with these settings over {@code decoder}, stopping at {@code endOfText}. */
  public Generator generator(KvDecoder decoder, int endOfText) {
    return new Generator(decoder)
        .setMaxNewTokens(maxNewTokens)
        .setTemperature(temperature)
        .setTopK(topK)
        .setTopP(topP)
        .setSeed(seed)
        .setBatchSize(batchSize)
        .setEndOfText(endOfText)
        .validate();
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public GenerationSettings setMaxNewTokens(int v) {
    maxNewTokens = v;
    return this;
  }

  public double getTemperature() {
    return temperature;
  }

  public GenerationSettings setTemperature(double v) {
    temperature = v;
    return this;
  }

  public int getTopK() {
    return topK;
  }

  public GenerationSettings setTopK(int v) {
    topK = v;
    return this;
  }

  public double getTopP() {
    return topP;
  }

  public GenerationSettings setTopP(double v) {
    topP = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public GenerationSettings setSeed(long v) {
    seed = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public GenerationSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public List<String> getStop() {
    return stop;
  }

  public GenerationSettings setStop(List<String> v) {
    stop = new ArrayList<>(v);
    return this;
  }
}
