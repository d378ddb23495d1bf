package io.github.sparkgpt.pipeline.read;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.SparkTestSession;
import io.github.sparkgpt.pipeline.StageOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/**
 * Read stage on files the tests write: every format, compression, each quarantine reason, ids, path
 * expansion.
 */
class CorpusReaderTest {
  @TempDir Path dir;

  private static final SparkSession SPARK = SparkTestSession.get();

  private List<StageOutput> read(CorpusReader reader, Path... paths) {
    List<String> ps = Arrays.stream(paths).map(Path::toString).toList();
    return reader.read(SPARK, ps).collect();
  }

  private static Map<String, Document> kept(List<StageOutput> out) {
    Map<String, Document> m = new TreeMap<>();
    for (StageOutput o : out) if (o.isKept()) m.put(o.document().id(), o.document());
    return m;
  }

  private static List<RejectedDocument> rejected(List<StageOutput> out) {
    List<RejectedDocument> r = new ArrayList<>();
    for (StageOutput o : out) if (o.isRejected()) r.add(o.rejected());
    return r;
  }

  /**
   * The id prefix of a file given directly as an input: its name (ids are relative to their input
   * root).
   */
  private static String id(Path p) {
    return p.getFileName().toString();
  }

  private static String uri(Path p) {
    return "file:" + p.toAbsolutePath();
  }

