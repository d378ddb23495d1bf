package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.GptConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The PyTorch side of ModelBench: bench/model/torch_gpt.py under Debian's python3-torch. */
final class TorchRun {
  /** Debian's packages live under this interpreter (the first python3 on PATH may be another). */
  static final String PYTHON = "/usr/bin/python3";

  private TorchRun() {}

  /**
   * Installs python3-torch with the pthreads OpenBLAS if torch is missing (without it torch falls
   * back to the reference BLAS, about 10x slower).
   */
  static void ensureInstalled(Path script) throws IOException, InterruptedException {
    if (new ProcessBuilder(PYTHON, "-c", "import torch").inheritIO().start().waitFor() == 0) return;
    System.out.println("PyTorch missing: apt-get install -y python3-torch libopenblas0-pthread");
    new ProcessBuilder("apt-get", "install", "-y", "-q", "python3-torch", "libopenblas0-pthread")
        .inheritIO()
        .start()
        .waitFor();
  }

  /** The command that measures {@code c} with {@code threads} torch threads. */
  static List<String> command(Path script, GptConfig c, int batch, int steps, int threads) {
    return List.of(
        PYTHON,
        script.toString(),
        "bench",
        "--config",
        c.toJson().replaceAll("\\s+", ""),
        "--batch",
        "" + batch,
        "--steps",
        "" + steps,
        "--threads",
        "" + threads,
        "--warmup-steps",
        "" + ModelBench.WARMUP_STEPS,
        "--warmup-seconds",
        "" + ModelBench.WARMUP_SECONDS);
  }
}
