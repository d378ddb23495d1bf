package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class JobRunnerTest {
  @Test
  void ourOwnMessageWinsOverItsCause() {
    Throwable t =
        new RuntimeException(
            new IllegalStateException(
                "cannot write output next to /x: mkdirs returned false",
                new IOException("mkdirs returned false")));
    assertEquals("cannot write output next to /x: mkdirs returned false", JobRunner.oneLine(t));
  }

  @Test
  void foreignFailuresShowTheDeepestCauseWithItsType() {
    Throwable t = new RuntimeException("Job aborted", new IOException("disk\nfull"));
    assertEquals("IOException: disk full", JobRunner.oneLine(t));
    assertEquals(
        "cannot read /y: gone",
        JobRunner.oneLine(
            new UncheckedIOException("cannot read /y: gone", new IOException("gone"))));
  }
}