  private Path write(String name, String text) throws IOException {
    return write(name, text.getBytes(UTF_8));
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    return p;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  private static byte[] zstd(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new ZstdOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  @Test
  void plainTextIsOneDocumentPerFileWithInvalidUtf8Replaced() throws IOException {
    byte[] bytes = "Caf\u00e9 au lait.\nSecond line \u2014 ok.\n".getBytes(UTF_8);
    byte[] withBad = Arrays.copyOf(bytes, bytes.length + 7);
    System.arraycopy(
        new byte[] {'x', (byte) 0xFF, 'y', '\n', 'e', 'n', 'd'}, 0, withBad, bytes.length, 7);
    Path p = write("a.txt", withBad);
    List<StageOutput> out = read(new CorpusReader(), p);
    assertEquals(1, out.size());
    Document d = out.get(0).document();
    assertEquals(id(p), d.id());
    assertEquals(uri(p), d.source());
    assertEquals("Caf\u00e9 au lait.\nSecond line \u2014 ok.\nx\uFFFDy\nend", d.text());
  }

  @Test
  void textLinesGivesOneDocumentPerNonBlankLine() throws IOException {
    Path p = write("lines.txt", "\uFEFFfirst line\r\n\r\n  \nthird line\nlast without newline");
    Map<String, Document> docs =
        kept(read(new CorpusReader(ReadOptions.builder().setFormat("text_lines").build()), p));
    assertEquals(
        Map.of(
            id(p) + "#L1",
            "first line",
            id(p) + "#L4",
            "third line",
            id(p) + "#L5",
            "last without newline"),
        docs.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
  }

  @Test
  void jsonlKeepsGoodRecordsAndQuarantinesBadLines() throws IOException {
    Path p =
        write(
            "c.jsonl",
            String.join(
                    "\n",
                    "{\"id\": \"abc\", \"text\": \"first doc\"}",
                    "{\"text\": \"no id here\", \"meta\": {\"x\": 1}}",
                    "{\"id\": 7, \"text\": \"numeric id\"}",
                    "{not json at all",
                    "{\"id\": \"abc\", \"text\": \"repeated id\"}",
                    "",
                    "{\"id\": \"t\", \"body\": \"wrong field\"}",
                    "{\"id\": \"n\", \"text\": 42}",
                    "[1, 2]",
                    "{\"text\": \"trailing\"} garbage",
                    "{\"id\": \"e\", \"text\": \"  \"}",
                    "{\"text\": \"last\"}")
                + "\n");
    String f = id(p);
    List<StageOutput> out = read(new CorpusReader(), p);
    Map<String, Document> docs = kept(out);
    assertEquals(
        List.of(f + "#L12", f + "#L2", f + "#L5", f + "#id=7", f + "#id=abc"),
        List.copyOf(docs.keySet()));
    assertEquals("first doc", docs.get(f + "#id=abc").text());
    assertEquals("repeated id", docs.get(f + "#L5").text());
    Map<String, String> reasons = new TreeMap<>();
    for (RejectedDocument r : rejected(out)) reasons.put(r.id(), r.reason());
    assertEquals(
        Map.of(
            f + "#L4", "read_malformed_json",
            f + "#L7", "read_missing_text",
            f + "#L8", "read_missing_text",
            f + "#L9", "read_malformed_json",
            f + "#L10", "read_malformed_json",
            f + "#id=e", "read_empty"),
        reasons);
    RejectedDocument bad =
        rejected(out).stream().filter(r -> r.id().endsWith("#L4")).findFirst().orElseThrow();
    assertEquals("{not json at all", bad.text());
    assertEquals("read", bad.stage());
    assertEquals(uri(p), bad.source());
  }

  @Test
  void jsonlFieldNamesAreConfigurable() throws IOException {
    Path p = write("d.ndjson", "{\"doc_id\": \"q1\", \"content\": \"hello\"}\n");
    Map<String, Document> docs =
        kept(
            read(
                new CorpusReader(
                    ReadOptions.builder().setTextField("content").setIdField("doc_id").build()),
                p));
    assertEquals("hello", docs.get(id(p) + "#id=q1").text());
  }

  @Test
  void gzipAndZstdAreDecompressedByExtension() throws IOException {
    byte[] jsonl =
        "{\"id\":\"1\",\"text\":\"one\"}\n{\"id\":\"2\",\"text\":\"two\"}\n".getBytes(UTF_8);
    Path gz = write("g.jsonl.gz", gzip(jsonl));
    Path zst = write("z.jsonl.zst", zstd(jsonl));
    Path txt = write("t.txt.zst", zstd("zstd text".getBytes(UTF_8)));
    Map<String, Document> docs = kept(read(new CorpusReader(), gz, zst, txt));
    assertEquals("two", docs.get(id(gz) + "#id=2").text());
    assertEquals("one", docs.get(id(zst) + "#id=1").text());
    assertEquals("zstd text", docs.get(id(txt)).text());
    assertEquals(5, docs.size());
    // Concatenated gzip members (bgzip, .warc.gz) are one stream.
    byte[] a = gzip("{\"text\":\"member one\"}\n".getBytes(UTF_8));
    byte[] b = gzip("{\"text\":\"member two\"}\n".getBytes(UTF_8));
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    Path multi = write("multi.jsonl.gz", both);
    assertEquals(
        List.of("member one", "member two"),
        read(new CorpusReader(), multi).stream().map(o -> o.document().text()).sorted().toList());
  }

  /** Lines of random words, so the compressed stream is long enough to cut in the middle. */
  private static byte[] randomLines(int n) {
    Random rnd = new Random(42);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append("{\"text\": \"line ").append(i);
      for (int w = 0; w < 12; w++)
        sb.append(' ').append(Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
      sb.append("\"}\n");
    }
    return sb.toString().getBytes(UTF_8);
  }

  @Test
  void truncatedCompressedFilesKeepTheHeadAndRejectTheTailOnce() throws IOException {
    for (String ext : List.of("gz", "zst")) {
      byte[] full = ext.equals("gz") ? gzip(randomLines(2000)) : zstd(randomLines(2000));
      Path p = write("cut.jsonl." + ext, Arrays.copyOf(full, full.length / 2));
      List<StageOutput> out = read(new CorpusReader(), p);
      List<RejectedDocument> rej = rejected(out);
      assertEquals(1, rej.size(), ext + ": " + rej);
      assertEquals("read_truncated", rej.get(0).reason(), ext + ": " + rej.get(0));
      Map<String, Document> docs = kept(out);
      assertTrue(docs.size() > 500 && docs.size() < 1500, ext + " kept " + docs.size());
      // Documents are exactly the first lines, in order, and the rejection names the next line.
      for (int i = 1; i <= docs.size(); i++) {
        assertTrue(
            docs.get(id(p) + "#L" + i).text().startsWith("line " + i + " "), ext + " line " + i);
      }
      assertEquals(id(p) + "#L" + (docs.size() + 1), rej.get(0).id());
    }
  }

  @Test
  void truncatedWarcKeepsTheRecordsBeforeTheDamage() throws IOException {
    Path p = dir.resolve("cut.warc.gz");
    Random rnd = new Random(3);
    try (WarcWriter w =
        new WarcWriter(
            FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            WarcCompression.GZIP)) {
      for (int i = 0; i < 40; i++) {
        StringBuilder body = new StringBuilder("<html><body><p>page " + i);
        for (int k = 0; k < 200; k++)
          body.append(' ').append(Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
        body.append("</p></body></html>");
        w.write(
            new WarcResponse.Builder(URI.create("https://example.org/" + i))
                .body(
                    new HttpResponse.Builder(200, "OK")
                        .body(MediaType.HTML, body.toString().getBytes(UTF_8))
                        .build())
                .build());
      }
    }
    byte[] full = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(full, full.length / 2));
    List<StageOutput> out = read(new CorpusReader(), p);
    List<RejectedDocument> rej = rejected(out);
    assertEquals(1, rej.size(), rej.toString());
    assertEquals("read_truncated", rej.get(0).reason());
    assertTrue(rej.get(0).id().startsWith(id(p) + "#offset="), rej.get(0).id());
    List<String> urls = kept(out).values().stream().map(Document::url).sorted().toList();
    assertTrue(urls.size() >= 15 && urls.size() < 40, "kept " + urls.size());
    for (Document d : kept(out).values()) {
      assertTrue(
          d.text().startsWith("page " + d.url().substring("https://example.org/".length()) + " "));
    }
  }

  @Test
  void notCompressedAtAllIsUnreadable() throws IOException {
    Path p = write("fake.txt.gz", "plain text pretending to be gzip");
    List<RejectedDocument> rej = rejected(read(new CorpusReader(), p));
    assertEquals(1, rej.size());
    assertEquals("read_unreadable", rej.get(0).reason());
    assertEquals(id(p), rej.get(0).id());
  }

  @Test
  void binaryGarbageIsRejectedWholeInEveryFormat() throws IOException {
    byte[] garbage = new byte[20_000];
    new Random(7).nextBytes(garbage);
    Path blob = write("image.bin", garbage);
    Path lines = write("blob.jsonl", garbage);
    Path nul = write("nul.txt", "looks like text\u0000but has a NUL");
    List<StageOutput> out = read(new CorpusReader(), blob, lines, nul);
    assertEquals(3, out.size(), out.toString());
    for (RejectedDocument r : rejected(out)) {
      assertEquals("read_binary_content", r.reason(), r.toString());
      assertTrue(r.text().length() <= 10_000);
    }
    // A little invalid UTF-8 in real text is not binary.
    Path latin1 =
        write("latin1.txt", "Un caf\u00e9 tr\u00e8s bon, merci beaucoup.".getBytes("ISO-8859-1"));
    Document d = read(new CorpusReader(), latin1).get(0).document();
    assertEquals("Un caf\uFFFD tr\uFFFDs bon, merci beaucoup.", d.text());
  }

  @Test
  void emptyAndWhitespaceOnlyInputsAreRejectedNotSkipped() throws IOException {
    Path empty = write("empty.txt", "");
    Path blank = write("blank.txt", " \n\t\n ");
    Path emptyJsonl = write("empty.jsonl", "\n\n");
    Map<String, String> reasons = new TreeMap<>();
    for (RejectedDocument r : rejected(read(new CorpusReader(), empty, blank, emptyJsonl))) {
      reasons.put(r.id(), r.reason());
    }
    assertEquals(
        Map.of(id(empty), "read_empty", id(blank), "read_empty", id(emptyJsonl), "read_empty"),
        reasons);
  }

  @Test
  void oversizedDocumentsAreRejectedWithTheirHead() throws IOException {
    Path big = write("big.txt", "x".repeat(500));
    Path ok = write("ok.txt", "y".repeat(100));
    Path bigLine =
        write("big.jsonl", "{\"text\": \"" + "z".repeat(150) + "\"}\n{\"text\": \"fine\"}\n");
    // Without splitting a text file is read only up to max_doc_bytes: the rejection keeps its head.
    List<StageOutput> out =
        read(
            new CorpusReader(ReadOptions.builder().setMaxDocBytes(100).setSplit("never").build()),
            big,
            ok,
            bigLine);
    assertEquals(
        Map.of(id(ok), "y".repeat(100), id(bigLine) + "#L2", "fine"),
        kept(out).entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
    Map<String, RejectedDocument> rej =
        rejected(out).stream().collect(Collectors.toMap(RejectedDocument::id, r -> r));
    assertEquals("read_too_large", rej.get(id(big)).reason());
    assertEquals("x".repeat(100), rej.get(id(big)).text());
    assertEquals("read_too_large", rej.get(id(bigLine) + "#L1").reason());
    // The raw record limit stops a long JSONL line before parsing.
    List<RejectedDocument> raw =
        rejected(
            read(new CorpusReader(ReadOptions.builder().setMaxRecordBytes(50).build()), bigLine));
    assertEquals(List.of(id(bigLine) + "#L1"), raw.stream().map(RejectedDocument::id).toList());
    assertTrue(raw.get(0).detail().contains("max_record_bytes"));
  }

  @Test
  void missingPathsAndEmptyGlobsFailWithTheirName() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SPARK.sparkContext());
    String missing = dir.resolve("nope/corpus.jsonl").toString();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new CorpusReader().read(jsc, List.of(missing)));
    assertEquals("input path does not exist or matches no file: " + missing, e.getMessage());
    String glob = dir.resolve("*.parquet").toString();
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new CorpusReader().read(jsc, List.of(glob)));
    assertTrue(e.getMessage().endsWith(glob), e.getMessage());
  }

