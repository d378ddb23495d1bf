package io.github.sparkgpt.pipeline.read;

import static io.github.sparkgpt.pipeline.read.WarcFixtures.chunked;
import static io.github.sparkgpt.pipeline.read.WarcFixtures.gzip;
import static io.github.sparkgpt.pipeline.read.WarcFixtures.http;
import static io.github.sparkgpt.pipeline.read.WarcFixtures.record;
import static io.github.sparkgpt.pipeline.read.WarcFixtures.response;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.StageOutput;
import io.github.sparkgpt.pipeline.read.WarcFixtures.Record;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WARC input as crawls deliver it: WET text, record types, HTTP codings, and damage in the middle
 * of a file.
 */
class WarcReadTest {
  @TempDir Path dir;

  /** Everything one file gave: kept documents by id, rejections in order, summed counts. */
  record Out(
      Map<String, Document> kept, List<RejectedDocument> rejected, Map<String, Long> counts) {
    long outputs() {
      return kept.size() + rejected.size();
    }

    List<String> reasons() {
      return rejected.stream().map(RejectedDocument::reason).toList();
    }
  }

  static Out read(CorpusReader reader, Path p) {
    InputFile file = reader.plan(new Configuration(), List.of(p.toString())).files().get(0);
    Map<String, Document> kept = new LinkedHashMap<>();
    List<RejectedDocument> rejected = new ArrayList<>();
    Map<String, Long> counts = new TreeMap<>();
    try (FileRecordsIterator it = reader.readFile(file, new Configuration())) {
      while (it.hasNext()) {
        StageOutput o = it.next();
        if (o.isKept()) kept.put(o.document().id(), o.document());
        else if (o.isRejected()) rejected.add(o.rejected());
        else o.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
      }
    }
    return new Out(kept, rejected, counts);
  }

  /**
   * The id prefix of a file given directly as an input: its name (ids are relative to their input
   * root).
   */
  static String id(Path p) {
    return p.getFileName().toString();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  static List<String> prose(int n, long seed) {
    Random rnd = new Random(seed);
    String[] words = {
      "the", "river", "ran", "past", "old", "mills", "and", "quiet", "farms", "toward", "sea"
    };
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder("Page " + i + ":");
      for (int k = 0; k < 60 + rnd.nextInt(60); k++)
        sb.append(' ').append(words[rnd.nextInt(words.length)]);
      out.add(sb.append('.').toString());
    }
    return out;
  }

  static List<String> urls(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add("https://example.org/p/" + i);
    return out;
  }

  @Test
  void warcWetAndWetNamesAreDetectedAsWarc() {
    for (String name :
        List.of("a.warc", "a.warc.gz", "CC-MAIN-x-00000.warc.wet.gz", "a.wet.gz", "a.warc.zst")) {
      assertEquals(InputFormat.WARC, InputFormat.forFileName(name), name);
    }
    assertEquals(InputFormat.TEXT, InputFormat.forFileName("wet.txt"));
  }

  @Test
  void commonCrawlWetFileGivesOneDocumentPerConversionRecord() throws IOException {
    List<String> texts = prose(20, 1);
    List<Record> records = WarcFixtures.wet(urls(20), texts);
    Path p =
        write(
            "CC-MAIN-20240221031100-20240221061100-00000.warc.wet.gz",
            WarcFixtures.gzipMembers(records, null));
    Out out = read(new CorpusReader(), p);
    assertEquals(List.of(), out.rejected());
    assertEquals(20, out.kept().size());
    for (int i = 1; i <= 20; i++) {
      Record r = records.get(i);
      Document d = out.kept().get(id(p) + "#rec=" + r.id());
      assertEquals(texts.get(i - 1), d.text());
      assertEquals(r.target(), d.url());
    }
    assertEquals(
        Map.of(
            "warc_records_conversion",
            20L,
            "warc_records_warcinfo",
            1L,
            "warc_skipped_warcinfo",
            1L),
        out.counts());
  }

