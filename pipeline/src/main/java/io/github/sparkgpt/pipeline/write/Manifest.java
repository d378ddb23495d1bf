package io.github.sparkgpt.pipeline.write;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json}: the contract between preprocess and the trainers. It lists every shard
 * with its row and token counts and pins the tokenizer (file and sha256) and the context length the
 * shards were packed for. Readers must check {@link #FORMAT_VERSION} and refuse data packed for
 * another tokenizer or context.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Manifest {
  public static final String FILE = "manifest.json";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final int FORMAT_VERSION = 1;
  public static final String SPLIT_BY_DOCUMENT = "document";
  public static final String SPLIT_BY_WINDOW = "window";

  @JsonProperty("format_version")
  public int formatVersion = FORMAT_VERSION;

  @JsonProperty("created")
  public String created;

  @JsonProperty("inputs")
  public List<String> inputs;

  /**
   * Tokens per training example; each row holds {@code sequence_length = context_length + 1}
   * tokens.
   */
  @JsonProperty("context_length")
  public int contextLength;

  @JsonProperty("sequence_length")
  public int sequenceLength;

  @JsonProperty("schema")
  public String schema = "tokens: array<int> (non-null), one training sequence per row";

  @JsonProperty("tokenizer")
  public TokenizerRef tokenizer;

  @JsonProperty("splits")
  public Map<String, Split> splits = new TreeMap<>();

  /**
   * How validation was held out: {@value #SPLIT_BY_DOCUMENT} (whole documents, by a seeded hash of
   * the id) or {@value #SPLIT_BY_WINDOW} (whole sequences, for corpora of few documents; windows of
   * one document can then be on both sides). Manifests written before this field mean document.
   */
  @JsonProperty("split_mode")
  public String splitMode = SPLIT_BY_DOCUMENT;

  @JsonProperty("seed")
  public long seed;

  @JsonProperty("versions")
  public Map<String, String> versions = new TreeMap<>();

  /** The effective configuration (HOCON) the run used. */
  @JsonProperty("config")
  public String config;

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class TokenizerRef {
    @JsonProperty("file")
    public String file;

    /** sha256 of the exact bytes of the tokenizer file. */
    @JsonProperty("sha256")
    public String sha256;

    @JsonProperty("vocab_size")
    public int vocabSize;

    @JsonProperty("end_of_text_id")
    public int endOfTextId;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Split {
    @JsonProperty("rows")
    public long rows;

    @JsonProperty("tokens")
    public long tokens;

    @JsonProperty("shards")
    public List<ShardInfo> shards;
  }

  public static Manifest create(
      List<String> inputs,
      List<ShardInfo> train,
      List<ShardInfo> validation,
      int contextLength,
      int vocabSize,
      int endOfTextId,
      String tokenizerSha256,
      String config,
      long seed,
      String sparkVersion) {
    Manifest m = new Manifest();
    m.created = Instant.now().toString();
    m.inputs = List.copyOf(inputs);
    m.contextLength = contextLength;
    m.sequenceLength = contextLength + 1;
    m.tokenizer = new TokenizerRef();
    m.tokenizer.file = TOKENIZER_FILE;
    m.tokenizer.sha256 = tokenizerSha256;
    m.tokenizer.vocabSize = vocabSize;
    m.tokenizer.endOfTextId = endOfTextId;
    m.splits.put("train", split(train));
    m.splits.put("validation", split(validation));
    m.seed = seed;
    m.config = config;
    m.versions.put(
        "sparkgpt", String.valueOf(Manifest.class.getPackage().getImplementationVersion()));
    m.versions.put("spark", sparkVersion);
    m.versions.put("java", System.getProperty("java.version"));
    return m;
  }

  private static Split split(List<ShardInfo> shards) {
    Split s = new Split();
    s.shards = List.copyOf(shards);
    s.rows = shards.stream().mapToLong(ShardInfo::rows).sum();
    s.tokens = shards.stream().mapToLong(ShardInfo::tokens).sum();
    return s;
  }

  /** Lower-case hex sha256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return org.apache.commons.codec.digest.DigestUtils.sha256Hex(bytes);
  }

  /**
   * Read {@code dir/manifest.json}; fails with a message naming the directory if it is missing or
   * unreadable.
   */
  public static Manifest read(String dir, Configuration hadoopConf) {
    Path p = new Path(dir, FILE);
    try {
      FileSystem fs = p.getFileSystem(hadoopConf);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException(
            dir + " is not a preprocess output: " + FILE + " not found");
      }
      try (InputStream in = fs.open(p)) {
        Manifest m = JsonFiles.MAPPER.readValue(in, Manifest.class);
        if (m.formatVersion != FORMAT_VERSION) {
          throw new IllegalArgumentException(
              p
                  + " has format_version "
                  + m.formatVersion
                  + ", this build reads "
                  + FORMAT_VERSION);
        }
        return m;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
