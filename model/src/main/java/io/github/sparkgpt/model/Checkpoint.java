package io.github.sparkgpt.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A trained model in one directory: {@code model.zip} (DL4J network with updater state: a language
 * model or a fine-tuned {@link GptTaskModel} network), {@code config.json} ({@link GptConfig}),
 * {@code tokenizer.json} (the tokenizer's bytes, opaque to this module) and {@code checkpoint.json}
 * (tokenizer sha256 and vocabulary size, what the network is ({@link ModelKind}), training state,
 * size and sha256 of every other file, {@link Lineage}).
 *
 * <p>{@link #load} verifies every file against its recorded digest (checkpoints written before
 * digests were recorded load with a warning on stderr), reads {@code model.zip} through {@link
 * ModelZip} (never through DL4J's {@code ModelSerializer}, which Java-deserializes), and validates
 * that network, config and tokenizer agree (vocabulary size, context length, tokenizer hash),
 * failing with a message naming the mismatch.
 *
 * <p>The checkpoint digest (what lineage records refer to) is {@link FileDigests#ofListing} of the
 * three files: {@code sha256sum config.json model.zip tokenizer.json | sha256sum}.
 */
public final class Checkpoint {

  public static final String MODEL = "model.zip";
  public static final String CONFIG = "config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String META = "checkpoint.json";

  /** Files covered by checkpoint.json's digests and by the checkpoint digest. */
  public static final List<String> DIGESTED = List.of(CONFIG, MODEL, TOKENIZER);

  /** Format 2 records file digests and lineage; format 1 (no digests) still loads, unverified. */
  private static final int FORMAT = 2;

  private static final int FORMAT_WITHOUT_DIGESTS = 1;

  /** checkpoint.json and config.json are a few KB; read nothing larger. */
  public static final long MAX_JSON_BYTES = 1L << 20;

  /** A 50k-token BPE tokenizer.json is ~2 MB. */
  public static final long MAX_TOKENIZER_BYTES = 256L << 20;

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ComputationGraph network;
  private final GptConfig config;
  private final ModelKind kind;
  private final byte[] tokenizer;
  private final int tokenizerVocabSize;
  private final TrainingState state;
  private Lineage lineage = new Lineage();
  private String digest;
  private boolean verified;

  /**
   * @param tokenizer the tokenizer file's bytes (a Hugging Face tokenizer.json)
   * @param tokenizerVocabSize its vocabulary size, which must equal the model's
   */
  public Checkpoint(
      ComputationGraph network, byte[] tokenizer, int tokenizerVocabSize, TrainingState state) {
    this.network = network;
    this.config = GptModel.decoderConfigOf(network);
    this.kind = ModelKind.of(network);
    this.tokenizer = tokenizer.clone();
    this.tokenizerVocabSize = tokenizerVocabSize;
    this.state = state == null ? new TrainingState() : state;
    if (tokenizerVocabSize != config.getVocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer has "
              + tokenizerVocabSize
              + " tokens but the model's vocab_size is "
              + config.getVocabSize()
              + ": build the model with the tokenizer's vocabulary size");
    }
  }

  public ComputationGraph network() {
    return network;
  }

  public GptConfig config() {
    return config;
  }

  /**
   * Language model or task model (with its task head); checkpoints that did not record it get it
   * from the network.
   */
  public ModelKind kind() {
    return kind;
  }

  public byte[] tokenizer() {
    return tokenizer.clone();
  }

  public String tokenizerSha256() {
    return sha256(tokenizer);
  }

  public int tokenizerVocabSize() {
    return tokenizerVocabSize;
  }

  public TrainingState state() {
    return state;
  }

  public Lineage lineage() {
    return lineage;
  }

  /** Records what this checkpoint came from; written by {@link #save}. */
  public Checkpoint withLineage(Lineage l) {
    lineage = l == null ? new Lineage() : l;
    return this;
  }

  /** The checkpoint digest, known once saved or loaded (null before). */
  public String digest() {
    return digest;
  }

  /**
   * True when loaded from a checkpoint whose files matched recorded digests (false: written before
   * digests).
   */
  public boolean verified() {
    return verified;
  }

  /** Writes the four files into {@code dir} (created if needed; existing files are replaced). */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ModelSerializer.writeModel(network, dir.resolve(MODEL).toFile(), true);
    Files.writeString(dir.resolve(CONFIG), config.toJson());
    Files.write(dir.resolve(TOKENIZER), tokenizer);
    ObjectNode meta = JSON.createObjectNode();
    meta.put("format", FORMAT);
    meta.put("tokenizer_sha256", tokenizerSha256());
    meta.put("tokenizer_vocab_size", tokenizerVocabSize);
    meta.put("vocab_size", config.getVocabSize());
    meta.put("context_length", config.getContextLength());
    kind.write(meta);
    meta.set("training", JSON.valueToTree(state));
    ObjectNode files = meta.putObject("files");
    Map<String, String> shas = new TreeMap<>();
    for (String f : DIGESTED) {
      FileDigests.Digest d = FileDigests.of(dir.resolve(f));
      files.putObject(f).put("size", d.size()).put("sha256", d.sha256());
      shas.put(f, d.sha256());
    }
    meta.set("lineage", lineage.toJson());
    Files.writeString(dir.resolve(META), JSON.writeValueAsString(meta));
    digest = FileDigests.ofListing(shas);
    verified = true;
  }

  /**
   * Loads, verifies and validates a checkpoint directory; the network comes back with its updater
   * state.
   */
  public static Checkpoint load(Path dir) throws IOException {
    for (String f : new String[] {MODEL, CONFIG, TOKENIZER, META}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IOException("not a checkpoint: " + dir + " has no " + f);
      }
    }
    JsonNode meta = JSON.readTree(readCapped(dir.resolve(META), MAX_JSON_BYTES));
    int format = meta.path("format").asInt();
    if (format != FORMAT && format != FORMAT_WITHOUT_DIGESTS) {
      throw new IOException(
          dir.resolve(META) + ": unsupported checkpoint format " + meta.path("format"));
    }
    Map<String, String> shas = format == FORMAT ? verifyFiles(dir, meta) : unverified(dir);
    GptConfig config =
        GptConfig.fromJson(
            new String(readCapped(dir.resolve(CONFIG), MAX_JSON_BYTES), StandardCharsets.UTF_8));
    byte[] tokenizer = readCapped(dir.resolve(TOKENIZER), MAX_TOKENIZER_BYTES);
    String sha = sha256(tokenizer);
    String expected = meta.path("tokenizer_sha256").asText();
    if (!sha.equals(expected)) {
      throw new IOException(
          dir.resolve(TOKENIZER)
              + " is not the tokenizer this model was trained with (sha256 "
              + sha
              + ", checkpoint says "
              + expected
              + ")");
    }
    int tokVocab = meta.path("tokenizer_vocab_size").asInt();
    require(
        tokVocab == config.getVocabSize(),
        dir,
        "tokenizer vocabulary " + tokVocab + " != config vocab_size " + config.getVocabSize());
    require(
        meta.path("vocab_size").asInt() == config.getVocabSize(),
        dir,
        "checkpoint.json vocab_size "
            + meta.path("vocab_size")
            + " != config.json vocab_size "
            + config.getVocabSize());
    require(
        meta.path("context_length").asInt() == config.getContextLength(),
        dir,
        "checkpoint.json context_length "
            + meta.path("context_length")
            + " != config.json context_length "
            + config.getContextLength());
    ComputationGraph net = ModelZip.read(dir.resolve(MODEL));
    GptConfig netConfig = GptModel.decoderConfigOf(net);
    require(
        netConfig.equals(config),
        dir,
        "model.zip was built with " + netConfig + " but config.json says " + config);
    TrainingState state = JSON.treeToValue(meta.path("training"), TrainingState.class);
    Checkpoint cp;
    try {
      cp =
          new Checkpoint(net, tokenizer, tokVocab, state)
              .withLineage(Lineage.fromJson(meta.path("lineage")));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "inconsistent checkpoint " + dir + ": " + e.getMessage(), e); // e.g. an unknown task type
    }
    ModelKind recorded = ModelKind.read(meta);
    if (recorded != null) {
      require(
          recorded.equals(cp.kind),
          dir,
          "checkpoint.json says "
              + recorded.describe()
              + " but model.zip holds a "
              + cp.kind.describe());
    }
    cp.digest = FileDigests.ofListing(shas);
    cp.verified = format == FORMAT;
    return cp;
  }

  /**
   * The checkpoint digest of a checkpoint directory, computed from its files (no verification, no
   * loading): {@code sha256sum config.json model.zip tokenizer.json | sha256sum}.
   */
  public static String digest(Path dir) throws IOException {
    Map<String, String> shas = new TreeMap<>();
    for (String f : DIGESTED) shas.put(f, FileDigests.sha256(dir.resolve(f)));
    return FileDigests.ofListing(shas);
  }

  /**
   * Checks a checkpoint directory's files against checkpoint.json without loading the network: true
   * when they match, false when the checkpoint predates digests, an IOException naming the file
   * otherwise.
   */
  public static boolean verify(Path dir) throws IOException {
    JsonNode meta = JSON.readTree(readCapped(dir.resolve(META), MAX_JSON_BYTES));
    if (meta.path("format").asInt() != FORMAT) return false;
    verifyFiles(dir, meta);
    return true;
  }

  /**
   * Every file checkpoint.json lists must have its recorded size and sha256; the three model files
   * must be listed.
   */
  private static Map<String, String> verifyFiles(Path dir, JsonNode meta) throws IOException {
    JsonNode files = meta.path("files");
    if (!files.isObject()) throw new IOException(dir.resolve(META) + " records no file digests");
    for (String f : DIGESTED) {
      if (!files.has(f)) throw new IOException(dir.resolve(META) + " records no digest for " + f);
    }
    Map<String, String> shas = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (!FILE_NAME.matcher(name).matches() || name.equals(META)) {
        throw new IOException(
            dir.resolve(META)
                + " lists a file named '"
                + name
                + "', which is not a plain file name");
      }
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file))
        throw new IOException(file + " is listed in " + META + " but missing");
      long size = e.getValue().path("size").asLong(-1);
      String sha = e.getValue().path("sha256").asText();
      FileDigests.Digest actual = FileDigests.of(file);
      if (actual.size() != size || !actual.sha256().equals(sha)) {
        throw new IOException(
            file
                + " does not match "
                + META
                + " (size "
                + actual.size()
                + ", sha256 "
                + actual.sha256()
                + "; recorded size "
                + size
                + ", sha256 "
                + sha
                + "): the file was changed");
      }
      if (DIGESTED.contains(name)) shas.put(name, sha);
    }
    return shas;
  }

  private static Map<String, String> unverified(Path dir) throws IOException {
    System.err.println(
        "checkpoint "
            + dir
            + ": unverified: written before checkpoints recorded file digests "
            + "(format "
            + FORMAT_WITHOUT_DIGESTS
            + "); loading with the model.zip checks only");
    Map<String, String> shas = new TreeMap<>();
    for (String f : DIGESTED) shas.put(f, FileDigests.sha256(dir.resolve(f)));
    return shas;
  }

  private static byte[] readCapped(Path file, long max) throws IOException {
    long size = Files.size(file);
    if (size > max)
      throw new IOException(
          file
              + " is "
              + size
              + " bytes, more than the "
              + max
              + " a checkpoint's "
              + file.getFileName()
              + " may have");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) max + 1);
      if (bytes.length > max)
        throw new IOException(file + " grew past " + max + " bytes while being read");
      return bytes;
    }
  }

  private static void require(boolean ok, Path dir, String message) throws IOException {
    if (!ok) throw new IOException("inconsistent checkpoint " + dir + ": " + message);
  }

  static String sha256(byte[] bytes) {
    return FileDigests.sha256(bytes);
  }
}
