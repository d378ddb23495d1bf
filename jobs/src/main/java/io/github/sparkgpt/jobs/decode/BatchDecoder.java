package io.github.sparkgpt.jobs.decode;

import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Generation on executors: the weights (plain float arrays), the tokenizer and the settings are
 * broadcast once; each executor JVM builds its {@link TextCompleter} once per broadcast and decodes
 * its partitions in batches of {@code batch_size} prompts.
 */
public final class BatchDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<DecoderWeights> weights;
  private final Broadcast<BpeTokenizer> tokenizer;
  private final GenerationSettings settings;
  // Broadcast ids restart with every SparkContext, so a JVM running two jobs in turn (tests, a
  // notebook) could take the previous model's completer for the new one: the cache is keyed by
  // this decoder's own random key instead.
  private final String key = java.util.UUID.randomUUID().toString();

  /** The executor's completer for the newest decoder (one model at a time per JVM). */
  private static volatile Object[] cached = {null, null};

  public BatchDecoder(
      JavaSparkContext jsc, DecoderWeights w, BpeTokenizer tok, GenerationSettings settings) {
    this.weights = jsc.broadcast(w);
    this.tokenizer = jsc.broadcast(tok);
    this.settings = settings.validate();
  }

  public int batchSize() {
    return settings.getBatchSize();
  }

  /** Completions of one partition's prompts, in order. */
  public Iterator<Completion> completePrompts(Iterator<String> prompts) {
    List<Completion> out = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    while (prompts.hasNext()) {
      batch.add(prompts.next());
      if (batch.size() == batchSize() || !prompts.hasNext()) {
        out.addAll(completer().completions(batch));
        batch.clear();
      }
    }
    return out.iterator();
  }

  /**
   * Each row with its completion and finish reason ({@code stop} or {@code length}) appended as two
   * last fields; field {@code prompt} is the prompt.
   */
  public Iterator<Row> completeRows(Iterator<Row> rows, int prompt) {
    List<Row> out = new ArrayList<>();
    List<Row> batch = new ArrayList<>();
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == batchSize() || !rows.hasNext()) {
        List<String> prompts = new ArrayList<>();
        for (Row r : batch) prompts.add(String.valueOf(r.get(prompt)));
        List<Completion> done = completer().completions(prompts);
        for (int i = 0; i < batch.size(); i++) {
          Object[] values = new Object[batch.get(i).size() + 2];
          for (int f = 0; f < values.length - 2; f++) values[f] = batch.get(i).get(f);
          values[values.length - 2] = done.get(i).text();
          values[values.length - 1] = done.get(i).finish().label();
          out.add(RowFactory.create(values));
        }
        batch.clear();
      }
    }
    return out.iterator();
  }

  private TextCompleter completer() {
    Object[] c = cached;
    if (!key.equals(c[0])) {
      synchronized (BatchDecoder.class) {
        c = cached;
        if (!key.equals(c[0])) {
          c = new Object[] {key, new TextCompleter(weights.value(), tokenizer.value(), settings)};
          cached = c;
        }
      }
    }
    return (TextCompleter) c[1];
  }
}
