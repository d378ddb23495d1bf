package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.RejectedDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet text cells of any size are quarantined by their byte size, never decoded whole. */
class ParquetReadTest {
  @TempDir Path dir;

  static void writeTexts(Path file, List<String> texts) throws IOException {
    MessageType type =
        MessageTypeParser.parseMessageType("message m { optional binary text (UTF8); }");
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withType(type)
            .withConf(new Configuration())
            .build()) {
      for (String t : texts) w.write(groups.newGroup().append("text", t));
    }
  }

  @Test
  void aHugeCellIsRejectedByItsByteLengthWithItsHead() throws IOException {
    Path p = dir.resolve("t.parquet");
    String huge = "x".repeat(50_000);
    writeTexts(p, List.of("first row", huge, "third row"));
    WarcReadTest.Out out =
        WarcReadTest.read(
            new CorpusReader(
                ReadOptions.builder().setMaxDocBytes(10_000).setRejectedTextMaxChars(100).build()),
            p);
    assertEquals(
        List.of("first row", "third row"),
        out.kept().values().stream().map(d -> d.text()).toList());
    assertEquals(List.of("read_too_large"), out.reasons());
    RejectedDocument r = out.rejected().get(0);
    assertEquals(WarcReadTest.id(p) + "#row=1", r.id());
    assertEquals("50000 bytes > max_doc_bytes 10000", r.detail());
    assertEquals(100, r.text().length());
    assertEquals(3, out.outputs(), "rows in = kept + rejected");
  }

  @Test
  void aRowGroupWithTooMuchTextIsNotReadAndEachOfItsRowsIsRejected() throws IOException {
    Path p = dir.resolve("g.parquet");
    writeTexts(p, List.of("a", "b", "c", "d", "e".repeat(5000)));
    WarcReadTest.Out out =
        WarcReadTest.read(
            new CorpusReader(ReadOptions.builder().setParquetMaxRowGroupTextBytes(1000).build()),
            p);
    assertEquals(0, out.kept().size());
    assertEquals(
        List.of(
            "read_too_large",
            "read_too_large",
            "read_too_large",
            "read_too_large",
            "read_too_large"),
        out.reasons());
    for (int i = 0; i < 5; i++)
      assertEquals(WarcReadTest.id(p) + "#row=" + i, out.rejected().get(i).id());
    assertTrue(
        out.rejected().get(0).detail().startsWith("row group 0 holds "),
        out.rejected().get(0).detail());
    assertEquals(5, WarcReadTest.read(new CorpusReader(), p).kept().size());
  }
}
