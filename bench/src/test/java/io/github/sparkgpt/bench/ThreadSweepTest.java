package io.github.sparkgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.bench.ThreadSweep.Result;
import io.github.sparkgpt.bench.ThreadSweep.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThreadSweepTest {
  private static final String D = ThreadSweep.DL4J;
  private static final String T = ThreadSweep.TORCH;

  @Test
  void settingsCoverEverySideCoretypeAndPair() {
    List<Setting> s =
        ThreadSweep.settings(List.of(D, T), List.of("unset", "Haswell"), List.of("1x1", "2x1"));
    assertEquals(8, s.size());
    assertEquals(new Setting(D, "unset", 1, 1), s.get(0));
    assertEquals(new Setting(T, "Haswell", 2, 1), s.get(7));
    assertThrows(
        IllegalArgumentException.class,
        () -> ThreadSweep.settings(List.of(D), List.of("unset"), List.of("2")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ThreadSweep.settings(List.of(D), List.of("unset"), List.of("0x1")));
  }

  @Test
  void blasBuildsMultiplyTheSettingsAndOpenmpPutsItsLibraryFirstForPyTorch() {
    List<Setting> s =
        ThreadSweep.settings(
            List.of(D, T),
            List.of("SkylakeX"),
            List.of(ThreadSweep.PTHREADS, ThreadSweep.OPENMP),
            List.of("1x1", "2x2"));
    assertEquals(8, s.size());
    assertEquals(new Setting(D, "SkylakeX", ThreadSweep.OPENMP, 1, 1), s.get(2));
    assertThrows(IllegalArgumentException.class, () -> new Setting(D, "unset", "mkl", 1, 1));
    Map<String, String> env = new HashMap<>();
    new Setting(T, "SkylakeX", ThreadSweep.OPENMP, 2, 1).applyTo(env, "/omp:/gomp");
    assertEquals("/omp:/gomp", env.get("LD_LIBRARY_PATH"));
    Map<String, String> dl4j = new HashMap<>();
    new Setting(D, "SkylakeX", ThreadSweep.OPENMP, 2, 1).applyTo(dl4j, "/omp:/gomp");
    assertFalse(dl4j.containsKey("LD_LIBRARY_PATH"), "DL4J gets JVM options instead");
    assertTrue(ThreadSweep.isBlasJvmOption("-Djava.library.path=/omp"));
    assertFalse(ThreadSweep.isBlasJvmOption("-Xmx6g"));
  }

  @Test
  void unsetRemovesTheCoretypeAndThreadsAreSet() {
    Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell"));
    new Setting(T, ThreadSweep.UNSET, 1, 2).applyTo(env);
    assertFalse(env.containsKey("OPENBLAS_CORETYPE"));
    assertEquals("1", env.get("OMP_NUM_THREADS"));
    assertEquals("2", env.get("OPENBLAS_NUM_THREADS"));
    assertFalse(env.containsKey("OPENBLAS_THREAD_TIMEOUT"), "PyTorch keeps OpenBLAS's default");
    new Setting(D, "SkylakeX", 2, 1).applyTo(env);
    assertEquals("SkylakeX", env.get("OPENBLAS_CORETYPE"));
    assertEquals("4", env.get("OPENBLAS_THREAD_TIMEOUT"), "DL4J runs as deploy/submit runs it");
  }

  @Test
  void bestPairsTheFastestOfEachSideAndOneThreadPairsOneByOne() {
    List<Result> r =
        List.of(
            new Result(new Setting(D, "unset", 1, 1), 100, 400, 50),
            new Result(new Setting(D, "unset", 2, 1), 150, 500, 60),
            new Result(new Setting(D, "Haswell", 2, 2), 120, 450, 40),
            new Result(new Setting(T, "unset", 1, 1), 200, 400, 90),
            new Result(new Setting(T, "unset", 1, 2), 300, 600, 100),
            new Result(new Setting(T, "Haswell", 1, 1), 180, 350, 55));
    assertEquals(150, ThreadSweep.best(r, D, null).orElseThrow().trainTps());
    assertEquals(120, ThreadSweep.best(r, D, "Haswell").orElseThrow().trainTps());
    assertEquals(300, ThreadSweep.best(r, T, "unset").orElseThrow().trainTps());
    assertEquals(500, ThreadSweep.bestForward(r, D).orElseThrow().forwardTps());
    assertEquals(1, ThreadSweep.bestForward(r, T).orElseThrow().setting().frameworkThreads());
    assertEquals(100, ThreadSweep.oneThread(r, D, "unset").orElseThrow().trainTps());
    assertTrue(ThreadSweep.oneThread(r, D, "Haswell").isEmpty());
    String line =
        ThreadSweep.compare("best", ThreadSweep.best(r, D, null), ThreadSweep.best(r, T, null));
    assertTrue(line.contains("train 0.50x") && line.contains("forward 0.83x"), line);
    assertTrue(line.contains("omp=2 blas=1") && line.contains("torch=1 blas=2"), line);
    assertNull(ThreadSweep.compare("x", Optional.empty(), ThreadSweep.best(r, T, null)));
  }
}