  @Test
  void directoriesAreReadRecursivelyAndGlobsExpand() throws IOException {
    write("corpus/a.txt", "alpha");
    write("corpus/sub/deeper/b.jsonl", "{\"text\": \"beta\"}\n");
    write("corpus/sub/c.html", "<html><body><p>gamma</p></body></html>");
    write("corpus/_SUCCESS", "");
    write("corpus/.hidden.txt", "hidden");
    write("corpus/_tmp/x.txt", "temporary");
    List<StageOutput> out = read(new CorpusReader(), dir.resolve("corpus"));
    assertEquals(
        List.of("alpha", "beta", "gamma"),
        out.stream().map(o -> o.document().text()).sorted().toList());
    List<StageOutput> globbed =
        new CorpusReader()
            .read(SPARK, List.of(dir + "/corpus/*/*/*.jsonl", dir + "/corpus/a.*"))
            .collect();
    assertEquals(
        List.of("alpha", "beta"), globbed.stream().map(o -> o.document().text()).sorted().toList());
  }

  @Test
  void idsAreStableAcrossReadsAndUniqueWithinARun() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 300; i++)
      jsonl
          .append("{\"id\": \"")
          .append(i % 100)
          .append("\", \"text\": \"doc ")
          .append(i)
          .append("\"}\n");
    write("many/a.jsonl", jsonl.toString());
    write("many/b.jsonl.gz", gzip(jsonl.toString().getBytes(UTF_8)));
    for (int i = 0; i < 20; i++) write("many/t" + i + ".txt", "text " + i + "\nsecond line");
    CorpusReader reader = new CorpusReader(ReadOptions.builder().setPartitions(5).build());
    List<String> first =
        read(reader, dir.resolve("many")).stream().map(o -> o.document().id()).sorted().toList();
    List<String> second =
        read(reader, dir.resolve("many")).stream().map(o -> o.document().id()).sorted().toList();
    assertEquals(620, first.size());
    assertEquals(first.size(), new HashSet<>(first).size(), "ids unique");
    assertEquals(first, second);
  }

  @Test
  void planCountsRawBytesAndBalancesPartitions() throws IOException {
    Path a = write("p/a.txt", "x".repeat(1000));
    Path b = write("p/b.txt.gz", gzip("y".repeat(5000).getBytes(UTF_8)));
    ReadPlan plan =
        new CorpusReader()
            .plan(SPARK.sparkContext().hadoopConfiguration(), List.of(dir.resolve("p").toString()));
    assertEquals(List.of(uri(a), uri(b)), plan.files().stream().map(InputFile::path).toList());
    assertEquals(Files.size(a) + Files.size(b), plan.totalBytes());
    assertEquals(Compression.GZIP, plan.files().get(1).compression());
    List<List<InputFile>> groups =
        PartitionBalancer.balance(
            List.of(
                new InputFile("f1", 100, InputFormat.TEXT, Compression.NONE),
                new InputFile("f2", 60, InputFormat.TEXT, Compression.NONE),
                new InputFile("f3", 50, InputFormat.TEXT, Compression.NONE),
                new InputFile("f4", 10, InputFormat.TEXT, Compression.NONE)),
            2);
    assertEquals(
        List.of(List.of("f1", "f4"), List.of("f2", "f3")),
        groups.stream().map(g -> g.stream().map(InputFile::path).toList()).toList());
  }

  @Test
  void htmlKeepsMainTextAndParagraphsWithoutBoilerplate() throws IOException {
    String page =
        """
        <!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style>
        <script>var tracking = 1;</script></head>
        <body>
          <header><h1>Site name</h1><nav><a href="/">Home</a> | <a href="/about">About</a></nav></header>
          <aside>Related links</aside>
          <div class="content">
            <h2>The   real title</h2>
            <p>First paragraph with <b>bold</b>
               and a <a href="#">link</a>.</p>
            <p>Second paragraph.<br>After a break.</p>
            <ul><li>item one</li><li>item two</li></ul>
            <form><input value="Search"><button>Go</button></form>
            <div hidden>invisible</div>
          </div>
          <footer>Copyright 2024</footer>
        </body></html>\
        """;
    Path p = write("page.html", page);
    Document d = read(new CorpusReader(), p).get(0).document();
    assertEquals(
        "The real title\n\n"
            + "First paragraph with bold and a link.\n\n"
            + "Second paragraph.\n"
            + "After a break.\n\n"
            + "item one\n"
            + "item two",
        d.text());
    assertNull(d.url());
  }

  @Test
  void htmlPrefersMainElement() {
    org.jsoup.nodes.Document page =
        org.jsoup.Jsoup.parse(
            "<body><div>menu junk</div><main><p>Only this.</p><pre>  code\n"
                + "    indented</pre></main></body>");
    assertEquals("Only this.\n\n  code\n    indented", HtmlTextExtractor.extract(page));
  }

  @Test
  void warcHtmlResponsesBecomeDocumentsWithTheirUrl() throws IOException {
    byte[] html =
        ("<html><head><title>t</title></head><body><nav>Menu</nav><p>Hello from the"
                + " web.</p><p>Zweiter Absatz \u00fcber Caf\u00e9.</p></body></html>")
            .getBytes(UTF_8);
    Path p = dir.resolve("crawl.warc.gz");
    WarcResponse page;
    WarcResponse image;
    WarcResponse missing;
    try (WarcWriter w =
        new WarcWriter(
            FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            WarcCompression.GZIP)) {
      w.write(
          new WarcRequest.Builder(URI.create("https://example.org/page"))
              .body(new HttpRequest.Builder("GET", "/page").build())
              .build());
      page =
          new WarcResponse.Builder(URI.create("https://example.org/page"))
              .body(
                  new HttpResponse.Builder(200, "OK")
                      .body(MediaType.parse("text/html; charset=UTF-8"), html)
                      .build())
              .build();
      w.write(page);
      image =
          new WarcResponse.Builder(URI.create("https://example.org/logo.png"))
              .body(
                  new HttpResponse.Builder(200, "OK")
                      .body(MediaType.parse("image/png"), new byte[] {(byte) 0x89, 'P'})
                      .build())
              .build();
      w.write(image);
      missing =
          new WarcResponse.Builder(URI.create("https://example.org/gone"))
              .body(new HttpResponse.Builder(404, "Not Found").body(MediaType.HTML, html).build())
              .build();
      w.write(missing);
    }
    List<StageOutput> out = read(new CorpusReader(), p);
    Map<String, Document> docs = kept(out);
    String id = id(p) + "#rec=" + page.id();
    assertEquals(List.of(id), List.copyOf(docs.keySet()));
    assertEquals("https://example.org/page", docs.get(id).url());
    assertEquals("Hello from the web.\n\nZweiter Absatz \u00fcber Caf\u00e9.", docs.get(id).text());
    Map<String, String> reasons =
        rejected(out).stream()
            .collect(Collectors.toMap(RejectedDocument::id, RejectedDocument::reason));
    assertEquals(
        Map.of(
            id(p) + "#rec=" + image.id(),
            "read_warc_not_text",
            id(p) + "#rec=" + missing.id(),
            "read_warc_http_status"),
        reasons);
    assertTrue(rejected(out).stream().allMatch(r -> r.text().isEmpty()));
  }

  /**
   * Parquet written with parquet-hadoop's example writer: no Spark SQL start-up in this test class.
   */
  private static void writeParquet(Path file, String schema, List<Object[]> rows)
      throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withType(type)
            .withConf(new Configuration())
            .build()) {
      for (Object[] row : rows) {
        Group g = groups.newGroup();
        for (int i = 0; i < row.length; i++) {
          if (row[i] instanceof Long v) g.add(i, v);
          else if (row[i] instanceof Integer v) g.add(i, v);
          else if (row[i] instanceof String v) g.add(i, v);
        }
        w.write(g);
      }
    }
  }

  @Test
  void parquetReadsTheTextColumnWithIdsFromAColumnOrTheRow() throws IOException {
    Path pq = dir.resolve("table/part-0.parquet");
    writeParquet(
        pq,
        "message m { optional int64 doc_id; optional binary content (UTF8); optional int32 other;"
            + " }",
        List.of(
            new Object[] {10L, "ten", 1},
            new Object[] {11L, null, 2},
            new Object[] {null, "no id", 3},
            new Object[] {10L, "ten again", 4}));
    Path noText = dir.resolve("other.parquet");
    writeParquet(noText, "message m { required int32 n; }", List.<Object[]>of(new Object[] {1}));

    List<StageOutput> out =
        read(
            new CorpusReader(
                ReadOptions.builder().setTextColumn("content").setIdColumn("doc_id").build()),
            pq,
            noText);
    String file = id(pq);
    assertEquals(
        Map.of(file + "#id=10", "ten", file + "#row=2", "no id", file + "#row=3", "ten again"),
        kept(out).entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
    List<RejectedDocument> rej = rejected(out);
    assertEquals(2, rej.size(), rej.toString());
    assertEquals(file + "#row=1", rej.get(0).id());
    assertEquals("read_missing_text", rej.get(0).reason());
    assertEquals("read_missing_text", rej.get(1).reason());
    assertTrue(rej.get(1).detail().contains("no column 'content'"), rej.get(1).detail());
    // Without an id column, ids are row positions.
    assertTrue(
        kept(read(new CorpusReader(ReadOptions.builder().setTextColumn("content").build()), pq))
            .containsKey(file + "#row=0"));
  }

  @Test
  void configKeysBindAndBadValuesFailClearly() {
    ReadOptions r =
        ConfigBinder.bind(
                ReadOptions.builder(),
                ConfigFactory.parseString(
                    "format = jsonl, text_field = body, max_doc_bytes = 1000,"
                        + " binary_max_control_fraction = 0.2, warc_content_types = [text/html],"
                        + " partitions = 3"),
                "read")
            .build();
    assertEquals("jsonl", r.format());
    assertEquals("body", r.jsonl().textField());
    assertEquals(1000, r.limits().maxDocBytes());
    assertEquals(List.of("text/html"), r.warc().htmlTypes());
    assertEquals(3, r.partitions());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ReadOptions.builder().setFormat("csv").build());
    assertTrue(e.getMessage().contains("read.format 'csv'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ReadOptions.builder().setBinaryMaxControlFraction(2).build());
    assertThrows(
        IllegalArgumentException.class, () -> ReadOptions.builder().setMaxDocBytes(0).build());
  }
}
