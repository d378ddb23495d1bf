package io.github.sparkgpt.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreprocessStatsReadCountsTest {
  @Test
  void summaryShowsRecordsByTypeHttpStatusesAndDamage() {
    PreprocessStats stats = new PreprocessStats();
    StageStats read = new StageStats("read");
    read.recordIn(10);
    read.addCounter("warc_records_conversion", 20);
    read.addCounter("warc_records_warcinfo", 1);
    read.addCounter("warc_skipped_warcinfo", 1);
    read.addCounter("warc_http_status_200", 5);
    read.addCounter("warc_http_status_404", 1);
    read.addCounter("read_resyncs", 1);
    read.addCounter("read_bytes_skipped", 812);
    stats.addStage(read);
    assertEquals(
        "warc records: conversion=20, warcinfo=1\n"
            + "warc records skipped: warcinfo=1\n"
            + "http status: 200=5, 404=1\n"
            + "read damage: read_bytes_skipped=812, read_resyncs=1\n",
        stats.readCounts().replace("\r\n", "\n"));
    assertTrue(stats.summary("out").contains("http status: 200=5, 404=1"));
    PreprocessStats plain = new PreprocessStats();
    plain.addStage(new StageStats("read"));
    assertEquals("", plain.readCounts(), "text corpora show no WARC lines");
  }
}
