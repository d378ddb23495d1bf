package io.github.sparkgpt.bench;

import io.github.sparkgpt.bench.ThreadSweep.Result;
import io.github.sparkgpt.bench.ThreadSweep.Setting;
import io.github.sparkgpt.model.GptConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Training and forward tokens/s of GPT models in DL4J against the same architecture in PyTorch
 * (bench/model/torch_gpt.py), same batch, over a sweep of thread settings of both sides: each
 * setting runs in a child process of its own, since OpenMP and OpenBLAS fix their threads and
 * kernels at start. Prints every setting with its numbers, then best against best and one thread
 * against one thread per OPENBLAS_CORETYPE, and the MFU against the processor's derived peak beside
 * the measured matmul.
 *
 * <p>Usage: {@code bench/run ModelBench [--models small,wide] [--batch 16] [--steps 10] [--threads
 * 1x1,2x1,1x2,2x2] [--coretypes unset,Haswell] [--blas pthreads,openmp] [--sides dl4j,torch]
 * [--rounds 1] [--ghz G] [--fma-units 2]}. With rounds, the sweep repeats with the settings in turn
 * and the ratios compare each side's best round. Threads are "FxB": framework threads (ND4J OpenMP
 * / torch.set_num_threads) x OpenBLAS threads; blas is the OpenBLAS build (pthreads, or the
 * system's OpenMP build on both sides). {@code wide} is {@code small} at 6 layers x 512 (8 heads,
 * ffn 2048).
 */
