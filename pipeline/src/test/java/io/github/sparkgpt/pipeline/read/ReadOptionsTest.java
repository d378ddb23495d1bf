package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {
  @Test
  void theShippedReadSectionBindsToTheNamedDefaults() {
    var section =
        ConfigFactory.parseFile(new File("../conf/preprocess.conf"))
            .resolve()
            .getConfig("preprocess.read");
    assertEquals(
        ReadOptions.DEFAULTS, ConfigBinder.bind(ReadOptions.builder(), section, "read").build());
    assertEquals(
        ConfigBinder.knownKeys(ReadOptions.Builder.class),
        section.root().keySet(),
        "one key per setter");
  }

  @Test
  void eachFormatGetsItsOwnRecordAndAutoPicksByName() {
    ReadOptions o =
        ReadOptions.builder()
            .setTextColumn("body")
            .setWarcTextTypes(List.of("text/markdown"))
            .setSplit("never")
            .build();
    assertEquals(
        new ParquetOptions("body", "", ParquetOptions.DEFAULT_MAX_ROW_GROUP_TEXT_BYTES),
        o.parquet());
    assertEquals(List.of("text/markdown"), o.warc().textTypes());
    assertEquals(TextSplitter.Mode.NEVER, o.text().split());
    assertEquals(InputFormat.WARC, o.formatFor("crawl.warc.gz"));
    assertEquals(
        InputFormat.JSONL, ReadOptions.builder().setFormat("jsonl").build().formatFor("notes.txt"));
  }

  @Test
  void invalidValuesFailWhenBuiltNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadOptions.builder().setSplitMaxBytes(0).build());
    assertTrue(e.getMessage().startsWith("read.split_max_bytes"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadOptions.builder().setWarcContentTypes(List.of()).build());
    assertTrue(e.getMessage().startsWith("read.warc_content_types"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ReadOptions.builder().setIdField(" ").build());
    assertTrue(e.getMessage().startsWith("read.id_field"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ReadOptions.builder().setPartitions(-1).build());
    assertTrue(e.getMessage().startsWith("read.partitions"), e.getMessage());
  }
}
