package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and forward tokens/s of a GPT preset in DL4J against the same architecture in PyTorch
 * (bench/model/torch_gpt.py), same threads and batch, in one run; prints the ratio and the model
 * FLOP utilisation.
 *
 * <p>Usage: {@code bench/run ModelBench [preset=small] [batch=16] [steps=10] [peakGflops=0
 * (measure)]}
 */
public final class ModelBench {

  public static void main(String[] args) throws Exception {
    String preset = args.length > 0 ? args[0] : "small";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int threads = Runtime.getRuntime().availableProcessors();
    GptConfig c = GptConfig.preset(preset).setDropout(0.1);
    int t = c.getContextLength();
    System.out.printf(
        "preset=%s params=%,d batch=%d T=%d threads=%d nd4j=%s%n",
        preset,
        c.parameterCount(),
        batch,
        t,
        threads,
        Nd4j.getExecutioner().getEnvironmentInformation().getProperty("blas.vendor", "?"));

    ComputationGraph net = GptModel.create(c, 3e-4, 1);
    Random r = new Random(1);
    int[][] seqs = new int[batch][t + 1];
    for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = r.nextInt(c.getVocabSize());
    DataSet ds = GptBatch.fromSequences(seqs, t);

    for (int i = 0; i < 2; i++) net.fit(ds); // warm-up (graph + grad function build)
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) net.fit(ds);
    double trainSec = (System.nanoTime() - t0) / 1e9;
    double trainTps = (double) steps * batch * t / trainSec;

    for (int i = 0; i < 2; i++) net.outputSingle(ds.getFeatures());
    t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) net.outputSingle(ds.getFeatures());
    double fwdTps = (double) steps * batch * t / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(
        "DL4J    train %,10.0f tok/s   forward %,10.0f tok/s   (loss %.3f)%n",
        trainTps, fwdTps, net.score(ds));

    // generation with the KV cache (prompt 16 tokens, 48 new); GenerateBench compares it
    io.github.sparkgpt.model.Generator gen =
        new io.github.sparkgpt.model.Generator(new io.github.sparkgpt.model.Inference(net))
            .setMaxNewTokens(48)
            .setTopK(50)
            .setSeed(1);
    gen.setMaxNewTokens(4).generate(java.util.Arrays.copyOf(seqs[0], 16));
    t0 = System.nanoTime();
    int made = gen.setMaxNewTokens(48).generate(java.util.Arrays.copyOf(seqs[0], 16)).length - 16;
    System.out.printf(
        "DL4J    generate %,8.1f tok/s (batch 1, KV cache, prompt 16 -> 64 tokens)%n",
        made / ((System.nanoTime() - t0) / 1e9));
    // -Dbench.torch=false: DL4J only (e.g. to compare ND4J native builds)
    double[] torch =
        Boolean.parseBoolean(System.getProperty("bench.torch", "true"))
            ? runTorch(preset, c, batch, steps, threads)
            : null;
    if (torch != null) {
      System.out.printf(
          "PyTorch train %,10.0f tok/s   forward %,10.0f tok/s%n", torch[0], torch[1]);
      System.out.printf(
          "ratio DL4J/PyTorch: train %.2fx  forward %.2fx (target train >= 0.5x)%n",
          trainTps / torch[0], fwdTps / torch[1]);
    }
    double peak = args.length > 3 ? Double.parseDouble(args[3]) * 1e9 : measurePeak();
    double flops = c.trainingFlopsPerToken() * trainTps;
    System.out.printf(
        "MFU: %.1f GFLOP/s achieved (6N + 12LdT = %.1f MFLOP/token) vs %.1f GFLOP/s peak ="
            + " %.1f%%%n",
        flops / 1e9, c.trainingFlopsPerToken() / 1e6, peak / 1e9, 100 * flops / peak);
  }

  /**
   * Peak: the best of a few 1024^3 float32 matmuls in ND4J (what BLAS reaches on this CPU and
   * thread count).
   */
  private static double measurePeak() {
    var a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1024, 1024);
    var b = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1024, 1024);
    double best = 0;
    for (int i = 0; i < 8; i++) {
      long t0 = System.nanoTime();
      a.mmul(b);
      best = Math.max(best, 2.0 * 1024 * 1024 * 1024 / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }

  /**
   * Runs bench/model/torch_gpt.py (installing python3-torch + libopenblas0-pthread if missing);
   * null if impossible.
   */
  private static double[] runTorch(String preset, GptConfig c, int batch, int steps, int threads)
      throws Exception {
    Path script = Path.of("bench/model/torch_gpt.py");
    if (!Files.exists(script)) {
      System.out.println("PyTorch: " + script + " not found (run from the repository root)");
      return null;
    }
    if (new ProcessBuilder("/usr/bin/python3", "-c", "import torch").inheritIO().start().waitFor()
        != 0) {
      System.out.println("PyTorch missing: apt-get install -y python3-torch libopenblas0-pthread");
      new ProcessBuilder("apt-get", "install", "-y", "-q", "python3-torch", "libopenblas0-pthread")
          .inheritIO()
          .start()
          .waitFor();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                script.toString(),
                "bench",
                "--config",
                c.toJson().replaceAll("\\s+", ""),
                "--batch",
                "" + batch,
                "--steps",
                "" + steps,
                "--threads",
                "" + threads));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    double[] out = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          String[] f = line.split(" ");
          out = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } else {
          System.out.println("  [torch] " + line);
        }
      }
    }
    p.waitFor();
    return out;
  }
}
