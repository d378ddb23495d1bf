package io.github.sparkgpt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The processor's float32 peak, derived from /proc/cpuinfo: cores x clock x FLOPs per cycle, where
 * FLOPs per cycle = vector lanes (from the widest of avx512f / avx / sse flags) x 2 if the fma flag
 * is present x FMA units per core. The FMA unit count and the sustained clock are not in
 * /proc/cpuinfo: they are assumptions, printed as such and overridable.
 */
public final class CpuPeak {
  /** Two FMA pipes per core: true of recent x86 server cores (Intel since Haswell, AMD Zen). */
  public static final int DEFAULT_FMA_UNITS = 2;

  private final String model;
  private final int cores;
  private final double ghz;
  private final int lanes;
  private final String widest;
  private final boolean fma;
  private final int fmaUnits;

  private CpuPeak(
      String model, int cores, double ghz, int lanes, String widest, boolean fma, int fmaUnits) {
    if (cores < 1 || !(ghz > 0) || fmaUnits < 1) {
      throw new IllegalArgumentException(
          "cpu peak needs cores >= 1, clock > 0 and fma units >= 1, got "
              + cores
              + ", "
              + ghz
              + ", "
              + fmaUnits);
    }
    this.model = model;
    this.cores = cores;
    this.ghz = ghz;
    this.lanes = lanes;
    this.widest = widest;
    this.fma = fma;
    this.fmaUnits = fmaUnits;
  }

  /** This machine: /proc/cpuinfo, clock overridden when {@code ghz > 0}. */
  public static CpuPeak ofThisMachine(double ghz, int fmaUnits) throws IOException {
    return parse(Files.readString(Path.of("/proc/cpuinfo")), ghz, fmaUnits);
  }

  /**
   * From the text of /proc/cpuinfo: one "processor" entry per logical CPU, the "cpu MHz" of the
   * first (unless {@code ghz > 0} overrides it) and its "flags".
   */
  public static CpuPeak parse(String cpuinfo, double ghz, int fmaUnits) {
    int cores = 0;
    double mhz = 0;
    String model = "?";
    Set<String> flags = new HashSet<>();
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("processor")) cores++;
      else if (key.equals("cpu MHz") && mhz == 0) mhz = Double.parseDouble(value);
      else if (key.equals("model name") && model.equals("?")) model = value;
      else if (key.equals("flags") && flags.isEmpty())
        flags.addAll(Arrays.asList(value.split(" ")));
    }
    int lanes = flags.contains("avx512f") ? 16 : flags.contains("avx") ? 8 : 4;
    String widest = lanes == 16 ? "avx512f" : lanes == 8 ? "avx" : "sse";
    return new CpuPeak(
        model, cores, ghz > 0 ? ghz : mhz / 1000, lanes, widest, flags.contains("fma"), fmaUnits);
  }

  public int cores() {
    return cores;
  }

  /** FLOPs per cycle per core: lanes x (2 with FMA) x FMA units. */
  public int flopsPerCycle() {
    return lanes * (fma ? 2 : 1) * fmaUnits;
  }

  /** Peak GFLOP/s of {@code n} cores (capped at the machine's). */
  public double gflops(int n) {
    return Math.min(n, cores) * ghz * flopsPerCycle();
  }

  /** The derivation, one line, with its assumptions named. */
  public String derivation() {
    return String.format(
        Locale.ROOT,
        "cpu peak (float32): %d cores x %.2f GHz x %d FLOP/cycle (%d lanes from %s x %d for fma x"
            + " %d FMA units) = %.1f GFLOP/s [%s; assumed: the clock is /proc/cpuinfo's (no"
            + " turbo, no AVX-512 down-clocking) and %d FMA units per core, which no flag reports]",
        cores,
        ghz,
        flopsPerCycle(),
        lanes,
        widest,
        fma ? 2 : 1,
        fmaUnits,
        gflops(cores),
        model,
        fmaUnits);
  }
}