  @Test
  void responsesOfEveryCodingAndResourcesAreReadOtherRecordsSkippedAndCounted() throws IOException {
    byte[] html =
        "<html><body><nav>Menu</nav><p>Plain HTML page.</p></body></html>".getBytes(UTF_8);
    byte[] chunkedHtml =
        "<html><body><p>Chunked page, sent in pieces of seven bytes.</p></body></html>"
            .getBytes(UTF_8);
    byte[] gzHtml = "<html><body><p>Gzip-encoded page body.</p></body></html>".getBytes(UTF_8);
    byte[] gzBody = gzip(gzHtml);
    List<Record> records =
        List.of(
            record(
                "warcinfo", null, "application/warc-fields", "software: test\r\n".getBytes(UTF_8)),
            record(
                "request",
                "https://a.example/",
                "application/http; msgtype=request",
                "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n".getBytes(UTF_8)),
            response(
                "https://a.example/",
                http(
                    200,
                    "OK",
                    List.of(
                        "Content-Type: text/html; charset=utf-8", "Content-Length: " + html.length),
                    html)),
            record(
                "metadata",
                "https://a.example/",
                "application/warc-fields",
                "fetchTimeMs: 12\r\n".getBytes(UTF_8)),
            response(
                "https://a.example/chunked",
                http(
                    200,
                    "OK",
                    List.of("Content-Type: text/html", "Transfer-Encoding: chunked"),
                    chunked(chunkedHtml, 7))),
            response(
                "https://a.example/gz",
                http(
                    200,
                    "OK",
                    List.of(
                        "Content-Type: text/html",
                        "Content-Encoding: gzip",
                        "Content-Length: " + gzBody.length),
                    gzBody)),
            response(
                "https://a.example/robots.txt",
                http(
                    200,
                    "OK",
                    List.of("Content-Type: text/plain; charset=utf-8"),
                    "User-agent: *\nDisallow:".getBytes(UTF_8))),
            response(
                "https://a.example/logo.png",
                http(
                    200,
                    "OK",
                    List.of("Content-Type: image/png"),
                    new byte[] {(byte) 0x89, 'P', 'N', 'G'})),
            response(
                "https://a.example/gone",
                http(404, "Not Found", List.of("Content-Type: text/html"), html)),
            response(
                "https://a.example/moved",
                http(301, "Moved", List.of("Location: /new"), new byte[0])),
            record(
                "revisit",
                "https://a.example/",
                "application/http; msgtype=response",
                "HTTP/1.1 304 Not Modified\r\n\r\n".getBytes(UTF_8),
                "WARC-Profile",
                "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"),
            record(
                "resource",
                "file:///notes.txt",
                "text/plain",
                "A resource record of plain text.".getBytes(UTF_8)));
    Path p = write("crawl.warc.gz", WarcFixtures.gzipMembers(records, null));
    Out out = read(new CorpusReader(), p);

    Map<String, String> texts = new TreeMap<>();
    out.kept().values().forEach(d -> texts.put(d.url(), d.text()));
    assertEquals(
        Map.of(
            "https://a.example/",
            "Plain HTML page.",
            "https://a.example/chunked",
            "Chunked page, sent in pieces of seven bytes.",
            "https://a.example/gz",
            "Gzip-encoded page body.",
            "https://a.example/robots.txt",
            "User-agent: *\nDisallow:",
            "file:///notes.txt",
            "A resource record of plain text."),
        texts);
    Map<String, String> reasons = new TreeMap<>();
    out.rejected().forEach(r -> reasons.put(r.id(), r.reason()));
    assertEquals(
        Map.of(
            id(p) + "#rec=" + records.get(7).id(),
            "read_warc_not_text",
            id(p) + "#rec=" + records.get(8).id(),
            "read_warc_http_status",
            id(p) + "#rec=" + records.get(9).id(),
            "read_warc_http_status"),
        reasons);
    // Every record that can carry a page is a document or a rejection; the rest are counted by
    // type.
    assertEquals(8, out.outputs());
    assertEquals(
        Map.ofEntries(
            Map.entry("warc_records_warcinfo", 1L),
            Map.entry("warc_records_request", 1L),
            Map.entry("warc_records_response", 7L),
            Map.entry("warc_records_metadata", 1L),
            Map.entry("warc_records_revisit", 1L),
            Map.entry("warc_records_resource", 1L),
            Map.entry("warc_skipped_warcinfo", 1L),
            Map.entry("warc_skipped_request", 1L),
            Map.entry("warc_skipped_metadata", 1L),
            Map.entry("warc_skipped_revisit", 1L),
            Map.entry("warc_http_status_200", 5L),
            Map.entry("warc_http_status_404", 1L),
            Map.entry("warc_http_status_301", 1L)),
        out.counts());
  }

