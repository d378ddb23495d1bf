package io.github.sparkgpt.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardExportTest {
  private static final int[][] TRAIN = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 4095}};

  @Test
  void writesTheTrainRowsAsLittleEndianInt32WithTheModelOfThePretrainJob(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    MessageType schema = MessageTypeParser.parseMessageType(ShardWriter.SCHEMA);
    org.apache.hadoop.fs.Path shard =
        new org.apache.hadoop.fs.Path(data.resolve("train/shard-0.parquet").toUri());
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(shard).withType(schema).build()) {
      for (int[] row : TRAIN) {
        Group g = new SimpleGroupFactory(schema).newGroup();
        Group list = g.addGroup("tokens");
        for (int t : row) list.addGroup("list").append("element", t);
        w.write(g);
      }
    }
    Manifest m =
        Manifest.create(
            List.of("in"),
            List.of(new ShardInfo("train/shard-0.parquet", 2, 10, 1)),
            List.of(),
            4,
            4096,
            0,
            "sha",
            "",
            1,
            "3.5");
    Files.writeString(data.resolve(Manifest.FILE), JsonFiles.MAPPER.writeValueAsString(m));

    Path out = dir.resolve("export");
    assertEquals(2, ShardExport.export(data.toString(), out, "small"));
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out.resolve("train.i32")));
    int[] got = new int[b.remaining() / 4];
    b.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(got);
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 4095}, got);
    String meta = Files.readString(out.resolve("meta.json"));
    assertTrue(meta.contains("\"rows\": 2") && meta.contains("\"sequenceLength\": 5"), meta);
    assertTrue(meta.replaceAll("\\s", "").contains("\"vocabSize\":4096,\"contextLength\":4"), meta);
    assertTrue(meta.replaceAll("\\s", "").contains("\"layers\":4,\"dModel\":256"), meta);
    try (var left = Files.list(dir)) {
      assertEquals(2, left.count(), "no temporary directory left beside the export");
    }
  }
}
