package io.github.sparkgpt.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end preprocess throughput on real corpora at local[1] and local[2], in one JVM, printed as
 * MB/s and as the local[2]/local[1] ratio. Each configuration runs once to warm up (class loading,
 * JIT, lingua's models) and then three times; the best of the three counts, which filters out other
 * load on a shared machine.
 *
 * <pre>
 * bench/run PreprocessBench [--conf FILE] [--threads N] [corpus dirs...]   (default: data/corpora/*)
 * </pre>
 *
 * {@code bench/preprocess-scaling} runs local[1] in a JVM pinned to one CPU and local[2] on two, so
 * that the one-core run gets no help from the other core (garbage collection, JIT compilation,
 * Spark's own threads).
 */
public final class PreprocessBench {
  public static void main(String[] args) throws Exception {
    List<String> inputs = new ArrayList<>();
    String confFile = "conf/demo-preprocess.conf";
    int[] threadCounts = {1, 2};
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--conf")) confFile = args[++i];
      else if (args[i].equals("--threads")) threadCounts = new int[] {Integer.parseInt(args[++i])};
      else inputs.add(args[i]);
    }
    if (inputs.isEmpty()) {
      try (var dirs = Files.list(Path.of("data/corpora"))) {
        dirs.filter(Files::isDirectory).sorted().forEach(p -> inputs.add(p.toString()));
      }
    }
    if (inputs.isEmpty())
      throw new IllegalStateException("no corpora: run deploy/fetch-data first");
    Config config =
        ConfigFactory.parseFile(Path.of(confFile).toFile())
            .withFallback(ConfigFactory.parseFile(Path.of("conf/preprocess.conf").toFile()))
            .resolve()
            .getConfig("preprocess");
    Path out = Files.createTempDirectory("preprocess-bench");
    System.out.printf(
        "inputs: %s%nconfig: conf/preprocess.conf + %s; %d cores%n",
        inputs, confFile, Runtime.getRuntime().availableProcessors());

    double[] mbps = new double[3];
    for (int threads : threadCounts) {
      SparkSession spark =
          SparkSession.builder()
              .master("local[" + threads + "]")
              .appName("preprocess-bench")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config(
                  "spark.serializer",
                  System.getProperty(
                      "bench.serializer", "org.apache.spark.serializer.JavaSerializer"))
              .config(
                  "spark.kryo.registrator", "io.github.sparkgpt.pipeline.PipelineKryoRegistrator")
              .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
              .getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      double best = 0;
      for (int run = 0; run < 4; run++) {
        long t0 = System.nanoTime();
        Preprocessor.Result r =
            new Preprocessor(config)
                .run(spark, inputs, out.resolve("l" + threads + "-" + run).toString(), true);
        double s = (System.nanoTime() - t0) / 1e9;
        double mb = r.stats().first().bytesIn() / 1e6;
        System.out.printf(
            Locale.ROOT,
            "local[%d] run %d: %.1f MB in %.1f s = %.2f MB/s (%.2f MB/s per core)%s%n",
            threads,
            run,
            mb,
            s,
            mb / s,
            mb / s / threads,
            run == 0 ? "  (warm-up)" : "");
        if (run > 0) best = Math.max(best, mb / s);
      }
      mbps[threads] = best;
      spark.stop();
    }
    if (threadCounts.length == 1) {
      System.out.printf(
          Locale.ROOT,
          "RESULT (best of 3) local[%d] %.2f MB/s%n",
          threadCounts[0],
          mbps[threadCounts[0]]);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT (best of 3) local[1] %.2f MB/s, local[2] %.2f MB/s, ratio local[2]/local[1] = %.2f "
            + "(targets: >= 2 MB/s per core, ratio >= 1.7)%n",
        mbps[1],
        mbps[2],
        mbps[2] / mbps[1]);
  }
}
