package io.github.sparkgpt.pipeline.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small JSON and text files (manifest, statistics, summaries) written through the Hadoop
 * FileSystem.
 */
public final class JsonFiles {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonFiles() {}

  public static void writeJson(FileSystem fs, Path path, Object value) {
    try {
      writeText(fs, path, MAPPER.writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serialise " + path.getName() + ": " + e.getMessage(), e);
    }
  }

  public static void writeText(FileSystem fs, Path path, String text) {
    writeBytes(fs, path, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeBytes(FileSystem fs, Path path, byte[] bytes) {
    try (OutputStream out = fs.create(path, true)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}
