package io.github.sparkgpt.jobs.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * An epoch's batch order for examples of different lengths. Every round's batches are padded to one
 * width, the round's longest example (a worker may merge them, which needs one shape; padding never
 * changes a real position). With {@code bucketRounds = 0} the order is the plain shuffle. With
 * {@code bucketRounds > 0} the shuffle is sorted by length within buckets of that many rounds and
 * the rounds are shuffled again: far less padding, but rows of similar length train together. Every
 * example appears once per epoch; the one short round, if any, comes last so that every round
 * boundary of {@link EpochRounds} falls where a width may change.
 */
public final class LengthBuckets {

  /** One batch: indices of its examples and the width it is padded to. */
  public record Batch(int[] examples, int width) {}

  private LengthBuckets() {}

  /**
   * The batches of one epoch, in training order: consecutive groups of {@code batchesPerRound}
   * share a width.
   */
  public static List<Batch> epoch(
      int[] lengths, int batchSize, int batchesPerRound, int bucketRounds, Random rnd) {
    if (batchSize < 1 || batchesPerRound < 1 || bucketRounds < 0) {
      throw new IllegalArgumentException(
          "batch size and batches per round must be >= 1 and bucket rounds >= 0");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) order.add(i);
    Collections.shuffle(order, rnd);
    if (order.isEmpty()) return List.of();
    int perRound = batchSize * batchesPerRound;
    List<List<Integer>> rounds = new ArrayList<>();
    if (bucketRounds == 0) {
      for (int r = 0; r < order.size(); r += perRound) {
        rounds.add(order.subList(r, Math.min(order.size(), r + perRound)));
      }
      return padded(rounds, lengths, batchSize);
    }
    int perBucket = perRound * bucketRounds;
    for (int from = 0; from < order.size(); from += perBucket) {
      List<Integer> bucket =
          new ArrayList<>(order.subList(from, Math.min(order.size(), from + perBucket)));
      bucket.sort(Comparator.comparingInt(i -> lengths[i])); // stable: ties keep the shuffle
      for (int r = 0; r < bucket.size(); r += perRound) {
        rounds.add(bucket.subList(r, Math.min(bucket.size(), r + perRound)));
      }
    }
    List<Integer> last = rounds.get(rounds.size() - 1);
    boolean shortLast = last.size() < perRound;
    if (shortLast) rounds.remove(rounds.size() - 1);
    Collections.shuffle(rounds, rnd);
    if (shortLast) rounds.add(last);

    return padded(rounds, lengths, batchSize);
  }

  private static List<Batch> padded(List<List<Integer>> rounds, int[] lengths, int batchSize) {
    List<Batch> out = new ArrayList<>();
    for (List<Integer> round : rounds) out.addAll(cut(round, batchSize, max(lengths, round)));
    return out;
  }

  /** Total padded positions of {@code batches} (what a step's compute scales with). */
  public static long paddedPositions(List<Batch> batches) {
    long n = 0;
    for (Batch b : batches) n += (long) b.examples().length * b.width();
    return n;
  }

  private static List<Batch> cut(List<Integer> examples, int batchSize, int width) {
    List<Batch> out = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<Integer> part = examples.subList(from, Math.min(examples.size(), from + batchSize));
      out.add(new Batch(part.stream().mapToInt(Integer::intValue).toArray(), width));
    }
    return out;
  }

  private static int max(int[] lengths, List<Integer> examples) {
    int m = 1;
    for (int i : examples) m = Math.max(m, lengths[i]);
    return m;
  }
}
