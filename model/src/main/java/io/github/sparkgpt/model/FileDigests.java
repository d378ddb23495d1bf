package io.github.sparkgpt.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** sha256 of files, streamed (a model.zip can be larger than a byte array). */
public final class FileDigests {

  private FileDigests() {}

  /** Size and sha256 of one file. */
  public record Digest(long size, String sha256) {}

  public static Digest of(Path file) throws IOException {
    return of(Files.newInputStream(file));
  }

  /** Size and sha256 of everything {@code stream} holds (any filesystem's); closes it. */
  public static Digest of(InputStream stream) throws IOException {
    MessageDigest md = sha256();
    long size = 0;
    try (InputStream in = new DigestInputStream(stream, md)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) size += n;
    }
    return new Digest(size, HexFormat.of().formatHex(md.digest()));
  }

  public static String sha256(Path file) throws IOException {
    return of(file).sha256();
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * The sha256 of a {@code sha256sum}-style listing ({@code "<hex> <name>\n"} per file, names in
   * byte order): {@code sha256sum config.json model.zip tokenizer.json | sha256sum} computes the
   * same for a checkpoint.
   */
  public static String ofListing(Map<String, String> sha256ByName) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(sha256ByName)
        .forEach((name, sha) -> s.append(sha).append("  ").append(name).append('\n'));
    return sha256(s.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
