package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;

/**
 * The Spark and DL4J settings every training job shares (the round loop itself runs in the jobs'
 * tests).
 */
class ParameterAveragingTest {

  /** The job's value of {@code key} is {@code ours}, and a value the user sets wins. */
  private static void userValueWins(String key, String ours, String users) {
    assertEquals(ours, ParameterAveraging.sparkConf().get(key));
    System.setProperty(key, users);
    try {
      assertEquals(users, ParameterAveraging.sparkConf().get(key));
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void roundResultsOfLargeModelsAreNotCappedUnlessTheUserCapsThem() {
    // a round returns 12 bytes per parameter per worker: gpt1's 1.34 GB broke Spark's 1 GB default
    userValueWins("spark.driver.maxResultSize", "0", "3g");
  }

  @Test
  void roundResultsTravelInTheStatusMessageAndBroadcastsUncompressedUnlessTheUserSaysOtherwise() {
    userValueWins("spark.task.maxDirectResultSize", "128m", "1m");
    userValueWins("spark.broadcast.compress", "false", "true"); // parameters do not compress
  }

  @Test
  void trainingMasterFollowsTheSettingsAndAlwaysAveragesAdamState() {
    ParameterAveragingTrainingMaster m =
        ParameterAveraging.trainingMaster(new AveragingSettings(3, 8, 5, 2, 7, false));
    assertEquals(3, m.getNumWorkers());
    assertEquals(8, m.getRddDataSetNumExamples());
    assertEquals(5, m.getAveragingFrequency());
    assertEquals(2, m.getPrefetchNumBatches());
    assertTrue(
        m.isSaveUpdater(), "Adam state is averaged with the parameters, not reset every round");
    assertFalse(m.getIsCollectTrainingStats());
    assertEquals(
        AveragingSettings.DEFAULT_PREFETCH_BATCHES,
        ParameterAveraging.trainingMaster(AveragingSettings.of(1, 1, 1, 1, false))
            .getPrefetchNumBatches());
  }

  @Test
  void sparkConfUsesKryoWithRawArrays() {
    SparkConf conf = ParameterAveraging.sparkConf();
    assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
    assertEquals(ArrayKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
  }
}
