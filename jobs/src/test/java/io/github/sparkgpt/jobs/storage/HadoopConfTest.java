package io.github.sparkgpt.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HadoopConfTest {
  @Test
  void sparkHadoopSettingsReachTheDriversFileAccess() {
    System.setProperty("spark.hadoop.fs.sparkgpt-test.endpoint", "http://127.0.0.1:9000");
    try {
      assertEquals("http://127.0.0.1:9000", HadoopConf.create().get("fs.sparkgpt-test.endpoint"));
    } finally {
      System.clearProperty("spark.hadoop.fs.sparkgpt-test.endpoint");
    }
    assertNull(HadoopConf.create().get("fs.sparkgpt-test.endpoint"));
  }
}
