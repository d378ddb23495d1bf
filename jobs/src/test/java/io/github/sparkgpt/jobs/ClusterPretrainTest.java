package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrain job on a real standalone cluster: deploy/cluster starts a master and two workers (separate JVMs,
 * 1 core each) on free ports; this JVM is the driver (client mode) and the workers launch two executor JVMs.
 *
 * <p>Instead of shipping the 260 MB application jar (mvn -Papp, too slow to build for every test run), the
 * executors put this test's own classpath on theirs (spark.executor.extraClassPath): they run on the same machine,
 * so the paths resolve. deploy/submit against spark:// and bench/cluster-bench exercise the shipped jar.
 */
class ClusterPretrainTest {
  @TempDir static Path dir;
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();   // surefire runs in jobs/
  static Map<String, String> env;
  static int masterPort;
  static int uiPort;

  /** Records which executor ran each task of the driver's jobs (registered through spark.extraListeners). */
  public static final class TaskExecutors extends SparkListener {
    static final Set<String> IDS = ConcurrentHashMap.newKeySet();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskInfo() != null && end.taskInfo().successful()) IDS.add(end.taskInfo().executorId());
    }
  }

  @BeforeAll
  static void startCluster() throws Exception {
    int[] ports = freePorts(2);
    masterPort = ports[0];
    uiPort = ports[1];
    env = Map.of("SPARKGPT_CLUSTER_DIR", dir.resolve("cluster").toString(),
        "SPARKGPT_MASTER_PORT", String.valueOf(masterPort), "SPARKGPT_MASTER_UI_PORT", String.valueOf(uiPort),
        "SPARKGPT_WORKER_UI_PORT", String.valueOf(freePair()));         // the workers' UIs: this port and the next
    String out = cluster("start", "--workers", "2", "--cores", "1", "--memory", "2g");
    assertTrue(out.contains("2 worker(s) x 1 core(s) x 2g registered"), out);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (env != null) System.out.print(cluster("stop"));
  }

  @Test
  void pretrainsOnTwoExecutorsOfTwoWorkers() throws Exception {
    new SyntheticCorpus().write(dir.resolve("in"), 20, 5);
    Path data = dir.resolve("data");
    assertEquals(0, PreprocessJob.run("--master", "local[2]", "--input", dir.resolve("in").toString(),
        "--output", data.toString(), "--vocab-size", "320", "--context-length", "16", "--validation-fraction", "0.2"));

    Map<String, String> conf = new TreeMap<>(Map.of(
        "spark.driver.host", "127.0.0.1",
        "spark.executor.memory", "1g",
        "spark.executor.cores", "1",
        "spark.cores.max", "2",
        "spark.executor.extraClassPath", executorClassPath(),
        "spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g",
        "spark.scheduler.minRegisteredResourcesRatio", "1.0",
        "spark.extraListeners", TaskExecutors.class.getName()));
    conf.forEach(System::setProperty);          // SparkSessions.create reads spark.* system properties
    Path run = dir.resolve("run");
    int exit;
    try {
      exit = PretrainJob.run("--master", "spark://127.0.0.1:" + masterPort, "--data", data.toString(),
          "--output", run.toString(), "--model", "tiny", "--workers", "2", "--batch-size", "8",
          "--averaging-frequency", "2", "--learning-rate", "5e-3", "--max-steps", "12",
          "--set", "warmup_steps=2", "--set", "validation_interval=12", "--set", "validation_sequences=32",
          "--set", "checkpoint_interval=12");
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
    assertEquals(0, exit);

    List<JsonNode> m = PretrainJobTest.metrics(run);
    double before = m.get(0).path("val_loss").asDouble();
    double after = m.get(m.size() - 1).path("val_loss").asDouble();
    assertEquals(12, m.get(m.size() - 1).path("step").asLong());
    assertTrue(after < before - 0.3, "validation loss falls: " + before + " -> " + after);

    // Tasks ran on two executors, and the two executors were launched one by each worker.
    assertEquals(2, TaskExecutors.IDS.size(), "executors that ran tasks: " + TaskExecutors.IDS);
    Path state = dir.resolve("cluster").resolve("sparkgpt-cluster");
    for (String w : List.of("worker-1", "worker-2")) {
      List<Path> executors = executorDirs(state.resolve(w).resolve("work"));
      assertEquals(1, executors.size(), w + " launched " + executors);
    }
    JsonNode master = new ObjectMapper().readTree(URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL());
    assertEquals(2, master.path("aliveworkers").asInt());
    List<String> apps = new ArrayList<>();
    master.path("completedapps").forEach(a -> apps.add(a.path("name").asText()));
    assertEquals(List.of("sparkgpt-pretrain"), apps);
  }

  /** This JVM's classpath minus the jars the workers already have (SPARK_HOME/jars holds Spark's, by file name). */
  static String executorClassPath() throws IOException {
    Set<String> spark;
    try (Stream<Path> s = Files.list(ROOT.resolve("deploy/.spark-home/jars"))) {
      spark = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(cp.split(File.pathSeparator))
        .filter(e -> !spark.contains(Path.of(e).getFileName().toString()))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** work/app-ID/EXECUTOR-ID directories a worker made for the executors it launched. */
  static List<Path> executorDirs(Path work) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> apps = Files.list(work)) {
      for (Path app : apps.filter(Files::isDirectory).toList()) {
        try (Stream<Path> ex = Files.list(app)) {
          ex.filter(Files::isDirectory).forEach(out::add);
        }
      }
    }
    return out;
  }

  static String cluster(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("deploy/cluster").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "deploy/cluster " + String.join(" ", args) + " timed out");
    assertEquals(0, p.exitValue(), "deploy/cluster " + String.join(" ", args) + ":\n" + out);
    return out;
  }

  static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) if (s != null) s.close();
    }
    return ports;
  }

  /** A free port whose successor is free too. */
  static int freePair() throws IOException {
    for (int i = 0; i < 20; i++) {
      int p = freePorts(1)[0];
      if (p < 65535 && isFree(p + 1)) return p;
    }
    throw new IOException("no two adjacent free ports found");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
