package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.sets.TaskRow;
import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import io.github.sparkgpt.pipeline.task.sets.TaskSetBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A prompt -> response set (for generative fine-tuning) built from one fetched Debian or Maven
 * package in {@code dir}. Rows have no label (one split stratum); the split key is chosen by each
 * set so that rows that must not straddle train and test (one dictionary entry, one rule) share it.
 * Rows with an empty field or over the word caps are quarantined, never cut.
 */
public abstract class GenerativeSetBuilder extends TaskSetBuilder {
  /** fetch-data writes "package version" of what it unpacked into this file. */
  public static final String SOURCE_FILE = "source.txt";

  /**
   * Longest prompt and response kept, in whitespace-separated words; longer rows are quarantined.
   */
  public static final int MAX_PROMPT_WORDS = 160;

  public static final int MAX_RESPONSE_WORDS = 80;

  protected final Path dir;
  protected int maxPromptWords = MAX_PROMPT_WORDS;
  protected int maxResponseWords = MAX_RESPONSE_WORDS;
  private final String name;
  private final String prefix;

  /**
   * @param prefix starts every quarantine reason of the set ({@code dict_response_too_long})
   */
  protected GenerativeSetBuilder(String name, String prefix, Path dir) {
    this.name = name;
    this.prefix = prefix;
    this.dir = dir;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final TaskSet build() {
    validate();
    return build(new Rows(prefix));
  }

  /** Reads the inputs into {@code rows} and returns {@link Rows#set}. */
  protected abstract TaskSet build(Rows rows);

  /** The fetched directory this set reads; prepare-tasks skips the set when it is missing. */
  public Path input() {
    return dir;
  }

  public GenerativeSetBuilder setMaxPromptWords(int v) {
    maxPromptWords = v;
    return this;
  }

  public GenerativeSetBuilder setMaxResponseWords(int v) {
    maxResponseWords = v;
    return this;
  }

  protected void validate() {
    if (maxPromptWords < 1 || maxResponseWords < 1)
      throw new IllegalArgumentException(
          name()
              + ": max prompt/response words must be >= 1, got "
              + maxPromptWords
              + "/"
              + maxResponseWords);
    if (!Files.isDirectory(dir))
      throw new IllegalArgumentException(name() + ": no fetched data at " + dir);
  }

  /** {@code name} in the fetched directory; throws naming it when it is missing. */
  protected Path file(String name) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) throw new IllegalArgumentException(name() + ": missing " + f);
    return f;
  }

  /** A file's text, inflated when its name ends in .gz; bytes that are not UTF-8 become U+FFFD. */
  static String read(Path f) {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  /** "package version" from {@link #SOURCE_FILE}, or the package name alone. */
  protected String packageVersion(String pkg) {
    Path f = dir.resolve(SOURCE_FILE);
    try {
      return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : pkg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  /** Collects rows and quarantined inputs; counts every input once. */
  protected final class Rows {
    final List<TaskRow> rows = new ArrayList<>();
    final List<RejectedDocument> quarantined = new ArrayList<>();
    final String prefix;
    private boolean pairs;

    Rows(String prefix) {
      this.prefix = prefix;
    }

    /**
     * Keeps a preference pair (id, prompt, chosen, rejected, then {@code fields}), or quarantines
     * it; a pair whose two responses are equal teaches nothing.
     */
    void addPair(
        String id,
        String key,
        String src,
        String prompt,
        String chosen,
        String rejected,
        Map<String, ?> fields) {
      pairs = true;
      String reason = check(prompt, List.of(chosen, rejected));
      if (reason == null && chosen.equals(rejected)) reason = "chosen_equals_rejected";
      if (reason != null) {
        reject(id, src, reason, null, prompt + "\n" + chosen + "\n" + rejected);
        return;
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("id", id);
      f.put("prompt", prompt);
      f.put("chosen", chosen);
      f.put("rejected", rejected);
      f.putAll(fields);
      rows.add(new TaskRow(key, "", f));
    }

    /** Keeps the row, or quarantines it; {@code fields} go after id, prompt, response. */
    void add(String id, String key, String src, String prompt, Object resp, Map<String, ?> fields) {
      String reason = check(prompt, resp);
      if (reason != null) {
        String answers =
            resp instanceof List<?> l
                ? String.join("\n", l.stream().map(String::valueOf).toList())
                : String.valueOf(resp);
        reject(id, src, reason, null, prompt + "\n" + answers);
        return;
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("id", id);
      f.put("prompt", prompt);
      f.put("response", resp instanceof List<?> l && l.size() == 1 ? l.get(0) : resp);
      f.putAll(fields);
      rows.add(new TaskRow(key, "", f));
    }

    void reject(String id, String src, String reason, String detail, String text) {
      quarantined.add(new RejectedDocument(id, src, name(), prefix + "_" + reason, detail, text));
    }

    private String check(String prompt, Object resp) {
      List<?> answers = resp instanceof List<?> l ? l : List.of(resp == null ? "" : resp);
      if (prompt == null || prompt.isBlank()) return "empty_prompt";
      if (answers.isEmpty() || answers.stream().anyMatch(a -> a.toString().isBlank()))
        return "empty_response";
      if (Text.words(prompt) > maxPromptWords) return "prompt_too_long";
      if (answers.stream().anyMatch(a -> Text.words(a.toString()) > maxResponseWords))
        return "response_too_long";
      return null;
    }

    TaskSet set(String source, String licence, String derivation, Object... params) {
      Map<String, Object> p =
          ordered("max_prompt_words", maxPromptWords, "max_response_words", maxResponseWords);
      p.putAll(ordered(params));
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("source", source);
      info.put("licence", licence);
      info.put("derivation", derivation);
      if (pairs)
        info.put(
            "dpo",
            ordered(
                "prompt_column",
                "prompt",
                "chosen_column",
                "chosen",
                "rejected_column",
                "rejected",
                "id_column",
                "id"));
      else
        info.put(
            "sft",
            ordered("prompt_column", "prompt", "response_column", "response", "id_column", "id"));
      info.put("parameters", p);
      info.put("inputs", rows.size() + quarantined.size());
      return new TaskSet(name(), rows, List.of(), quarantined, info);
    }
  }
}
