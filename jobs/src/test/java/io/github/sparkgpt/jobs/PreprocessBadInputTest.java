package io.github.sparkgpt.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/**
 * The preprocess job over a directory of crawl data with damage in it: a good WARC, a Common Crawl
 * WET file, a WARC with a corrupt gzip member in the middle and a Parquet file with a huge cell.
 * The job exits 0, every record that can carry a page is kept or rejected with a reason, and the
 * counts add up per file and in total.
 */
class PreprocessBadInputTest {
  @TempDir Path dir;

  /**
   * Each record as its own gzip member, the layout crawlers write; member offsets go to {@code
   * offsets}.
   */
  static byte[] gzipPerRecord(List<WarcRecord> records, List<Long> offsets) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (WarcRecord r : records) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      try (WarcWriter w =
          new WarcWriter(java.nio.channels.Channels.newChannel(one), WarcCompression.NONE)) {
        w.write(r);
      }
      offsets.add((long) file.size());
      try (OutputStream gz =
          new GZIPOutputStream(file)) { // closing a ByteArrayOutputStream is a no-op
        gz.write(one.toByteArray());
      }
    }
    return file.toByteArray();
  }

  static WarcRecord page(String url, int status, String text) throws IOException {
    StringBuilder html = new StringBuilder("<html><body><nav>Home | About</nav>");
    for (String para : text.split("\n\n")) html.append("<p>").append(para).append("</p>");
    html.append("</body></html>");
    return new WarcResponse.Builder(URI.create(url))
        .body(
            new HttpResponse.Builder(status, status == 200 ? "OK" : "Gone")
                .body(MediaType.parse("text/html; charset=utf-8"), html.toString().getBytes(UTF_8))
                .build())
        .build();
  }

  static WarcRecord warcinfo() {
    return new Warcinfo.Builder()
        .filename("crawl.warc.gz")
        .fields(Map.of("software", List.of("test"), "isPartOf", List.of("CC-MAIN-2024-10")))
        .build();
  }

  @Test
  void damagedCrawlDataIsQuarantinedRecordByRecordAndTheJobSucceeds() throws Exception {
    Random rnd = new Random(17);
    Path in = Files.createDirectories(dir.resolve("in"));

    List<WarcRecord> good = new ArrayList<>(List.of(warcinfo()));
    for (int i = 0; i < 6; i++)
      good.add(page("https://good.example/" + i, 200, SyntheticCorpus.document(rnd)));
    good.add(page("https://good.example/missing", 404, SyntheticCorpus.document(rnd)));
    Files.write(in.resolve("good.warc.gz"), gzipPerRecord(good, new ArrayList<>()));

    List<WarcRecord> wet = new ArrayList<>(List.of(warcinfo()));
    for (int i = 0; i < 8; i++) {
      wet.add(
          new WarcConversion.Builder()
              .addHeader("WARC-Target-URI", "https://wet.example/" + i)
              .refersTo(URI.create("urn:uuid:00000000-0000-4000-8000-00000000000" + i))
              .body(MediaType.parse("text/plain"), SyntheticCorpus.document(rnd).getBytes(UTF_8))
              .build());
    }
    Path wetFile = in.resolve("CC-MAIN-20240221031100-20240221061100-00000.warc.wet.gz");
    Files.write(wetFile, gzipPerRecord(wet, new ArrayList<>()));

    List<WarcRecord> damaged = new ArrayList<>();
    for (int i = 0; i < 6; i++)
      damaged.add(page("https://damaged.example/" + i, 200, SyntheticCorpus.document(rnd)));
    List<Long> offsets = new ArrayList<>();
    byte[] bytes = gzipPerRecord(damaged, offsets);
    bytes[(int) (long) offsets.get(3) + 10] =
        0x07; // member 3's deflate data: a block of the reserved type
    Files.write(in.resolve("damaged.warc.gz"), bytes);

    MessageType schema =
        MessageTypeParser.parseMessageType("message m { optional binary text (UTF8); }");
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(in.resolve("table.parquet").toUri()))
            .withType(schema)
            .withConf(new Configuration())
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      for (int i = 0; i < 5; i++) {
        String text = i == 2 ? "word ".repeat(60_000) : SyntheticCorpus.document(rnd);
        w.write(groups.newGroup().append("text", text));
      }
    }

    Path out = dir.resolve("out");
    int exit =
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--vocab-size",
            "400",
            "--context-length",
            "32",
            "--set",
            "read.max_doc_bytes=100000",
            "--set",
            "dedup.minhash.num_partitions=2");
    assertEquals(0, exit);

    // Read-stage rejections, per file, exactly as planted.
    SparkSession spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows;
    try {
      rows = spark.read().parquet(out.resolve("rejected").toString()).collectAsList();
    } finally {
      spark.stop();
    }
    Map<String, List<String>> readReasons = new TreeMap<>();
    Map<String, Integer> rejectedPerFile = new TreeMap<>();
    for (Row r : rows) {
      String file = Path.of(URI.create(r.getString(1)).getPath()).getFileName().toString();
      rejectedPerFile.merge(file, 1, Integer::sum);
      if (r.getString(2).equals("read"))
        readReasons.computeIfAbsent(file, k -> new ArrayList<>()).add(r.getString(3));
    }
    assertEquals(
        Map.of(
            "good.warc.gz",
            List.of("read_warc_http_status"),
            "damaged.warc.gz",
            List.of("read_gzip_corrupt_member"),
            "table.parquet",
            List.of("read_too_large")),
        readReasons);

    // Records that can carry a page, per file: 7 responses, 8 conversions, 6 responses, 5 rows.
    Map<String, Integer> records =
        Map.of(
            "good.warc.gz",
            7,
            wetFile.getFileName().toString(),
            8,
            "damaged.warc.gz",
            6,
            "table.parquet",
            5);
    rejectedPerFile.forEach((f, n) -> assertTrue(n <= records.get(f), f + ": " + n + " rejected"));

    JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
    JsonNode read = stats.get("stages").get(0);
    assertEquals(
        26, read.get("docs_in").asLong(), "every record that can carry a page is counted in");
    JsonNode stages = stats.get("stages");
    long kept =
        stages
            .get(stages.size() - 1)
            .get("docs_out")
            .asLong(); // a window split counts a document per side
    assertEquals(26, kept + rows.size(), "documents in = kept + rejected");
    assertTrue(kept >= 20, "good documents kept: " + kept);
    JsonNode counters = read.get("counters");
    assertEquals(8, counters.get("warc_records_conversion").asLong());
    assertEquals(12, counters.get("warc_records_response").asLong());
    assertEquals(2, counters.get("warc_skipped_warcinfo").asLong());
    assertEquals(
        11, counters.get("warc_http_status_200").asLong(), "the damaged record never reached HTTP");
    assertEquals(1, counters.get("warc_http_status_404").asLong());
    assertEquals(1, counters.get("read_resyncs").asLong());
    String summary = Files.readString(out.resolve("summary.txt"));
    assertTrue(summary.contains("warc records: conversion=8, response=12, warcinfo=2"), summary);
    assertTrue(summary.contains("http status: 200=11, 404=1"), summary);
  }
}
