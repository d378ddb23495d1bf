package io.github.sparkgpt.bench;

import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.dedup.ExactDedup;
import io.github.sparkgpt.pipeline.dedup.MinHashDedup;
import io.github.sparkgpt.pipeline.dedup.Shingler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Near-duplicate stage throughput on local[2], against two references measured in the same run on
 * the same cached documents: ExactDedup (one SHA-256 per document, same shuffle-and-route
 * structure) and a bare pass that hashes every document's shingles once. Also precision/recall
 * against planted near-duplicates.
 *
 * <p>Corpus: n documents of 200-400 words drawn from a Zipf(1) vocabulary of 30k random words; 20%
 * of them are planted copies of a base document with a fraction of words substituted, at target
 * Jaccard levels from 0.95 down to 0.3 (true Jaccard of word 5-gram sets measured per plant).
 * Truth: a plant is a near-duplicate iff its true Jaccard to its base is >= 0.7 (about the 14 x 8
 * banding threshold, 0.72).
 *
 * <p>Usage: {@code bench/run DedupBench [n=20000]}
 */
public final class DedupBench {
  private static final double[] LEVELS = {0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.3};
  private static final double TRUTH = 0.7;
  private static final int REPS = 3;

  record Plant(String id, String base, double jaccard, double level) {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("DedupBench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.default.parallelism", "4")
            .getOrCreate();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    List<Document> docs = new ArrayList<>();
    List<Plant> plants = new ArrayList<>();
    generate(n, docs, plants);
    JavaRDD<Document> input = sc.parallelize(docs, 4).persist(StorageLevel.MEMORY_ONLY());
    long words = input.map(d -> d.text().split(" ").length).reduce(Integer::sum);
    System.out.printf(
        "corpus: %d docs, %.0f words/doc, %d plants, %d with true J >= %.2f%n",
        input.count(),
        (double) words / n,
        plants.size(),
        plants.stream().filter(p -> p.jaccard >= TRUTH).count(),
        TRUTH);

    // Warm up the JIT and Spark once on the whole input, then time each variant REPS times and keep
    // the best run
    // (the machine is shared: the best run is the least disturbed one).
    new MinHashDedup().setVerifyThreshold(0.7).run(input).unpersist();
    new ExactDedup().run(input).unpersist();
    shingleOnce(input);

    double shingle =
        rate(
            n,
            () -> {
              shingleOnce(input);
              return null;
            });
    double exact =
        rate(
            n,
            () -> {
              new ExactDedup().run(input).unpersist();
              return null;
            });
    System.out.printf(
        "reference  shingle-hash pass: %,.0f docs/s; ExactDedup: %,.0f docs/s%n", shingle, exact);

    for (double verify : new double[] {0.0, 0.6, 0.7}) {
      MinHashDedup stage = new MinHashDedup().setVerifyThreshold(verify);
      CorpusResult[] last = new CorpusResult[1];
      double rate =
          rate(
              n,
              () -> {
                if (last[0] != null) last[0].unpersist();
                last[0] = stage.run(input);
                last[0].kept().count();
                return null;
              });
      report(verify, rate, shingle, exact, last[0], plants);
      last[0].unpersist();
    }
    spark.stop();
  }

  private static double rate(int n, Supplier<Void> run) {
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < REPS; rep++) {
      long t0 = System.nanoTime();
      run.get();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return n / (best / 1e9);
  }

  /**
   * The reference: hash every document's shingles once (what any shingle-based stage must at least
   * do).
   */
  private static void shingleOnce(JavaRDD<Document> docs) {
    docs.mapPartitions(
            it -> {
              Shingler s = new Shingler(5);
              long acc = 0;
              while (it.hasNext()) {
                s.shingle(it.next().text());
                for (int i = 0; i < s.count(); i++) acc += s.hashes()[i];
              }
              return List.of(acc).iterator();
            })
        .count();
  }

