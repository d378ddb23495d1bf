package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.SparkJobs;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.train.RoundAdam;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Workers that keep their network between rounds load exactly what a fresh network would hold. */
class WarmWorkerTrainingMasterTest {
  static JavaSparkContext jsc;

  @BeforeAll
  static void spark() {
    jsc =
        new JavaSparkContext(ParameterAveraging.sparkConf().setMaster("local[2]").setAppName("t"));
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static ComputationGraph net(GptConfig c) {
    ExponentialSchedule lr = new ExponentialSchedule(ScheduleType.ITERATION, 1e-3, 0.99);
    return GptModel.create(c, new RoundAdam(lr), 3, DataType.FLOAT);
  }

  private static WarmWorkerTrainingMaster.Worker worker(ComputationGraph net) {
    NetBroadcastTuple tuple =
        new NetBroadcastTuple(
            net.getConfiguration(), net.params(), net.getUpdater().getStateViewArray());
    return new WarmWorkerTrainingMaster.Worker(
        jsc.broadcast(tuple),
        true,
        new WorkerConfiguration(true, 1, 2, 2, 0, false),
        null,
        null,
        null);
  }

  @Test
  void aThreadKeepsItsNetworkAndLoadsEachRoundsStateIntoIt() {
    ComputationGraph driver = net(GptConfig.tiny());
    ComputationGraph first = worker(driver).getInitialModelGraph();
    first.fit(GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5, 6, 7}}, 6)); // updaters built
    // the next round: other parameters, Adam state, epoch and step offset
    driver.params().assign(Nd4j.rand(DataType.FLOAT, driver.params().shape()));
    driver.getUpdater().getStateViewArray().assign(0.25);
    driver.getConfiguration().setEpochCount(3);
    RoundAdam.of(driver).setStepOffset(40);
    ComputationGraph second = worker(driver).getInitialModelGraph();
    assertSame(first, second, "the thread's network is kept");
    assertEquals(driver.params(), second.params());
    assertEquals(driver.getUpdater().getStateViewArray(), second.getUpdater().getStateViewArray());
    assertEquals(40, RoundAdam.of(second).getStepOffset());
    for (var block : second.getUpdater().getUpdaterBlocks()) {
      assertEquals(40, ((RoundAdam) block.getGradientUpdater().getConfig()).getStepOffset());
    }
    ComputationGraph fresh = new ComputationGraph(driver.getConfiguration().clone());
    assertEquals(
        fresh.getConfiguration().getEpochCount(), second.getConfiguration().getEpochCount());
    assertEquals(
        fresh.getConfiguration().getIterationCount(),
        second.getConfiguration().getIterationCount());
    // another model is another network
    ComputationGraph other = worker(net(GptConfig.tiny().setLayers(1))).getInitialModelGraph();
    assertNotSame(second, other);
  }

  @Test
  void onlyNetworksWellUnderTheMemoryLimitAreKept() {
    ComputationGraph net = net(GptConfig.tiny());
    long bytes = 16L * net.params().length(); // parameters, gradients and Adam's two moments
    long limit = bytes * WarmWorkerTrainingMaster.Worker.KEEP_FRACTION;
    assertTrue(WarmWorkerTrainingMaster.Worker.keepable(net, limit));
    assertFalse(WarmWorkerTrainingMaster.Worker.keepable(net, limit - 1));
    assertTrue(WarmWorkerTrainingMaster.Worker.keepable(net, 0), "no limit");
  }

  @Test
  void theRoundStateIsLeftOutOfTheKeyAndTheConfigurationIsUnchanged() {
    ComputationGraphConfiguration c = net(GptConfig.tiny()).getConfiguration();
    String key = WarmWorkerTrainingMaster.Worker.withoutRoundState(c);
    c.setEpochCount(2);
    c.setIterationCount(7);
    RoundAdam.of(c).setStepOffset(9);
    assertEquals(key, WarmWorkerTrainingMaster.Worker.withoutRoundState(c));
    assertEquals(2, c.getEpochCount());
    assertEquals(7, c.getIterationCount());
    assertEquals(9, RoundAdam.of(c).getStepOffset());
  }

  @Test
  void aRoundLongerThanTheAveragingFrequencyIsRefusedRatherThanCutShort() {
    GptConfig c = GptConfig.tiny();
    int[][] seqs = new int[2][c.getContextLength() + 1];
    List<DataSet> batches = new ArrayList<>();
    for (int i = 0; i < 6; i++) batches.add(GptBatch.fromSequences(seqs, c.getContextLength()));
    AveragingSettings s = AveragingSettings.of(2, 2, 2, 1, false);
    BatchSource<DataSet> source =
        step -> Optional.of(new Round<>(jsc.parallelize(batches, 2), 0, 3, false));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new ParameterAveraging(jsc, net(c), s).run(source, 0, round -> {}));
    assertEquals("a round of 3 steps exceeds averaging_frequency 2", e.getMessage());
  }

  /**
   * Three averaging rounds on local[2]: the same parameters as DL4J's workers, which rebuild and
   * count each round first.
   */
  @Test
  void trainingMatchesDl4jsRebuildingWorkers() throws Exception {
    GptConfig c = GptConfig.tiny(); // no dropout: the masks' keys count a worker's own steps
    Random r = new Random(5);
    List<DataSet> batches = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int[][] seqs = new int[2][c.getContextLength() + 1];
      for (int[] s : seqs) for (int j = 0; j < s.length; j++) s[j] = r.nextInt(c.getVocabSize());
      batches.add(GptBatch.fromSequences(seqs, c.getContextLength()));
    }
    AveragingSettings s = AveragingSettings.of(2, 2, 2, 1, false);
    ComputationGraph warm = net(c), rebuilt = net(c);
    rebuilt.setParams(warm.params().dup());
    SparkComputationGraph warmSpark =
        new SparkComputationGraph(jsc, warm, ParameterAveraging.trainingMaster(s));
    ParameterAveragingTrainingMaster dl4j =
        new ParameterAveragingTrainingMaster.Builder(2, 2)
            .batchSizePerWorker(2)
            .averagingFrequency(2)
            .saveUpdater(true)
            .rddTrainingApproach(org.deeplearning4j.spark.api.RDDTrainingApproach.Direct)
            .repartionData(org.deeplearning4j.spark.api.Repartition.NumPartitionsWorkersDiffers)
            .rngSeed(s.seed())
            .build();
    SparkComputationGraph rebuiltSpark = new SparkComputationGraph(jsc, rebuilt, dl4j);
    long reusedBefore = WarmWorkerTrainingMaster.Worker.REUSED.get();
    int jobs = 0;
    for (int round = 0; round < 3; round++) {
      List<DataSet> roundBatches = batches.subList(4 * round, 4 * round + 4);
      for (ComputationGraph n : List.of(warm, rebuilt)) {
        RoundAdam.of(n).setStepOffset(2 * round);
        n.getConfiguration().setIterationCount(0);
      }
      jobs += SparkJobs.count(jsc, () -> warmSpark.fit(jsc.parallelize(roundBatches, 2)));
      rebuiltSpark.fit(jsc.parallelize(roundBatches, 2));
    }
    assertTrue(
        WarmWorkerTrainingMaster.Worker.REUSED.get() > reusedBefore, "rounds on kept networks");
    assertEquals(3, jobs, "one Spark job per round: the round is not counted first");
    assertArrayEquals(
        rebuilt.params().toFloatVector(), warm.params().toFloatVector(), 1e-6f, "parameters");
    assertArrayEquals(
        rebuilt.getUpdater().getStateViewArray().toFloatVector(),
        warm.getUpdater().getStateViewArray().toFloatVector(),
        1e-6f,
        "Adam state");
  }
}
