package io.github.sparkgpt.pipeline.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Reads and writes the Hugging Face {@code tokenizer.json} format (BPE model, ByteLevel
 * pre-tokenizer and decoder, no normalizer), which {@code tokenizers.Tokenizer.from_file} and
 * {@code PreTrainedTokenizerFast(tokenizer_file=...)} load, and GPT-2's {@code vocab.json} + {@code
 * merges.txt}.
 *
 * <p>Reading accepts GPT-2-style files and rejects, with the reason, any option that would change
 * encoding (a normalizer, {@code add_prefix_space=true}, dropout, an unk token, subword
 * prefixes/suffixes, byte fallback, {@code ignore_merges}). Every entry of {@code added_tokens}
 * becomes a special token of {@link BpeTokenizer} (never matched inside ordinary text). The
 * post-processor is ignored.
 */
public final class HfTokenizerJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HfTokenizerJson() {}

  // ---------------------------------------------------------------- write

  public static void write(BpeTokenizer tok, Path file) {
    writeString(file, toJson(tok, true));
  }

  /**
   * The tokenizer.json file's bytes (pretty, UTF-8), as a checkpoint stores them: e.g. a tokenizer
   * extended with {@link BpeTokenizer#withAddedSpecialTokens} written back so the saved model loads
   * with it.
   */
  public static byte[] toBytes(BpeTokenizer tok) {
    return toJson(tok, true).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * tokenizer.json text; {@code pretty=false} is the canonical form that {@link #sha256} hashes.
   */
  public static String toJson(BpeTokenizer tok, boolean pretty) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
      if (pretty) g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("version", "1.0");
      g.writeNullField("truncation");
      g.writeNullField("padding");
      g.writeArrayFieldStart("added_tokens");
      for (Map.Entry<String, Integer> e : tok.specialTokens().entrySet()) {
        g.writeStartObject();
        g.writeNumberField("id", e.getValue());
        g.writeStringField("content", e.getKey());
        g.writeBooleanField("single_word", false);
        g.writeBooleanField("lstrip", false);
        g.writeBooleanField("rstrip", false);
        g.writeBooleanField("normalized", false);
        g.writeBooleanField("special", true);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNullField("normalizer");
      writeByteLevel(g, "pre_tokenizer", false, true);
      writeByteLevel(g, "post_processor", true, false);
      writeByteLevel(g, "decoder", true, true);
      g.writeObjectFieldStart("model");
      g.writeStringField("type", "BPE");
      g.writeNullField("dropout");
      g.writeNullField("unk_token");
      g.writeStringField("continuing_subword_prefix", "");
      g.writeStringField("end_of_word_suffix", "");
      g.writeBooleanField("fuse_unk", false);
      g.writeBooleanField("byte_fallback", false);
      g.writeFieldName("vocab");
      writeVocab(g, tok);
      g.writeArrayFieldStart("merges");
      for (int r = 0; r < tok.numMerges(); r++) g.writeString(mergeLine(tok, r));
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static void writeByteLevel(
      JsonGenerator g, String field, boolean prefixSpace, boolean trimOffsets) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("type", "ByteLevel");
    g.writeBooleanField(
        "add_prefix_space", prefixSpace); // only the pre-tokenizer's flag changes the ids
    g.writeBooleanField("trim_offsets", trimOffsets);
    g.writeBooleanField("use_regex", true);
    g.writeEndObject();
  }

  /**
   * id order; special tokens under their own text, as in GPT-2's vocab ("<|endoftext|>": 50256).
   */
  private static void writeVocab(JsonGenerator g, BpeTokenizer tok) throws IOException {
    g.writeStartObject();
    Set<String> seen = new java.util.HashSet<>();
    for (int id = 0; id < tok.vocabSize(); id++) {
      String s = tokenString(tok, id);
      if (seen.add(s)) g.writeNumberField(s, id);
    }
    g.writeEndObject();
  }

  /**
   * The vocab.json / merges.txt spelling of a token: byte-level characters, or a special token's
   * text.
   */
  public static String tokenString(BpeTokenizer tok, int id) {
    if (tok.isSpecial(id)) {
      for (Map.Entry<String, Integer> e : tok.specialTokens().entrySet())
        if (e.getValue() == id) return e.getKey();
    }
    return ByteLevel.encode(tok.tokenBytes(id));
  }

  private static String mergeLine(BpeTokenizer tok, int r) {
    int[] m = tok.merge(r);
    return tokenString(tok, m[0]) + " " + tokenString(tok, m[1]);
  }

  /**
   * GPT-2's layout: {@code vocab.json} (token -> id) and {@code merges.txt} ("#version: 0.2" then
   * "a b" lines).
   */
  public static void writeGpt2Files(BpeTokenizer tok, Path dir) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
      writeVocab(g, tok);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder merges = new StringBuilder("#version: 0.2\n");
    for (int r = 0; r < tok.numMerges(); r++) merges.append(mergeLine(tok, r)).append('\n');
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeString(dir.resolve("vocab.json"), sw.toString());
    writeString(dir.resolve("merges.txt"), merges.toString());
  }

  /**
   * SHA-256 (hex) of the canonical (compact) tokenizer.json: identifies the tokenizer whatever the
   * file's layout.
   */
  public static String sha256(BpeTokenizer tok) {
    return DigestUtils.sha256Hex(toJson(tok, false).getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- read

  public static BpeTokenizer read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file, e);
    }
  }

  public static BpeTokenizer fromJson(String json, String where) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode model = root.path("model");
    require(
        model.path("type").asText("BPE").equals("BPE") && model.has("vocab") && model.has("merges"),
        where,
        "model must be a BPE model with vocab and merges");
    require(
        isNull(root.get("normalizer")), where, "a normalizer is not supported (GPT-2 has none)");
    checkByteLevel(root.get("pre_tokenizer"), where);
    require(isNull(model.get("dropout")), where, "BPE dropout is not supported");
    require(
        isNull(model.get("unk_token")),
        where,
        "unk_token is not supported (byte-level BPE needs none)");
    require(
        model.path("continuing_subword_prefix").asText("").isEmpty()
            && model.path("end_of_word_suffix").asText("").isEmpty(),
        where,
        "subword prefixes/suffixes are not supported");
    require(!model.path("byte_fallback").asBoolean(false), where, "byte_fallback is not supported");
    require(
        !model.path("ignore_merges").asBoolean(false),
        where,
        "ignore_merges=true is not supported");

    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.get("vocab").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    List<String[]> merges = new ArrayList<>();
    for (JsonNode m : model.get("merges")) {
      if (m.isArray()) merges.add(new String[] {m.get(0).asText(), m.get(1).asText()});
      else merges.add(splitMerge(m.asText(), where));
    }
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (JsonNode t : root.path("added_tokens"))
      specials.put(t.get("content").asText(), t.get("id").asInt());
    return build(vocab, merges, specials, where);
  }

  /**
   * GPT-2's vocab.json + merges.txt; vocab entries named in {@code specialTokens} become special
   * tokens.
   */
  public static BpeTokenizer readGpt2Files(
      Path vocabJson, Path mergesTxt, List<String> specialTokens) {
    try {
      Map<String, Integer> vocab = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = MAPPER.readTree(vocabJson.toFile()).fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        vocab.put(e.getKey(), e.getValue().asInt());
      }
      List<String[]> merges = new ArrayList<>();
      for (String line : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
        if (line.startsWith("#version") || line.isBlank()) continue;
        merges.add(splitMerge(line, mergesTxt.toString()));
      }
      Map<String, Integer> specials = new LinkedHashMap<>();
      for (String s : specialTokens) {
        Integer id = vocab.get(s);
        require(
            id != null, vocabJson.toString(), "special token " + s + " is not in the vocabulary");
        specials.put(s, id);
      }
      return build(vocab, merges, specials, vocabJson.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BpeTokenizer build(
      Map<String, Integer> vocab,
      List<String[]> merges,
      Map<String, Integer> specials,
      String where) {
    TreeMap<Integer, byte[]> byId = new TreeMap<>();
    for (Map.Entry<String, Integer> e : specials.entrySet()) {
      byId.put(e.getValue(), e.getKey().getBytes(StandardCharsets.UTF_8));
    }
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      if (specials.containsKey(e.getKey())) {
        require(
            specials.get(e.getKey()).equals(e.getValue()),
            where,
            "token " + e.getKey() + " has different ids in vocab and added_tokens");
        continue;
      }
      byte[] b = ByteLevel.decode(e.getKey());
      require(b != null, where, "vocab entry '" + e.getKey() + "' is not a byte-level string");
      require(byId.put(e.getValue(), b) == null, where, "id " + e.getValue() + " is used twice");
    }
    int size = byId.isEmpty() ? 0 : byId.lastKey() + 1;
    require(
        size > 0 && byId.size() == size && byId.firstKey() == 0,
        where,
        "token ids must be 0.." + (size - 1) + " without gaps");
    byte[][] tokenBytes = byId.values().toArray(new byte[0][]);
    List<int[]> mergeIds = new ArrayList<>(merges.size());
    for (String[] m : merges) {
      Integer l = vocab.get(m[0]), r = vocab.get(m[1]), res = vocab.get(m[0] + m[1]);
      require(
          l != null && r != null && res != null,
          where,
          "merge '" + m[0] + " " + m[1] + "' refers to a token missing from the vocab");
      mergeIds.add(new int[] {l, r, res});
    }
    return new BpeTokenizer(tokenBytes, mergeIds, specials);
  }

  private static void checkByteLevel(JsonNode pre, String where) {
    require(
        pre != null && "ByteLevel".equals(pre.path("type").asText()),
        where,
        "pre_tokenizer must be ByteLevel (GPT-2 style); found " + pre);
    // Hugging Face's default for a missing add_prefix_space is true
    require(
        !pre.path("add_prefix_space").asBoolean(true),
        where,
        "ByteLevel add_prefix_space=true is not supported");
    require(
        pre.path("use_regex").asBoolean(true), where, "ByteLevel use_regex=false is not supported");
  }

  private static String[] splitMerge(String line, String where) {
    int sp = line.indexOf(' ');
    require(
        sp > 0 && sp == line.lastIndexOf(' ') && sp < line.length() - 1,
        where,
        "bad merge line '" + line + "'");
    return new String[] {line.substring(0, sp), line.substring(sp + 1)};
  }

  private static boolean isNull(JsonNode n) {
    return n == null || n.isNull();
  }

  private static void require(boolean ok, String where, String message) {
    if (!ok) throw new IllegalArgumentException(where + ": " + message);
  }

  private static void writeString(Path file, String s) {
    try {
      Files.writeString(file, s, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
