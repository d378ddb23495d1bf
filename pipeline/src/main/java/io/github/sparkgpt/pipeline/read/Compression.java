package io.github.sparkgpt.pipeline.read;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Stream compression picked by file extension. Neither gzip nor zstd files can be split across tasks. */
public enum Compression {
  NONE, GZIP, ZSTD;

  public static Compression forFileName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) return GZIP;
    if (n.endsWith(".zst")) return ZSTD;
    return NONE;
  }

  static String stripSuffix(String lowerName) {
    if (lowerName.endsWith(".gz")) return lowerName.substring(0, lowerName.length() - 3);
    if (lowerName.endsWith(".zst")) return lowerName.substring(0, lowerName.length() - 4);
    return lowerName;
  }

  /** Wrap a raw stream; reads the gzip header at once, so a non-gzip ".gz" file fails here. */
  public InputStream wrap(InputStream raw) throws IOException {
    return switch (this) {
      case NONE -> raw;
      // GZIPInputStream reads concatenated members too (bgzip, .warc.gz with one member per record).
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case ZSTD -> new ZstdInputStream(raw);
    };
  }
}
