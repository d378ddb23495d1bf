package io.github.sparkgpt.pipeline.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * VADER's sentiment lexicon: token -> mean valence (-4..4), read at run time from {@code
 * vader_lexicon.txt} (npm {@code vader-sentiment}, fetched by {@code deploy/fetch-data}; never
 * bundled). Each line is {@code token TAB mean TAB std TAB [ten ratings]}; only the first two
 * fields are used. A token listed twice keeps its last value, as the package's own lexicon does
 * (the file lists 14 tokens twice, e.g. {@code lol}).
 */
public final class VaderLexicon implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Map<String, Double> valence;

  private VaderLexicon(Map<String, Double> valence) {
    this.valence = valence;
  }

  /** Reads the lexicon from a local path or a file:, hdfs: or s3a: URI. */
  public static VaderLexicon read(String file, Configuration conf) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) throw new IllegalArgumentException("VADER lexicon not found: " + file);
      try (InputStream in = fs.open(p)) {
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read VADER lexicon " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the lexicon's text; {@code name} appears in error messages. */
  public static VaderLexicon parse(Reader text, String name) throws IOException {
    Map<String, Double> valence = new HashMap<>();
    BufferedReader r = new BufferedReader(text);
    String line;
    for (int n = 1; (line = r.readLine()) != null; n++) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      double v;
      try {
        v = f.length >= 2 ? Double.parseDouble(f[1]) : Double.NaN;
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (f[0].isEmpty() || !Double.isFinite(v)) {
        throw new IOException(name + " line " + n + ": expected token TAB valence, got: " + line);
      }
      valence.put(f[0], v);
    }
    if (valence.isEmpty()) throw new IOException(name + " holds no lexicon entries");
    return new VaderLexicon(valence);
  }

  /** True when {@code lowerCaseToken} has a valence. */
  public boolean contains(String lowerCaseToken) {
    return valence.containsKey(lowerCaseToken);
  }

  /** The valence of {@code lowerCaseToken}, 0 when it has none. */
  public double valence(String lowerCaseToken) {
    return valence.getOrDefault(lowerCaseToken, 0.0);
  }

  public int size() {
    return valence.size();
  }
}
