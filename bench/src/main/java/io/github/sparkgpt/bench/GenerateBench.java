package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.model.decode.KvDecoder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Greedy generation tokens/s of a GPT preset, batch 1 and batch 32, {@code newTokens} after a
 * {@code promptTokens}-token prompt: the old path (the whole prefix re-run for every token), the
 * KV-cache path ({@link io.github.sparkgpt.model.Generator}) and PyTorch with a KV cache
 * (bench/model/torch_gpt.py generate), same threads, one run; prints the ratios. Tokens/s counts
 * new tokens of all rows over the whole call (prefill included). The old path at batch 32 is timed
 * over the first quarter of the new tokens only (minutes otherwise): its prefixes are then shorter,
 * so its tokens/s are overstated and the printed speed-up understated.
 *
 * <p>Usage: {@code bench/run GenerateBench [preset=small] [promptTokens=64] [newTokens=64]}
 */
public final class GenerateBench {
  private static final int[] BATCHES = {1, 32};

  public static void main(String[] args) throws Exception {
    String preset = args.length > 0 ? args[0] : "small";
    int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int fresh = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int threads = Runtime.getRuntime().availableProcessors();
    GptConfig c = GptConfig.preset(preset);
    System.out.printf(
        "preset=%s params=%,d prompt=%d new=%d threads=%d%n",
        preset, c.parameterCount(), prompt, fresh, threads);
    ComputationGraph net = GptModel.create(c, 3e-4, 1);
    io.github.sparkgpt.model.Generator kv =
        new io.github.sparkgpt.model.Generator(new KvDecoder(DecoderWeights.of(net)))
            .setTemperature(0)
            .setMaxNewTokens(fresh)
            .setBatchSize(64);
    Inference inference = new Inference(net);
    double[][] ours = new double[BATCHES.length][2];
    for (int i = 0; i < BATCHES.length; i++) {
      List<int[]> prompts = prompts(c, BATCHES[i], prompt);
      fullForward(inference, prompts.subList(0, 1), 2); // warm-up
      for (int w = 0; w < 3; w++) kv.complete(prompts, (row, t) -> false); // JIT warm-up
      int oldTokens = BATCHES[i] == 1 ? fresh : Math.max(1, fresh / 4);
      long t0 = System.nanoTime();
      fullForward(inference, prompts, oldTokens);
      ours[i][0] = BATCHES[i] * oldTokens / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      kv.complete(prompts, (row, t) -> false);
      ours[i][1] = BATCHES[i] * fresh / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(
          "batch %2d  DL4J no cache %,9.1f tok/s   DL4J KV cache %,9.1f tok/s   (%.1fx)%n",
          BATCHES[i], ours[i][0], ours[i][1], ours[i][1] / ours[i][0]);
    }
    double[] torch =
        Boolean.parseBoolean(System.getProperty("bench.torch", "true"))
            ? runTorch(c, prompt, fresh, threads)
            : null;
    for (int i = 0; torch != null && i < BATCHES.length; i++) {
      System.out.printf(
          "batch %2d  PyTorch KV cache %,9.1f tok/s   DL4J KV / PyTorch %.2fx   DL4J KV / no"
              + " cache %.1fx (targets >= 0.5x and, batch 1, >= 10x)%n",
          BATCHES[i], torch[i], ours[i][1] / torch[i], ours[i][1] / ours[i][0]);
    }
  }

  private static List<int[]> prompts(GptConfig c, int batch, int length) {
    Random r = new Random(batch);
    List<int[]> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      int[] p = new int[length];
      for (int i = 0; i < length; i++) p[i] = r.nextInt(c.getVocabSize());
      out.add(p);
    }
    return out;
  }

  /** The old path: greedy, the whole prefix of every row through the graph for each new token. */
  private static void fullForward(Inference inference, List<int[]> prompts, int fresh) {
    int b = prompts.size(), n = prompts.get(0).length;
    float[][] seqs = new float[b][n + fresh];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < n; i++) seqs[r][i] = prompts.get(r)[i];
    }
    for (int step = 0; step < fresh; step++, n++) {
      INDArray ids = Nd4j.create(DataType.FLOAT, b, n);
      for (int r = 0; r < b; r++) ids.putRow(r, Nd4j.createFromArray(Arrays.copyOf(seqs[r], n)));
      INDArray last =
          inference
              .logits(ids)
              .get(NDArrayIndex.all(), NDArrayIndex.point(n - 1), NDArrayIndex.all()); // [B, V]
      INDArray next = last.argMax(1);
      for (int r = 0; r < b; r++) seqs[r][n] = next.getInt(r);
    }
  }

  /** tokens/s per batch size from bench/model/torch_gpt.py generate; null if impossible. */
  private static double[] runTorch(GptConfig c, int prompt, int fresh, int threads)
      throws Exception {
    Path script = Path.of("bench/model/torch_gpt.py");
    if (!Files.exists(script)
        || new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start().waitFor() != 0) {
      System.out.println(
          "PyTorch: needs bench/model/torch_gpt.py (run from the repository root) and"
              + " apt-get install -y python3-torch libopenblas0-pthread");
      return null;
    }
    double[] out = new double[BATCHES.length];
    for (int i = 0; i < BATCHES.length; i++) {
      List<String> cmd =
          List.of(
              "/usr/bin/python3",
              script.toString(),
              "generate",
              "--config",
              c.toJson().replaceAll("\\s+", ""),
              "--batch",
              "" + BATCHES[i],
              "--prompt",
              "" + prompt,
              "--new",
              "" + fresh,
              "--threads",
              "" + threads);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("RESULT ")) out[i] = Double.parseDouble(line.split(" ")[1]);
          else System.out.println("  [torch] " + line);
        }
      }
      if (p.waitFor() != 0) return null;
    }
    return out;
  }
}
