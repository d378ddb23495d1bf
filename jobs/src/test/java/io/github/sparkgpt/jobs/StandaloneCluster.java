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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Spark standalone cluster for tests: deploy/cluster starts a master and two workers
 * (separate JVMs, 1 core each) on free ports; the test JVM is the driver (client mode) and the
 * workers launch the executor JVMs.
 *
 * <p>One cluster serves every test class of the run (it starts on first use and stops when the run
 * ends), through {@code @ExtendWith(StandaloneCluster.Shared.class)} and a {@code
 * StandaloneCluster} parameter of a {@code @BeforeAll} or test method.
 *
 * <p>Instead of shipping the 260 MB application jar (mvn -Papp, too slow to build for every test
 * run), the executors put this test's own classpath on theirs (spark.executor.extraClassPath): they
 * run on the same machine, so the paths resolve. deploy/submit against spark:// and
 * bench/cluster-bench exercise the shipped jar.
 */
final class StandaloneCluster implements ExtensionContext.Store.CloseableResource {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent(); // surefire runs in jobs/
  static final int WORKERS = 2;
  static final String WORKER_MEMORY = "2g";
  static final String EXECUTOR_MEMORY = "1g";

  private final Path dir;
  private final Map<String, String> env;
  private final int masterPort;
  private final int uiPort;

  /** Resolves {@code StandaloneCluster} parameters to the run's one cluster. */
  static final class Shared implements ParameterResolver {
    private static final ExtensionContext.Namespace NS =
        ExtensionContext.Namespace.create(StandaloneCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
      return p.getParameter().getType() == StandaloneCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
      return c.getRoot()
          .getStore(NS)
          .getOrComputeIfAbsent(
              "cluster",
              k -> {
                try {
                  return start();
                } catch (Exception e) {
                  throw new IllegalStateException(
                      "could not start the standalone cluster: " + e.getMessage(), e);
                }
              },
              StandaloneCluster.class);
    }
  }

  private StandaloneCluster(Path dir, Map<String, String> env, int masterPort, int uiPort) {
    this.dir = dir;
    this.env = env;
    this.masterPort = masterPort;
    this.uiPort = uiPort;
  }

  static StandaloneCluster start() throws Exception {
    Path dir = Files.createTempDirectory("sparkgpt-cluster-");
    int[] ports = freePorts(2);
    Map<String, String> env =
        Map.of(
            "SPARKGPT_CLUSTER_DIR",
            dir.resolve("cluster").toString(),
            "SPARKGPT_MASTER_PORT",
            String.valueOf(ports[0]),
            "SPARKGPT_MASTER_UI_PORT",
            String.valueOf(ports[1]),
            "SPARKGPT_WORKER_UI_PORT",
            String.valueOf(freePair())); // the workers' UIs: this port and the next
    StandaloneCluster c = new StandaloneCluster(dir, env, ports[0], ports[1]);
    long t0 = System.nanoTime();
    String out =
        c.cluster(
            "start",
            "--workers",
            String.valueOf(WORKERS),
            "--cores",
            "1",
            "--memory",
            WORKER_MEMORY);
    assertTrue(
        out.contains(WORKERS + " worker(s) x 1 core(s) x " + WORKER_MEMORY + " registered"), out);
    System.out.printf(
        "standalone cluster: %s up in %.1f s%n", c.master(), (System.nanoTime() - t0) / 1e9);
    return c;
  }

  @Override
  public void close() throws Exception {
    try {
      System.out.print(cluster("stop"));
    } finally {
      deleteTree(dir); // our own temp directory: logs, pids and the workers' work dirs
    }
  }

  String master() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /**
   * deploy/cluster's own state directory: worker-N/work/APP-ID/EXECUTOR-ID are the executors'
   * directories.
   */
  Path state() {
    return dir.resolve("cluster").resolve("sparkgpt-cluster");
  }

  /** The master's JSON status page (workers, running and completed applications). */
  JsonNode masterStatus() throws IOException {
    return new ObjectMapper().readTree(URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL());
  }

  /**
   * Driver settings for a job on this cluster: {@code executors} executors of 1 core, on this
   * test's classpath, listeners (SparkListener classes with a no-arg constructor) registered
   * through spark.extraListeners.
   */
  Map<String, String> driverConf(int executors, Class<?>... listeners) throws IOException {
    Map<String, String> conf =
        new TreeMap<>(
            Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.executor.memory", EXECUTOR_MEMORY,
                "spark.executor.cores", "1",
                "spark.cores.max", String.valueOf(executors),
                "spark.executor.extraClassPath", executorClassPath(),
                "spark.executor.extraJavaOptions",
                    "-Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g",
                "spark.scheduler.minRegisteredResourcesRatio", "1.0"));
    if (listeners.length > 0) {
      conf.put(
          "spark.extraListeners",
          Stream.of(listeners).map(Class::getName).collect(Collectors.joining(",")));
    }
    return conf;
  }

  /**
   * Runs {@code job} with {@code conf} as spark.* system properties, which SparkSessions.create
   * reads.
   */
  static <T> T withConf(Map<String, String> conf, Callable<T> job) throws Exception {
    conf.forEach(System::setProperty);
    try {
      return job.call();
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }

  /**
   * This JVM's classpath minus the jars the workers already have (SPARK_HOME/jars holds Spark's, by
   * file name).
   */
  static String executorClassPath() throws IOException {
    Set<String> spark;
    try (Stream<Path> s = Files.list(ROOT.resolve("deploy/.spark-home/jars"))) {
      spark = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(cp.split(File.pathSeparator))
        .filter(e -> !spark.contains(Path.of(e).getFileName().toString()))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * The EXECUTOR-ID directories worker {@code worker} (1-based) made for application {@code appId}.
   */
  List<Path> executorDirs(int worker, String appId) throws IOException {
    Path app = state().resolve("worker-" + worker).resolve("work").resolve(appId);
    if (!Files.isDirectory(app)) return List.of();
    try (Stream<Path> ex = Files.list(app)) {
      return ex.filter(Files::isDirectory).sorted().toList();
    }
  }

  String cluster(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("deploy/cluster").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        p.waitFor(120, TimeUnit.SECONDS),
        "deploy/cluster " + String.join(" ", args) + " timed out");
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

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
