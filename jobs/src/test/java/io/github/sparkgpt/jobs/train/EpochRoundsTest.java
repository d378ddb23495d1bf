package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rounds cut from driver-side batches: sizes, partitions, steps per worker and epoch ends. */
class EpochRoundsTest {
  static JavaSparkContext jsc;

  @BeforeAll
  static void spark() {
    jsc = new JavaSparkContext("local[1]", "EpochRoundsTest");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @Test
  void epochsAreCutIntoRoundsOfWorkersTimesFrequencyWithAShortLastRound() {
    AveragingSettings s = AveragingSettings.of(2, 8, 2, 1, false); // 4 batches per round
    List<Integer> epochsAsked = new ArrayList<>();
    EpochRounds<String> rounds =
        new EpochRounds<>(
            jsc,
            2,
            s,
            epoch -> {
              epochsAsked.add(epoch);
              return IntStream.range(0, 5).mapToObj(i -> epoch + ":" + i).toList();
            });
    List<String> seen = new ArrayList<>();
    List<String> shape = new ArrayList<>();
    long step = 0;
    for (Optional<Round<String>> r = rounds.next(step); r.isPresent(); r = rounds.next(step)) {
      seen.addAll(r.get().batches().collect());
      shape.add(
          r.get().epoch()
              + "/"
              + r.get().batches().getNumPartitions()
              + "/"
              + r.get().steps()
              + "/"
              + r.get().endsEpoch());
      step += r.get().steps();
    }
    // epoch/partitions/steps/endsEpoch: 4 batches on 2 workers = 2 steps, then 1 batch on 1 worker
    // = 1 step
    assertEquals(List.of("0/2/2/false", "0/1/1/true", "1/2/2/false", "1/1/1/true"), shape);
    assertEquals(
        List.of("0:0", "0:1", "0:2", "0:3", "0:4", "1:0", "1:1", "1:2", "1:3", "1:4"), seen);
    assertEquals(List.of(0, 1), epochsAsked, "each epoch's batches are made once, when it starts");
    assertEquals(EpochRounds.totalSteps(5, 2, 2), step);
    assertFalse(rounds.next(step).isPresent());
  }

  @Test
  void emptyEpochsAndZeroEpochsGiveNoRounds() {
    AveragingSettings s = AveragingSettings.of(2, 8, 2, 1, false);
    assertTrue(new EpochRounds<String>(jsc, 3, s, e -> List.of()).next(0).isEmpty());
    assertTrue(new EpochRounds<String>(jsc, 0, s, e -> List.of("x")).next(0).isEmpty());
  }

  @Test
  void settingsAreValidatedBeforeAnyWork() {
    assertThrows(IllegalArgumentException.class, () -> AveragingSettings.of(0, 8, 2, 1, false));
    assertThrows(IllegalArgumentException.class, () -> AveragingSettings.of(2, 0, 2, 1, false));
    assertThrows(IllegalArgumentException.class, () -> AveragingSettings.of(2, 8, 0, 1, false));
    assertThrows(
        IllegalArgumentException.class, () -> new AveragingSettings(2, 8, 2, -1, 1, false));
    assertEquals(6, AveragingSettings.of(2, 8, 3, 1, false).batchesPerRound());
  }
}
