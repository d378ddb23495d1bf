package io.github.sparkgpt.jobs;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/** How many Spark jobs a piece of driver code starts. */
public final class SparkJobs {
  private SparkJobs() {}

  public static int count(JavaSparkContext jsc, Runnable work) throws Exception {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener counter =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            jobs.incrementAndGet();
          }
        };
    jsc.sc().addSparkListener(counter);
    try {
      work.run();
      jsc.sc().listenerBus().waitUntilEmpty(10_000);
    } finally {
      jsc.sc().removeSparkListener(counter);
    }
    return jobs.get();
  }
}
