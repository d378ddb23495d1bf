package io.github.sparkgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuPeakTest {
  private static String cpuinfo(String flags) {
    String one =
        "model name\t: Test CPU\ncpu MHz\t\t: 2600.000\nflags\t\t: fpu sse sse2 " + flags + "\n\n";
    return "processor\t: 0\n" + one + "processor\t: 1\n" + one;
  }

  @Test
  void avx512WithFmaIs64FlopsPerCyclePerCoreWithTwoUnits() {
    CpuPeak p = CpuPeak.parse(cpuinfo("avx avx2 fma avx512f"), 0, 2);
    assertEquals(2, p.cores());
    assertEquals(16 * 2 * 2, p.flopsPerCycle());
    assertEquals(2 * 2.6 * 64, p.gflops(2), 1e-9);
    assertEquals(2.6 * 64, p.gflops(1), 1e-9);
    assertEquals(p.gflops(2), p.gflops(8), 1e-9); // capped at the machine's cores
    assertTrue(p.derivation().contains("assumed"), p.derivation());
  }

  @Test
  void narrowerVectorsAndNoFmaLowerThePeak() {
    assertEquals(8 * 2 * 2, CpuPeak.parse(cpuinfo("avx avx2 fma"), 0, 2).flopsPerCycle());
    assertEquals(8 * 1 * 2, CpuPeak.parse(cpuinfo("avx"), 0, 2).flopsPerCycle());
    assertEquals(4 * 1 * 1, CpuPeak.parse(cpuinfo(""), 0, 1).flopsPerCycle());
  }

  @Test
  void clockOverrideReplacesTheReportedOne() {
    assertEquals(2 * 3.0 * 64, CpuPeak.parse(cpuinfo("avx512f fma"), 3.0, 2).gflops(2), 1e-9);
  }

  @Test
  void refusesAnUnusableDescription() {
    assertThrows(IllegalArgumentException.class, () -> CpuPeak.parse("", 0, 2));
    assertThrows(IllegalArgumentException.class, () -> CpuPeak.parse(cpuinfo("fma"), 0, 0));
  }
}