public final class ModelBench {
  private static final Path TORCH_SCRIPT = Path.of("bench/model/torch_gpt.py");

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--one")) {
      Dl4jModelRun.run(
          model(args[1]),
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Arrays.asList(args).subList(4, args.length));
      return;
    }
    Map<String, String> o = options(args);
    List<String> models = List.of(o.get("models").split(","));
    models.forEach(ModelBench::model); // unknown names fail before any run
    int batch = Integer.parseInt(o.get("batch"));
    int steps = Integer.parseInt(o.get("steps"));
    int rounds = Integer.parseInt(o.get("rounds"));
    if (rounds < 1) throw new IllegalArgumentException("ModelBench: --rounds must be >= 1");
    List<String> sides = new ArrayList<>();
    for (String s : o.get("sides").split(",")) {
      if (!s.equals("dl4j") && !s.equals("torch")) throw new IllegalArgumentException("side " + s);
      sides.add(s.equals("dl4j") ? ThreadSweep.DL4J : ThreadSweep.TORCH);
    }
    List<String> openmpOptions = ThreadSweep.openmpJvmOptions();
    List<String> blases = new ArrayList<>(List.of(o.get("blas").split(",")));
    if (blases.contains(ThreadSweep.OPENMP) && openmpOptions.isEmpty()) {
      System.out.println(
          "note: no OpenMP OpenBLAS on this system (apt-get install libopenblas0-openmp):"
              + " pthreads only");
      blases.remove(ThreadSweep.OPENMP);
    }
    List<Setting> settings =
        ThreadSweep.settings(
            sides,
            List.of(o.get("coretypes").split(",")),
            blases,
            List.of(o.get("threads").split(",")));
    CpuPeak peak =
        CpuPeak.ofThisMachine(
            Double.parseDouble(o.get("ghz")), Integer.parseInt(o.get("fma-units")));
    System.out.println(peak.derivation());
    if (sides.contains(ThreadSweep.TORCH)) TorchRun.ensureInstalled(TORCH_SCRIPT);
    for (String name : models) {
      GptConfig c = model(name);
      System.out.printf(
          "%nmodel=%s params=%,d layers=%d d=%d batch=%d T=%d steps=%d (%.1f MFLOP/token"
              + " training: 6N + 12LdT)%n",
          name,
          c.parameterCount(),
          c.getLayers(),
          c.getDModel(),
          batch,
          c.getContextLength(),
          steps,
          c.trainingFlopsPerToken() / 1e6);
      System.out.printf(
          "%-44s %12s %12s %10s %9s%n",
          "setting", "train tok/s", "fwd tok/s", "matmul GF", "MFU " + peak.cores() + "c");
      List<Result> results = new ArrayList<>(); // every round's: the summary takes the best
      boolean first = true;
      for (int round = 1; round <= rounds; round++) {
        if (rounds > 1) System.out.printf("round %d of %d%n", round, rounds);
        for (Setting s : settings) {
          Result r =
              measure(
                  s,
                  name,
                  c,
                  batch,
                  steps,
                  first && s.side().equals(ThreadSweep.DL4J),
                  openmpOptions);
          first &= !s.side().equals(ThreadSweep.DL4J);
          if (r == null) continue;
          results.add(r);
          System.out.printf(
              "%-44s %,12.0f %,12.0f %10.1f %8.1f%%%n",
              s.label(),
              r.trainTps(),
              r.forwardTps(),
              r.matmulGflops(),
              100 * c.trainingFlopsPerToken() * r.trainTps() / 1e9 / peak.gflops(peak.cores()));
        }
      }
      for (Result r : results) {
        int used = Math.max(r.setting().frameworkThreads(), r.setting().blasThreads());
        if (r.matmulGflops() > peak.gflops(used)) {
          System.out.printf(
              "note: %s measured a %.1f GFLOP/s matmul, above the derived %.1f GFLOP/s of %d"
                  + " core(s): the clock runs above /proc/cpuinfo's (turbo) or the core does more"
                  + " FLOP/cycle than assumed; see --ghz and --fma-units%n",
              r.setting().label().replaceAll("\\s+", " "),
              r.matmulGflops(),
              peak.gflops(used),
              Math.min(used, peak.cores()));
        }
      }
      summary(results, new LinkedHashSet<>(List.of(o.get("coretypes").split(","))), c, peak);
    }
  }

  private static void summary(
      List<Result> results, LinkedHashSet<String> coretypes, GptConfig c, CpuPeak peak) {
    System.out.println("ratios DL4J / PyTorch (targets: train >= 0.8x, forward >= 1.0x):");
    String all =
        ThreadSweep.compare(
            "best vs best",
            ThreadSweep.best(results, ThreadSweep.DL4J, null),
            ThreadSweep.best(results, ThreadSweep.TORCH, null));
    if (all != null) System.out.println("  " + all);
    String forward =
        ThreadSweep.compare(
            "best forward vs best",
            ThreadSweep.bestForward(results, ThreadSweep.DL4J),
            ThreadSweep.bestForward(results, ThreadSweep.TORCH));
    if (forward != null) System.out.println("  " + forward);
    for (String ct : coretypes) {
      for (String line :
          new String[] {
            ThreadSweep.compare(
                "best, coretype=" + ct,
                ThreadSweep.best(results, ThreadSweep.DL4J, ct),
                ThreadSweep.best(results, ThreadSweep.TORCH, ct)),
            ThreadSweep.compare(
                "1 thread, coretype=" + ct,
                ThreadSweep.oneThread(results, ThreadSweep.DL4J, ct),
                ThreadSweep.oneThread(results, ThreadSweep.TORCH, ct))
          }) {
        if (line != null) System.out.println("  " + line);
      }
    }
    ThreadSweep.best(results, ThreadSweep.DL4J, null)
        .ifPresent(
            r ->
                System.out.printf(
                    "MFU of the best DL4J setting: %.1f GFLOP/s = %.1f%% of the derived %.1f"
                        + " GFLOP/s peak; %.1f%% of its measured matmul (%.1f GFLOP/s)%n",
                    c.trainingFlopsPerToken() * r.trainTps() / 1e9,
                    100
                        * c.trainingFlopsPerToken()
                        * r.trainTps()
                        / 1e9
                        / peak.gflops(peak.cores()),
                    peak.gflops(peak.cores()),
                    100 * c.trainingFlopsPerToken() * r.trainTps() / 1e9 / r.matmulGflops(),
                    r.matmulGflops()));
  }

  /**
   * Warm-up of each measurement on both sides, before the timed steps: at least this many steps
   * (training) or passes (forward) and this many seconds. DL4J's steps keep getting faster for ~30
   * steps while the JIT compiles (Dl4jModelRun.warmUp); PyTorch's are steady after 2.
   */
  static final int WARMUP_STEPS = 32;

  static final int WARMUP_SECONDS = 20;

  /** {@code small}, {@code wide} (small at 6 x 512) or any GptConfig preset; dropout 0.1. */
  static GptConfig model(String name) {
    GptConfig c =
        name.equals("wide")
            ? GptConfig.small().setLayers(6).setDModel(512).setHeads(8).setFfnSize(2048)
            : GptConfig.preset(name);
    return c.setDropout(0.1).validate();
  }

  private static Result measure(
      Setting s,
      String name,
      GptConfig c,
      int batch,
      int steps,
      boolean generate,
      List<String> openmpOptions)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    boolean openmp = s.blas().equals(ThreadSweep.OPENMP);
    if (s.side().equals(ThreadSweep.DL4J)) {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> !ThreadSweep.isBlasJvmOption(a))
          .forEach(cmd::add);
      if (openmp) cmd.addAll(openmpOptions);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelBench.class.getName()));
      cmd.addAll(List.of("--one", name, "" + batch, "" + steps));
      if (generate) cmd.add("--generate");
    } else {
      cmd.addAll(TorchRun.command(TORCH_SCRIPT, c, batch, steps, s.frameworkThreads()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    String openmpDirs =
        openmpOptions.stream()
            .filter(a -> a.startsWith("-Djava.library.path="))
            .map(a -> a.substring("-Djava.library.path=".length()))
            .findFirst()
            .orElse(null);
    s.applyTo(pb.environment(), openmpDirs);
    Process p = pb.start();
    double[] out = null;
    List<String> log = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        log.add(line);
        if (line.startsWith("RESULT ")) {
          out =
              Arrays.stream(line.substring(7).trim().split(" "))
                  .mapToDouble(Double::parseDouble)
                  .toArray();
        } else if (line.startsWith("NOTE ")) {
          System.out.println("    " + line.substring(5));
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || out == null || out.length < 3) {
      System.out.println("  " + s.label() + ": failed (exit " + rc + "), last lines:");
      log.subList(Math.max(0, log.size() - 15), log.size())
          .forEach(l -> System.out.println("    " + l));
      return null;
    }
    return new Result(s, out[0], out[1], out[2]);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    o.put("models", "small,wide");
    o.put("batch", "16");
    o.put("steps", "10");
    o.put("rounds", "1");
    o.put("threads", "1x1,2x1,1x2,2x2");
    // The environment's value (this machine's images set Haswell) against OpenBLAS's own detection.
    o.put(
        "coretypes",
        ThreadSweep.UNSET + "," + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "Haswell"));
    o.put("sides", "dl4j,torch");
    o.put("blas", ThreadSweep.PTHREADS + "," + ThreadSweep.OPENMP);
    o.put("ghz", "0");
    o.put("fma-units", "" + CpuPeak.DEFAULT_FMA_UNITS);
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(
          "bench/run ModelBench [--models small,wide] [--batch 16] [--steps 10] [--threads"
              + " 1x1,2x1,1x2,2x2] [--coretypes unset,<environment's>] [--blas pthreads,openmp]"
              + " [--sides dl4j,torch] [--rounds 1] [--ghz G (clock for the derived peak; default"
              + " /proc/cpuinfo's)] [--fma-units 2]\n"
              + "rounds: the sweep runs this many times, settings in turn, and the ratios compare"
              + " each side's best round: a machine whose speed moves between processes then"
              + " gives each side more than one chance\n"
              + "threads FxB: framework threads (ND4J OpenMP / torch.set_num_threads) x OpenBLAS"
              + " threads; coretypes: OPENBLAS_CORETYPE values, 'unset' removes it; blas: the"
              + " pthreads OpenBLAS (ND4J's bundled, Debian's for PyTorch) and the system's OpenMP"
              + " build (deploy/blas), on both sides");
      System.exit(0);
    }
    putOptions("ModelBench", o, args);
    if (!Files.exists(TORCH_SCRIPT) && o.get("sides").contains("torch")) {
      throw new IllegalArgumentException(TORCH_SCRIPT + " not found: run from the repository root");
    }
    return o;
  }

  /**
   * Overrides {@code defaults} with {@code --key value} pairs; an unknown key or a missing value is
   * an IllegalArgumentException naming it.
   */
  static void putOptions(String bench, Map<String, String> defaults, String[] args) {
    for (int i = 0; i < args.length; i += 2) {
      String key = args[i].replaceFirst("^--", "");
      if (!defaults.containsKey(key) || i + 1 >= args.length) {
        throw new IllegalArgumentException(bench + ": unknown option or missing value: " + args[i]);
      }
      defaults.put(key, args[i + 1]);
    }
  }
}
