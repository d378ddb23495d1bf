package io.github.sparkgpt.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class WarmupCosineScheduleTest {
  private final WarmupCosineSchedule s = new WarmupCosineSchedule(1e-3, 10, 110, 0.1);

  @Test
  void warmupIsLinearFromPeakOverWarmupToPeak() {
    assertEquals(1e-4, s.valueAt(0, 0), 1e-12);
    assertEquals(5e-4, s.valueAt(4, 0), 1e-12);
    assertEquals(1e-3, s.valueAt(9, 0), 1e-12);
  }

  @Test
  void cosineFallsFromPeakToTheFloorThenStays() {
    assertEquals(1e-3, s.valueAt(10, 0), 1e-12); // progress 0
    assertEquals(
        1e-4 + 0.9e-3 * 0.5, s.valueAt(60, 0), 1e-12); // halfway: midpoint of peak and floor
    assertEquals(1e-4 + 0.9e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.valueAt(35, 0), 1e-12);
    assertEquals(1e-4, s.valueAt(110, 0), 1e-12);
    assertEquals(1e-4, s.valueAt(5000, 3), 1e-12);
    for (int i = 10; i < 110; i++)
      assertTrue(s.valueAt(i + 1, 0) < s.valueAt(i, 0), "decreasing at " + i);
  }

  @Test
  void noWarmupStartsAtThePeak() {
    WarmupCosineSchedule w = new WarmupCosineSchedule(2e-3, 0, 4, 0.0);
    assertEquals(2e-3, w.valueAt(0, 0), 1e-12);
    assertEquals(1e-3, w.valueAt(2, 0), 1e-12);
    assertEquals(0.0, w.valueAt(4, 0), 1e-12);
  }

  @Test
  void invalidParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0, 1, 10, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1e-3, 1, 10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1e-3, -1, 10, 0.1));
  }

  @Test
  void survivesTheNetworkConfigurationJsonThatModelZipStores() {
    ComputationGraphConfiguration conf =
        GptModel.configuration(GptConfig.tiny(), new Adam(s), 1, DataType.FLOAT);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf.toJson(), back.toJson());
    assertTrue(conf.toJson().contains("WarmupCosineSchedule"));
  }
}
