package io.github.sparkgpt.pipeline.task.sets.generative;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A dictd dictionary: {@code NAME.index} lines {@code headword<TAB>offset<TAB>length}, the numbers
 * in dictd's base64 digits (A-Z a-z 0-9 + /, most significant first), slicing the bytes of {@code
 * NAME.dict.dz} (dictzip, which any gzip reader inflates whole). dictd's own {@code 00-database-*}
 * entries (also spelled {@code 00database*}) describe the file, not a word, and are left out.
 */
final class DictdFile {
  private static final String DIGITS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** One index line and the text it points at; {@code line} is its 1-based index line. */
  record Entry(String headword, long offset, long length, int line, String text) {
    String key() {
      return offset + ":" + length;
    }
  }

  /** Index lines that do not parse or point outside the data, with the reason. */
  record Bad(int line, String text, String reason) {}

  final List<Entry> entries = new ArrayList<>();
  final List<Bad> bad = new ArrayList<>();
  int databaseEntries;

  static long decode(String digits) {
    if (digits.isEmpty()) throw new IllegalArgumentException("empty number");
    long v = 0;
    for (char c : digits.toCharArray()) {
      int d = DIGITS.indexOf(c);
      if (d < 0) throw new IllegalArgumentException("not a dictd base64 digit: " + c);
      v = v * 64 + d;
    }
    return v;
  }

  static DictdFile read(Path dir, String name) {
    Path index = dir.resolve(name + ".index");
    Path data = dir.resolve(name + ".dict.dz");
    for (Path p : List.of(index, data))
      if (!Files.isRegularFile(p)) throw new IllegalArgumentException("missing " + p);
    DictdFile d = new DictdFile();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(data))) {
      byte[] bytes = in.readAllBytes();
      List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) d.add(i + 1, lines.get(i), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + " in " + dir, e);
    }
    return d;
  }

  private void add(int line, String text, byte[] bytes) {
    String[] f = text.split("\t");
    if (f.length != 3 || f[0].isBlank()) {
      bad.add(new Bad(line, text, "bad_index_line"));
      return;
    }
    if (f[0].startsWith("00-database") || f[0].startsWith("00database")) {
      databaseEntries++;
      return;
    }
    long offset;
    long length;
    try {
      offset = decode(f[1]);
      length = decode(f[2]);
    } catch (IllegalArgumentException e) {
      bad.add(new Bad(line, text, "bad_index_number"));
      return;
    }
    if (offset + length > bytes.length) {
      bad.add(new Bad(line, text, "index_outside_data"));
      return;
    }
    byte[] slice = Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length));
    entries.add(new Entry(f[0], offset, length, line, new String(slice, StandardCharsets.UTF_8)));
  }
}
