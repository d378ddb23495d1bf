package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.StageOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** A parser that blows its stack on a crafted file costs that file's tail, not the task. */
class FileRecordsErrorTest {
  /** Emits two documents, then fails the way the given error says. */
  static final class Failing extends FileRecords {
    private final Error error;
    private int calls;

    Failing(Error error) {
      super(
          new InputFile("file:/x.txt", 10, InputFormat.TEXT, Compression.NONE),
          RecordLimits.DEFAULTS,
          new Configuration());
      this.error = error;
    }

    @Override
    protected boolean advance() {
      if (++calls <= 2) {
        emit("file:/x.txt#" + calls, null, "document " + calls);
        return true;
      }
      throw error;
    }
  }

  @Test
  void aStackOverflowEndsTheFileWithOneRejectionAndAJvmInTroubleFailsTheTask() {
    List<StageOutput> out = new ArrayList<>();
    new Failing(new StackOverflowError()).forEachRemaining(out::add);
    assertEquals(3, out.size());
    assertTrue(out.get(0).isKept() && out.get(1).isKept());
    assertEquals("read_unreadable", out.get(2).rejected().reason());
    assertEquals("java.lang.StackOverflowError", out.get(2).rejected().detail());
    assertThrows(
        OutOfMemoryError.class,
        () -> new Failing(new OutOfMemoryError()).forEachRemaining(o -> {}));
  }

  @Test
  void corruptGzipInTheMiddleOfAJsonlFileLosesTheRestOnceWithTheBytesNotRead(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    StringBuilder lines = new StringBuilder();
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 1; i <= 4000; i++) {
      lines.append("{\"text\": \"line ").append(i);
      for (int k = 0; k < 20; k++)
        lines.append(' ').append(Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
      lines.append("\"}\n");
    }
    // Two gzip members (as bgzip writes); the second's deflate data starts with a block of the
    // reserved type.
    String all = lines.toString();
    int cut = all.indexOf("{\"text\": \"line 1001 ");
    byte[] first =
        WarcFixtures.gzip(all.substring(0, cut).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] second =
        WarcFixtures.gzip(all.substring(cut).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    second[10] = 0x07;
    byte[] gz = new byte[first.length + second.length];
    System.arraycopy(first, 0, gz, 0, first.length);
    System.arraycopy(second, 0, gz, first.length, second.length);
    java.nio.file.Path p = dir.resolve("corrupt.jsonl.gz");
    java.nio.file.Files.write(p, gz);
    WarcReadTest.Out out = WarcReadTest.read(new CorpusReader(), p);
    assertEquals(1000, out.kept().size());
    assertEquals(List.of("read_rest_of_file_lost"), out.reasons());
    String detail = out.rejected().get(0).detail();
    assertTrue(detail.contains(" of " + gz.length + " bytes from byte "), detail);
    long lost = out.counts().get("read_bytes_lost");
    assertTrue(lost > second.length - (1 << 16) - 1 && lost <= second.length, "bytes lost " + lost);
  }
}