  private static void report(
      double verify,
      double rate,
      double shingle,
      double exact,
      CorpusResult r,
      List<Plant> plants) {
    Map<String, String> survivorOf = new HashMap<>();
    for (RejectedDocument d : r.rejected().collect()) survivorOf.put(d.id(), d.detail());
    int tp = 0, positives = 0;
    Map<Double, int[]> byLevel = new java.util.TreeMap<>();
    for (Plant p : plants) {
      boolean truth = p.jaccard >= TRUTH;
      boolean found = p.base.equals(survivorOf.get(p.id));
      if (truth) positives++;
      if (truth && found) tp++;
      int[] c = byLevel.computeIfAbsent(p.level, k -> new int[2]);
      c[0]++;
      if (survivorOf.containsKey(p.id)) c[1]++;
    }
    Set<String> plantIds = new HashSet<>();
    plants.forEach(p -> plantIds.add(p.id));
    long basesRemoved = survivorOf.keySet().stream().filter(id -> !plantIds.contains(id)).count();
    double precision = survivorOf.isEmpty() ? 1 : (double) tp / survivorOf.size();
    double recall = (double) tp / positives;
    System.out.printf(
        "%nMinHashDedup 14x8 verify_threshold=%.2f: %,.0f docs/s = %.3f x shingle-hash pass, "
            + "%.3f x ExactDedup%n",
        verify, rate, rate / shingle, rate / exact);
    System.out.printf(
        "  removed %d (%d of them unplanted), precision %.4f, recall %.4f (truth: planted, true J"
            + " >= %.2f)%n  %s%n",
        survivorOf.size(), basesRemoved, precision, recall, TRUTH, r.stats());
    MinHashDedup theory = new MinHashDedup();
    StringBuilder sb = new StringBuilder("  removed by target level (theory P[candidate]):");
    byLevel.forEach(
        (level, c) ->
            sb.append(
                String.format(
                    " %.2f:%d/%d(%.2f)", level, c[1], c[0], theory.candidateProbability(level))));
    System.out.println(sb);
  }

  /**
   * n documents: 80% random bases, 20% plants (1-3 per chosen base) at the target Jaccard levels.
   */
  private static void generate(int n, List<Document> docs, List<Plant> plants) {
    Random rnd = new Random(42);
    String[] vocab = new String[30_000];
    for (int i = 0; i < vocab.length; i++) {
      char[] w = new char[2 + rnd.nextInt(8)];
      for (int j = 0; j < w.length; j++) w[j] = (char) ('a' + rnd.nextInt(26));
      vocab[i] = new String(w);
    }
    double[] zipf = new double[vocab.length]; // cumulative Zipf(1) weights
    double sum = 0;
    for (int i = 0; i < vocab.length; i++) zipf[i] = sum += 1.0 / (i + 1);
    Supplier<String> word =
        () -> {
          int i = Arrays.binarySearch(zipf, rnd.nextDouble() * zipf[zipf.length - 1]);
          return vocab[Math.min(vocab.length - 1, i < 0 ? -i - 1 : i)];
        };
    int b = 0;
    while (docs.size() < n) {
      String[] words = new String[200 + rnd.nextInt(201)];
      for (int j = 0; j < words.length; j++) words[j] = word.get();
      String base = String.format("b%07d", b++);
      docs.add(Document.of(base, "bench", String.join(" ", words)));
      if (rnd.nextDouble() < 0.16) {
        int copies = 1 + rnd.nextInt(rnd.nextDouble() < 0.7 ? 1 : 3);
        for (int c = 0; c < copies && docs.size() < n; c++) {
          double level = LEVELS[rnd.nextInt(LEVELS.length)];
          // Substituting a fraction f of words keeps ~(1-f)^5 of the shingles; J = s / (2 - s).
          double f = 1 - Math.pow(2 * level / (1 + level), 1.0 / 5);
          String[] edited = words.clone();
          for (int j = 0; j < edited.length; j++) if (rnd.nextDouble() < f) edited[j] = word.get();
          String id = base + "~" + c;
          docs.add(Document.of(id, "bench", String.join(" ", edited)));
          plants.add(new Plant(id, base, jaccard(words, edited), level));
        }
      }
    }
  }

  private static double jaccard(String[] x, String[] y) {
    Set<String> a = grams(x), bb = grams(y);
    int inter = 0;
    for (String g : a) if (bb.contains(g)) inter++;
    return (double) inter / (a.size() + bb.size() - inter);
  }

  private static Set<String> grams(String[] w) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i + 5 <= w.length; i++)
      s.add(String.join(" ", Arrays.copyOfRange(w, i, i + 5)));
    return s;
  }
}
