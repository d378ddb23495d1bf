package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The local master retries a failed task, as a cluster does. */
class SparkSessionsTest {
  @Test
  void plainLocalMastersGetTaskRetriesAndExplicitOnesAreKept() {
    assertEquals("local[*,4]", SparkSessions.DEFAULT_MASTER);
    assertEquals("local[2,4]", SparkSessions.withTaskRetries("local[2]"));
    assertEquals("local[*,4]", SparkSessions.withTaskRetries("local[*]"));
    assertEquals("local[1,4]", SparkSessions.withTaskRetries("local"));
    assertEquals("local[2,1]", SparkSessions.withTaskRetries("local[2,1]"));
    assertEquals("spark://127.0.0.1:7077", SparkSessions.withTaskRetries("spark://127.0.0.1:7077"));
    assertEquals(
        "local-cluster[2,1,1024]", SparkSessions.withTaskRetries("local-cluster[2,1,1024]"));
  }

  @Test
  void aTaskThatFailsOnceSucceedsOnRetryOnTheDefaultAndOnLocalN() {
    for (String master : new String[] {null, "local[2]"}) {
      SparkSession spark = SparkSessions.create("retry-test", master, null);
      try {
        assertEquals(List.of(1, 2, 3, 4), failingFirstAttempt(spark));
      } finally {
        spark.stop();
      }
    }
  }

  @Test
  void withOneAttemptTheSameTaskFailsTheJob() {
    SparkSession spark = SparkSessions.create("retry-test", "local[2,1]", null);
    try {
      SparkException e = assertThrows(SparkException.class, () -> failingFirstAttempt(spark));
      assertTrue(e.getMessage().contains("first attempt fails"), e.getMessage());
    } finally {
      spark.stop();
    }
  }

  /** A stage whose every task throws on its first attempt (attempt 0) and succeeds on the next. */
  private static List<Integer> failingFirstAttempt(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1, 2, 3, 4), 2)
        .map(
            x -> {
              if (TaskContext.get().attemptNumber() == 0)
                throw new IllegalStateException("first attempt fails");
              return x;
            })
        .collect();
  }
}
