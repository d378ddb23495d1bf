package io.github.sparkgpt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The thread settings a model benchmark sweeps, one child process per setting (OpenMP and OpenBLAS
 * read their thread counts and kernel choice at process start), and how results are paired: best
 * against best, one thread against one thread, per OPENBLAS_CORETYPE. Each side runs on the
 * pthreads OpenBLAS and, when the system has one, on an OpenMP build (deploy/blas).
 */
public final class ThreadSweep {
  public static final String DL4J = "DL4J";
  public static final String TORCH = "PyTorch";

  /** OPENBLAS_CORETYPE left out of the child's environment (OpenBLAS detects the CPU itself). */
  public static final String UNSET = "unset";

  /** OPENBLAS_THREAD_TIMEOUT as deploy/submit sets it: BLAS threads sleep right after each call. */
  public static final String DL4J_BLAS_THREAD_TIMEOUT = "4";

  /** The pthreads OpenBLAS: ND4J's bundled 0.3.19, Debian's for PyTorch. */
  public static final String PTHREADS = "pthreads";

  /** The system's OpenBLAS built with OpenMP (Debian's libopenblas0-openmp), on both sides. */
  public static final String OPENMP = "openmp";

  /**
   * One configuration: the OpenBLAS build, framework threads (ND4J's OpenMP threads /
   * torch.set_num_threads) and BLAS threads (OPENBLAS_NUM_THREADS).
   */
  public record Setting(
      String side, String coretype, String blas, int frameworkThreads, int blasThreads) {
    public Setting {
      if (frameworkThreads < 1 || blasThreads < 1) {
        throw new IllegalArgumentException("thread counts must be >= 1: " + this);
      }
      if (!blas.equals(PTHREADS) && !blas.equals(OPENMP)) {
        throw new IllegalArgumentException("blas is " + PTHREADS + " or " + OPENMP + ": " + blas);
      }
    }

    /** A setting on the pthreads OpenBLAS. */
    public Setting(String side, String coretype, int frameworkThreads, int blasThreads) {
      this(side, coretype, PTHREADS, frameworkThreads, blasThreads);
    }

    /**
     * Sets or removes the variables this setting controls in a child's environment; {@code
     * openmpDirs} is the library path of the OpenMP build (see {@link #openmpJvmOptions}).
     */
    public void applyTo(Map<String, String> env, String openmpDirs) {
      env.put("OMP_NUM_THREADS", "" + frameworkThreads);
      env.put("OPENBLAS_NUM_THREADS", "" + blasThreads);
      if (coretype.equals(UNSET)) env.remove("OPENBLAS_CORETYPE");
      else env.put("OPENBLAS_CORETYPE", coretype);
      // what deploy/submit sets for DL4J; PyTorch is fastest with OpenBLAS's default spin
      if (side.equals(DL4J)) env.put("OPENBLAS_THREAD_TIMEOUT", DL4J_BLAS_THREAD_TIMEOUT);
      else env.remove("OPENBLAS_THREAD_TIMEOUT");
      // PyTorch loads libopenblas.so.0 by name: the OpenMP build's directory first picks it
      if (side.equals(TORCH) && blas.equals(OPENMP)) env.put("LD_LIBRARY_PATH", openmpDirs);
    }

    public void applyTo(Map<String, String> env) {
      applyTo(env, null);
    }

    public boolean oneThread() {
      return frameworkThreads == 1 && blasThreads == 1;
    }

    public String label() {
      String fw = side.equals(DL4J) ? "omp" : "torch";
      return String.format(
          Locale.ROOT,
          "%-7s coretype=%-8s %-8s %s=%d blas=%d",
          side,
          coretype,
          blas,
          fw,
          frameworkThreads,
          blasThreads);
    }
  }

  /** Tokens/s of one setting, and the best 1024^3 matmul GFLOP/s in the same process. */
  public record Result(Setting setting, double trainTps, double forwardTps, double matmulGflops) {}

  private ThreadSweep() {}

  /**
   * Every side x coretype x thread pair on the pthreads OpenBLAS, where a pair is written "FxB"
   * (framework x BLAS threads), e.g. "1x1".
   */
  public static List<Setting> settings(
      List<String> sides, List<String> coretypes, List<String> pairs) {
    return settings(sides, coretypes, List.of(PTHREADS), pairs);
  }

  /** Every side x coretype x BLAS build x thread pair. */
  public static List<Setting> settings(
      List<String> sides, List<String> coretypes, List<String> blases, List<String> pairs) {
    List<Setting> out = new ArrayList<>();
    for (String side : sides) {
      for (String coretype : coretypes) {
        for (String blas : blases) {
          for (String pair : pairs) {
            String[] fb = pair.split("x");
            if (fb.length != 2) {
              throw new IllegalArgumentException("thread pair '" + pair + "': write FxB, e.g. 2x1");
            }
            out.add(
                new Setting(
                    side, coretype, blas, Integer.parseInt(fb[0]), Integer.parseInt(fb[1])));
          }
        }
      }
    }
    return out;
  }

  /**
   * The JVM options of deploy/blas that select the system's OpenMP OpenBLAS, empty when it is not
   * installed; run from the repository root.
   */
  public static List<String> openmpJvmOptions() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("deploy/blas", "auto").redirectErrorStream(true).start();
    List<String> lines;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    if (p.waitFor() != 0) throw new IOException("deploy/blas failed: " + lines);
    return lines;
  }

  /** Whether a JVM option is one deploy/blas sets (a child replaces the parent's). */
  public static boolean isBlasJvmOption(String option) {
    return option.startsWith("-Dorg.bytedeco.javacpp.pathsfirst=")
        || option.startsWith("-Dorg.bytedeco.openblas.load=")
        || option.startsWith("-Djava.library.path=")
        || option.startsWith("-Dorg.bytedeco.javacpp.cachedir=")
        || option.startsWith("-Dio.github.sparkgpt.blas=");
  }

  /** The side's fastest training result under {@code coretype} (any coretype when null). */
  public static Optional<Result> best(List<Result> results, String side, String coretype) {
    return results.stream()
        .filter(r -> r.setting().side().equals(side))
        .filter(r -> coretype == null || r.setting().coretype().equals(coretype))
        .max(Comparator.comparingDouble(Result::trainTps));
  }

  /** The side's fastest forward result under any coretype. */
  public static Optional<Result> bestForward(List<Result> results, String side) {
    return results.stream()
        .filter(r -> r.setting().side().equals(side))
        .max(Comparator.comparingDouble(Result::forwardTps));
  }

  /** The side's fastest one-thread (1x1) result under {@code coretype}, over BLAS builds. */
  public static Optional<Result> oneThread(List<Result> results, String side, String coretype) {
    return results.stream()
        .filter(r -> r.setting().side().equals(side) && r.setting().oneThread())
        .filter(r -> r.setting().coretype().equals(coretype))
        .max(Comparator.comparingDouble(Result::trainTps));
  }

  /**
   * "name: DL4J <label> vs PyTorch <label>: train r x, forward r x", or null if a side is missing.
   */
  public static String compare(String name, Optional<Result> dl4j, Optional<Result> torch) {
    if (dl4j.isEmpty() || torch.isEmpty()) return null;
    Result d = dl4j.get();
    Result t = torch.get();
    return String.format(
        Locale.ROOT,
        "%-22s train %.2fx  forward %.2fx   [%s | %s]",
        name,
        d.trainTps() / t.trainTps(),
        d.forwardTps() / t.forwardTps(),
        d.setting().label().replaceAll("\\s+", " "),
        t.setting().label().replaceAll("\\s+", " "));
  }
}