  /**
   * Ten text/plain resource records, as gzip members or plain; the file offsets of records go to
   * offsets.
   */
  static List<Record> pages(int n, long seed) {
    List<String> texts = prose(n, seed);
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++)
      out.add(
          record(
              "conversion",
              "https://example.org/p/" + i,
              "text/plain",
              texts.get(i).getBytes(UTF_8)));
    return out;
  }

  @Test
  void aCorruptGzipMemberInTheMiddleCostsOnlyItsRecord() throws IOException {
    List<Record> records = pages(10, 2);
    List<Long> offsets = new ArrayList<>();
    byte[] file = WarcFixtures.gzipMembers(records, offsets);
    // Member 4: the deflate data after the 10-byte header starts with a block of the reserved type
    // 3.
    int at = (int) (long) offsets.get(4) + 10;
    file[at] = 0x07;
    Path p = write("damaged.warc.gz", file);
    Out out = read(new CorpusReader(), p);
    assertEquals(9, out.kept().size());
    assertEquals(List.of("read_gzip_corrupt_member"), out.reasons());
    assertEquals(id(p) + "#offset=" + offsets.get(4), out.rejected().get(0).id());
    assertTrue(
        out.rejected()
            .get(0)
            .detail()
            .contains("went on at the next record at byte " + offsets.get(5)),
        out.rejected().get(0).detail());
    for (int i = 0; i < 10; i++) {
      assertEquals(
          i != 4, out.kept().containsKey(id(p) + "#rec=" + records.get(i).id()), "record " + i);
    }
    assertEquals(10, out.outputs(), "records in = kept + rejected");
    assertEquals(1L, out.counts().get("read_resyncs"));
    assertEquals(offsets.get(5) - offsets.get(4), out.counts().get("read_bytes_skipped"));

    // A CRC that does not match is damage too, found at the member's end.
    byte[] crc = WarcFixtures.gzipMembers(records, null);
    crc[(int) (long) offsets.get(7) - 8] ^= 0x01; // last member-6 CRC byte
    Out crcOut = read(new CorpusReader(), write("crc.warc.gz", crc));
    assertEquals(List.of("read_gzip_corrupt_member"), crcOut.reasons());
    assertTrue(
        crcOut.rejected().get(0).detail().contains("CRC"), crcOut.rejected().get(0).detail());
  }

  @Test
  void aMalformedRecordInAnUncompressedFileIsSkippedToTheNextHeader() throws IOException {
    List<Record> records = pages(10, 3);
    List<Long> offsets = new ArrayList<>();
    byte[] file = WarcFixtures.uncompressed(records, offsets);
    int at = (int) (long) offsets.get(3);
    file[at + 3] = 'X'; // "WARX/1.0"
    Path p = write("damaged.warc", file);
    Out out = read(new CorpusReader(), p);
    assertEquals(9, out.kept().size());
    assertEquals(List.of("read_warc_malformed_record"), out.reasons());
    assertEquals(10, out.outputs(), "records in = kept + rejected");
    assertTrue(
        out.rejected().get(0).detail().contains("at byte " + offsets.get(4)),
        out.rejected().get(0).detail());
    assertEquals(offsets.get(4) - offsets.get(3), out.counts().get("read_bytes_skipped"));
  }

  @Test
  void aMalformedRecordInsideAGzipMemberIsSkippedToTheNextMember() throws IOException {
    List<Record> records = pages(10, 9);
    List<Record> broken = new ArrayList<>(records);
    byte[] bad = WarcFixtures.bytes(records.get(2));
    bad[3] = 'X'; // "WARX/1.0", in a member whose gzip data is intact
    List<Long> offsets = new ArrayList<>();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < broken.size(); i++) {
      offsets.add((long) file.size());
      file.writeBytes(gzip(i == 2 ? bad : WarcFixtures.bytes(broken.get(i))));
    }
    Path p = write("bad-header.warc.gz", file.toByteArray());
    Out out = read(new CorpusReader(), p);
    assertEquals(9, out.kept().size());
    assertEquals(List.of("read_warc_malformed_record"), out.reasons());
    assertEquals(id(p) + "#offset=" + offsets.get(2), out.rejected().get(0).id());
    assertEquals(10, out.outputs(), "records in = kept + rejected");
  }

  @Test
  void damageWithNoRecordAfterItLosesTheRestOnceWithTheBytesCounted() throws IOException {
    List<Record> records = pages(10, 4);
    List<Long> offsets = new ArrayList<>();
    byte[] file = WarcFixtures.gzipMembers(records, offsets);
    byte[] noise = new byte[(int) (file.length - offsets.get(7))];
    new Random(5).nextBytes(noise);
    for (int i = 0; i < noise.length; i++)
      if (noise[i] == 0x1f) noise[i] = 0; // no gzip magic in the noise
    System.arraycopy(noise, 0, file, (int) (long) offsets.get(7), noise.length);
    Path p = write("tail.warc.gz", file);
    Out out = read(new CorpusReader(), p);
    assertEquals(7, out.kept().size());
    assertEquals(List.of("read_rest_of_file_lost"), out.reasons());
    assertTrue(
        out.rejected().get(0).detail().contains(noise.length + " of " + file.length + " bytes"),
        out.rejected().get(0).detail());
    assertEquals((long) noise.length, out.counts().get("read_bytes_lost"));

    // zstd frames do not align with records: damage there loses the rest, said once.
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream o = new ZstdOutputStream(z)) {
      o.write(WarcFixtures.uncompressed(records, null));
    }
    byte[] zst = z.toByteArray();
    for (int i = zst.length / 2; i < zst.length / 2 + 64; i++) zst[i] ^= 0x5a;
    Out zout = read(new CorpusReader(), write("damaged.warc.zst", zst));
    assertTrue(zout.kept().size() < 10, "kept " + zout.kept().size());
    assertEquals(1, zout.rejected().size(), zout.rejected().toString());
    assertTrue(
        List.of("read_rest_of_file_lost", "read_unreadable").contains(zout.reasons().get(0)),
        zout.reasons().toString());
  }

  @Test
  void truncationAtTheEndStaysReadTruncated() throws IOException {
    List<Record> records = pages(10, 6);
    List<Long> offsets = new ArrayList<>();
    byte[] file = WarcFixtures.gzipMembers(records, offsets);
    Path p = write("cut.warc.gz", Arrays.copyOf(file, (int) (offsets.get(8) + offsets.get(9)) / 2));
    Out out = read(new CorpusReader(), p);
    assertEquals(8, out.kept().size());
    assertEquals(List.of("read_truncated"), out.reasons());
    assertEquals(id(p) + "#offset=" + offsets.get(8), out.rejected().get(0).id());
  }

  /** Read through {@link FlakyFileSystem}, which fails reads at the given file offsets. */
  static Out readFlaky(CorpusReader reader, Path p, List<Long> failAt) throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.flaky.impl", FlakyFileSystem.class.getName());
    conf.setBoolean("fs.flaky.impl.disable.cache", true);
    FlakyFileSystem.FAIL_AT.clear();
    FlakyFileSystem.FAIL_AT.addAll(failAt);
    InputFile file =
        new InputFile(
            "flaky:" + p.toAbsolutePath(), Files.size(p), InputFormat.WARC, Compression.GZIP);
    Map<String, Document> kept = new LinkedHashMap<>();
    List<RejectedDocument> rejected = new ArrayList<>();
    Map<String, Long> counts = new TreeMap<>();
    try (FileRecordsIterator it = reader.readFile(file, conf)) {
      while (it.hasNext()) {
        StageOutput o = it.next();
        if (o.isKept()) kept.put(o.document().id(), o.document());
        else if (o.isRejected()) rejected.add(o.rejected());
        else o.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
      }
    } finally {
      FlakyFileSystem.FAIL_AT.clear();
    }
    return new Out(kept, rejected, counts);
  }

  @Test
  void transientStorageErrorsAreRetriedAtTheSameByteAndLoseNothing() throws IOException {
    List<Record> records = pages(10, 7);
    List<Long> offsets = new ArrayList<>();
    Path p = write("flaky.warc.gz", WarcFixtures.gzipMembers(records, offsets));
    Out out =
        readFlaky(
            new CorpusReader(ReadOptions.builder().setIoRetryWaitMs(1).build()),
            p,
            List.of(offsets.get(3) + 5, offsets.get(3) + 5, offsets.get(7)));
    assertEquals(List.of(), out.rejected());
    assertEquals(10, out.kept().size());
    for (int i = 0; i < 10; i++) {
      assertEquals(
          records.get(i).block().length,
          out.kept()
              .get("flaky:" + p.toAbsolutePath() + "#rec=" + records.get(i).id())
              .text()
              .length());
    }
    assertEquals(3L, out.counts().get("read_io_retries"));
  }

  @Test
  void storageFailingThroughEveryRetryLosesTheRestOnce() throws IOException {
    List<Record> records = pages(10, 8);
    List<Long> offsets = new ArrayList<>();
    Path p = write("down.warc.gz", WarcFixtures.gzipMembers(records, offsets));
    long at = offsets.get(6);
    Out out =
        readFlaky(
            new CorpusReader(ReadOptions.builder().setIoRetries(2).setIoRetryWaitMs(1).build()),
            p,
            List.of(at, at, at, at));
    assertEquals(6, out.kept().size());
    assertEquals(List.of("read_rest_of_file_lost"), out.reasons());
    String detail = out.rejected().get(0).detail();
    assertTrue(
        detail.contains("after 2 retries")
            && detail.contains((Files.size(p) - at) + " of " + Files.size(p)),
        detail);
    assertEquals(2L, out.counts().get("read_io_retries"));
    assertEquals(Files.size(p) - at, out.counts().get("read_bytes_lost"));
  }
}
