package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrain job on a real standalone cluster ({@link StandaloneCluster}: a master and two
 * workers of 1 core in separate JVMs); this JVM is the driver (client mode) and the workers launch
 * two executor JVMs.
 */
@ExtendWith(StandaloneCluster.Shared.class)
class ClusterPretrainTest {
  @TempDir static Path dir;

  /**
   * Records which executor ran each task of the driver's jobs (registered through
   * spark.extraListeners).
   */
  public static final class TaskExecutors extends SparkListener {
    static final Set<String> IDS = ConcurrentHashMap.newKeySet();
    static volatile String appId;

    @Override
    public void onApplicationStart(SparkListenerApplicationStart start) {
      if (start.appId().isDefined()) appId = start.appId().get();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskInfo() != null && end.taskInfo().successful())
        IDS.add(end.taskInfo().executorId());
    }
  }

  @Test
  void pretrainsOnTwoExecutorsOfTwoWorkers(StandaloneCluster cluster) throws Exception {
    new SyntheticCorpus().write(dir.resolve("in"), 20, 5);
    Path data = dir.resolve("data");
    assertEquals(
        0,
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            dir.resolve("in").toString(),
            "--output",
            data.toString(),
            "--vocab-size",
            "320",
            "--context-length",
            "16",
            "--validation-fraction",
            "0.2"));

    Path run = dir.resolve("run");
    int exit =
        StandaloneCluster.withConf(
            cluster.driverConf(2, TaskExecutors.class),
            () ->
                PretrainJob.run(
                    "--master",
                    cluster.master(),
                    "--data",
                    data.toString(),
                    "--output",
                    run.toString(),
                    "--model",
                    "tiny",
                    "--workers",
                    "2",
                    "--batch-size",
                    "8",
                    "--averaging-frequency",
                    "2",
                    "--learning-rate",
                    "5e-3",
                    "--max-steps",
                    "12",
                    "--set",
                    "warmup_steps=2",
                    "--set",
                    "validation_interval=12",
                    "--set",
                    "validation_sequences=32",
                    "--set",
                    "checkpoint_interval=12"));
    assertEquals(0, exit);

    List<JsonNode> m = PretrainJobTest.metrics(run);
    double before = m.get(0).path("val_loss").asDouble();
    double after = m.get(m.size() - 1).path("val_loss").asDouble();
    assertEquals(12, m.get(m.size() - 1).path("step").asLong());
    assertTrue(after < before - 0.3, "validation loss falls: " + before + " -> " + after);

    // Tasks ran on two executors, and the two executors were launched one by each worker.
    assertEquals(2, TaskExecutors.IDS.size(), "executors that ran tasks: " + TaskExecutors.IDS);
    String app = TaskExecutors.appId;
    for (int w = 1; w <= 2; w++) {
      List<Path> executors = cluster.executorDirs(w, app);
      assertEquals(1, executors.size(), "worker " + w + " launched " + executors + " for " + app);
    }
    JsonNode master = cluster.masterStatus();
    assertEquals(2, master.path("aliveworkers").asInt());
    Map<String, String> apps = new TreeMap<>();
    master
        .path("completedapps")
        .forEach(a -> apps.put(a.path("id").asText(), a.path("name").asText()));
    assertEquals("sparkgpt-pretrain", apps.get(app), "completed applications: " + apps);
  }
}
