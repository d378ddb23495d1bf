package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/cluster deletes only its own state; deploy/submit binds the driver to loopback only for
 * local masters.
 */
class DeployScriptsTest {
  static final Path DEPLOY = Path.of("..", "deploy");

  record Result(int exit, String out, String err) {}

  static Result bash(Map<String, String> env, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", DEPLOY.resolve(script).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " timed out");
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void clusterRefusesToDeleteAStateDirectoryItDidNotCreate(@TempDir Path home) throws Exception {
    // SPARKGPT_CLUSTER_DIR pointed at someone's home, which even has a directory named like the
    // script's own
    Files.writeString(home.resolve("thesis.tex"), "years of work");
    Path lookalike = Files.createDirectories(home.resolve("sparkgpt-cluster"));
    Files.writeString(lookalike.resolve("notes.txt"), "mine");
    Map<String, String> env =
        Map.of("SPARKGPT_CLUSTER_DIR", home.toString(), "SPARKGPT_MASTER_PORT", "7399");
    Result start = bash(env, "cluster", "start", "--workers", "1");
    assertEquals(2, start.exit(), start.err());
    assertTrue(
        start.err().contains(lookalike + " exists but deploy/cluster did not create it"),
        start.err());
    assertEquals(1, start.err().strip().lines().count(), start.err());
    Result stop = bash(env, "cluster", "stop");
    assertEquals(0, stop.exit(), stop.err());
    assertTrue(stop.out().contains("not running"), stop.out());
    assertEquals("years of work", Files.readString(home.resolve("thesis.tex")));
    assertEquals("mine", Files.readString(lookalike.resolve("notes.txt")));
    try (var listing = Files.list(lookalike)) {
      assertEquals(1, listing.count(), "nothing added either");
    }
  }

  @Test
  void submitBindsTheDriverToLoopbackOnlyForLocalMastersAndKeepsJavaOptsIntact() throws Exception {
    Map<String, String> env =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "SPARKGPT_JAVA_OPTS", " -Da=1   -Db=*  -Dc=? ");
    for (String master :
        List.of("local[*]", "local[2,3]", "spark://127.0.0.1:7077", "spark://localhost:7077")) {
      List<String> cmd =
          bash(env, "submit", "pretrain", "--master", master, "--output", "o")
              .out()
              .lines()
              .toList();
      assertTrue(cmd.contains("spark.driver.host=127.0.0.1"), master + ": " + cmd);
    }
    Result remote =
        bash(env, "submit", "pretrain", "--master", "spark://10.1.2.3:7077", "--output", "a b");
    List<String> cmd = remote.out().lines().toList();
    assertEquals(0, remote.exit(), remote.err());
    assertFalse(cmd.stream().anyMatch(a -> a.startsWith("spark.driver.host")), cmd.toString());
    int a = cmd.indexOf("-Da=1");
    assertTrue(a > 0, cmd.toString());
    assertEquals(
        List.of("-Da=1", "-Db=*", "-Dc=?"),
        cmd.subList(a, a + 3),
        "split on spaces, never globbed");
    assertEquals("a b", cmd.get(cmd.size() - 1), "job arguments keep their spaces");
    // an explicit loopback address still pins the driver there
    Map<String, String> loopback =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "SPARK_LOCAL_IP", "127.0.0.1");
    assertTrue(
        bash(loopback, "submit", "pretrain", "--master", "spark://10.1.2.3:7077")
            .out()
            .lines()
            .anyMatch("spark.driver.host=127.0.0.1"::equals));
  }

  @Test
  void submitGivesEachLocalTaskItsShareOfTheCoresUnlessThreadsAreSet() throws Exception {
    Map<String, String> env = Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1");
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores + "", threads(bash(env, "submit", "pretrain", "--master", "local[1]")));
    assertEquals("1", threads(bash(env, "submit", "finetune", "--master", "local[1000,4]")));
    assertEquals("1", threads(bash(env, "submit", "sft", "--master", "local[*]")));
    assertEquals(
        "", threads(bash(env, "submit", "fewshot")), "one-machine commands keep all cores");
    assertEquals("", threads(bash(env, "submit", "pretrain", "--master", "spark://10.1.2.3:7077")));
    Map<String, String> pinned = Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "OMP_NUM_THREADS", "3");
    assertEquals("3", threads(bash(pinned, "submit", "pretrain", "--master", "local[2]")));
  }

  @Test
  void submitLetsOpenBlasThreadsSleepAfterEachCallUnlessSet() throws Exception {
    Map<String, String> env = Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1");
    Result r = bash(env, "submit", "pretrain", "--master", "spark://10.1.2.3:7077");
    assertTrue(r.err().contains("OPENBLAS_THREAD_TIMEOUT=4"), r.err());
    assertTrue(r.out().lines().anyMatch("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT=4"::equals));
    Map<String, String> set =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "OPENBLAS_THREAD_TIMEOUT", "9");
    Result kept = bash(set, "submit", "pretrain", "--master", "local[2]");
    assertTrue(kept.err().contains("OPENBLAS_THREAD_TIMEOUT=9"), kept.err());
    assertFalse(kept.out().contains("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT"), kept.out());
  }

  @Test
  void submitUsesAnOpenMpOpenBlasOnlyWhereItIsKnownToExist() throws Exception {
    Map<String, String> env = Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1");
    Result blas = bash(env, "blas", "auto");
    assertEquals(0, blas.exit(), blas.err());
    List<String> options = blas.out().lines().toList(); // empty where none is installed
    Result here = bash(env, "submit", "pretrain", "--master", "local[2]");
    String executor =
        here.out()
            .lines()
            .filter(l -> l.startsWith("spark.executor.extraJavaOptions="))
            .findFirst()
            .orElseThrow();
    for (String o : options) {
      assertTrue(here.out().lines().anyMatch(o::equals), "driver JVM option " + o);
      assertTrue(List.of(executor.split(" ")).contains(o), executor);
    }
    // SparkConf refuses executor JVM options that contain "-Dspark" anywhere, ours included
    assertFalse(executor.contains("-Dspark"), executor);
    Result remote = bash(env, "submit", "pretrain", "--master", "spark://10.1.2.3:7077");
    assertFalse(remote.out().contains("openblas.load"), "auto: a remote worker may not have it");
    Map<String, String> bundled =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "SPARKGPT_BLAS", "bundled");
    assertFalse(bash(bundled, "submit", "pretrain").out().contains("openblas.load"));
    Map<String, String> missing =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "SPARKGPT_BLAS", "/no/such/dir");
    Result refused = bash(missing, "submit", "pretrain");
    assertNotEquals(0, refused.exit());
    assertEquals("blas: no libopenblas.so.0 in /no/such/dir", refused.err().strip());
    // a pthreads build is refused: it would bring back the second thread pool
    Path pthreads = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread");
    if (Files.exists(pthreads.resolve("libopenblas.so.0"))) {
      Result r = bash(env, "blas", pthreads.toString());
      assertNotEquals(0, r.exit());
      assertTrue(r.err().contains("is not an OpenMP build"), r.err());
    }
  }

  private static String threads(Result dryRun) {
    return dryRun.err().replaceAll("(?s).*OMP_NUM_THREADS=(\\S*).*", "$1");
  }

  @Test
  void submitPicksTheOpenBlasCoreTypeOnlyWhenEveryJvmRunsHere() throws Exception {
    Map<String, String> zen =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "SPARKGPT_OPENBLAS_CORETYPE", "Zen");
    Result local = bash(zen, "submit", "pretrain", "--master", "local[2]", "--output", "o");
    assertTrue(local.err().contains("env OPENBLAS_CORETYPE=Zen"), local.err());
    assertTrue(local.out().lines().anyMatch("spark.executorEnv.OPENBLAS_CORETYPE=Zen"::equals));
    Map<String, String> keep =
        Map.of(
            "SPARKGPT_SUBMIT_DRY_RUN", "1",
            "SPARKGPT_OPENBLAS_CORETYPE", "keep",
            "OPENBLAS_CORETYPE", "Haswell");
    Result kept = bash(keep, "submit", "pretrain", "--master", "local[2]", "--output", "o");
    assertTrue(kept.err().contains("env OPENBLAS_CORETYPE=Haswell"), kept.err());
    assertFalse(kept.out().contains("spark.executorEnv.OPENBLAS_CORETYPE"), kept.out());
    // auto: a remote master's executors may run on other CPUs, so the environment's stays
    Map<String, String> auto =
        Map.of("SPARKGPT_SUBMIT_DRY_RUN", "1", "OPENBLAS_CORETYPE", "Haswell");
    Result remote =
        bash(auto, "submit", "pretrain", "--master", "spark://10.1.2.3:7077", "--output", "o");
    assertTrue(remote.err().contains("env OPENBLAS_CORETYPE=Haswell"), remote.err());
    Path cpuinfo = Path.of("/proc/cpuinfo");
    boolean avx512 = Files.exists(cpuinfo) && Files.readString(cpuinfo).contains(" avx512f");
    Result here = bash(auto, "submit", "pretrain", "--master", "local[2]", "--output", "o");
    String want = avx512 ? "SkylakeX" : "Haswell";
    assertTrue(here.err().contains("env OPENBLAS_CORETYPE=" + want), here.err());
  }
}
