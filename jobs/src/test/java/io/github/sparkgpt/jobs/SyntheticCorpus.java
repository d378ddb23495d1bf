package io.github.sparkgpt.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small corpus of English-like prose for end-to-end tests, with planted bad records whose
 * fate the tests check: each planted file or line is listed with the stage and reason it must be
 * rejected for.
 */
final class SyntheticCorpus {
  record Planted(String idFragment, String stage, String reason) {}

  /**
   * Common English words; sentences are random draws, so documents share words but almost no
   * 5-grams.
   */
  private static final String[] WORDS = {
    "the", "of", "and", "to", "in", "that", "it", "was", "for", "on", "are", "with",
    "as", "his", "they", "be", "at", "one", "have", "this", "from", "had", "by", "word",
    "but", "what", "some", "we", "can", "out", "other", "were", "all", "there", "when", "up",
    "use", "your", "how", "said", "an", "each", "she", "which", "do", "their", "time", "if",
    "will", "way", "about", "many", "then", "them", "write", "would", "like", "so", "these", "her",
    "long", "make", "thing", "see", "him", "two", "has", "look", "more", "day", "could", "go",
    "come", "did", "number", "sound", "no", "most", "people", "my", "over", "know", "water", "than",
    "call", "first", "who", "may", "down", "side", "been", "now", "find", "any", "new", "work",
    "part", "take", "get", "place", "made", "live", "where", "after", "back", "little", "only",
        "round",
    "man", "year", "came", "show", "every", "good", "me", "give", "our", "under", "name", "very",
    "through", "just", "form", "sentence", "great", "think", "say", "help", "low", "line", "differ",
        "turn",
    "cause", "much", "mean", "before", "move", "right", "boy", "old", "too", "same", "tell", "does",
    "set", "three", "want", "air", "well", "also", "play", "small", "end", "put", "home", "read",
    "hand", "port", "large", "spell", "add", "even", "land", "here", "must", "big", "high", "such",
    "follow", "act", "why", "ask", "men", "change", "went", "light", "kind", "off", "need", "house",
    "picture", "try", "us", "again", "animal", "point", "mother", "world", "near", "build", "self",
        "earth",
    "father", "head", "stand", "own", "page", "should", "country", "found", "answer", "school",
        "grow", "study",
    "still", "learn", "plant", "cover", "food", "sun", "four", "between", "state", "keep", "eye",
        "never",
    "last", "let", "thought", "city", "tree", "cross", "farm", "hard", "start", "might", "story",
        "saw",
    "far", "sea", "draw", "left", "late", "run", "while", "press", "close", "night", "real", "life",
    "few", "north", "open", "seem", "together", "next", "white", "children", "begin", "got", "walk",
        "example",
    "ease", "paper", "group", "always", "music", "those", "both", "mark", "often", "letter",
        "until", "mile",
    "river", "car", "feet", "care", "second", "book", "carry", "took", "science", "eat", "room",
        "friend",
    "began", "idea", "fish", "mountain", "stop", "once", "base", "hear", "horse", "cut", "sure",
        "watch",
    "color", "face", "wood", "main", "enough", "plain", "girl", "usual", "young", "ready", "above",
        "ever",
    "red", "list", "though", "feel", "talk", "bird", "soon", "body", "dog", "family", "direct",
        "pose",
    "leave", "song", "measure", "door", "product", "black", "short", "numeral", "class", "wind",
        "question", "happen",
    "complete", "ship", "area", "half", "rock", "order", "fire", "south", "problem", "piece",
        "told", "knew",
    "pass", "since", "top", "whole", "king", "space", "heard", "best", "hour", "better", "during",
        "hundred",
    "five", "remember", "step", "early", "hold", "west", "ground", "interest", "reach", "fast",
        "verb", "sing",
    "listen", "six", "table", "travel", "less", "morning", "ten", "simple", "several", "vowel",
        "toward", "war",
    "lay", "against", "pattern", "slow", "center", "love", "person", "money", "serve", "appear",
        "road", "map",
    "rain", "rule", "govern", "pull", "cold", "notice", "voice", "unit", "power", "town", "fine",
        "certain",
    "fly", "fall", "lead", "cry", "dark", "machine", "note", "wait", "plan", "figure", "star",
        "box",
    "noun", "field", "rest", "correct", "able", "pound", "done", "beauty", "drive", "stood",
        "contain", "front",
    "teach", "week", "final", "gave", "green", "quick", "develop", "ocean", "warm", "free",
        "minute", "strong",
    "special", "mind", "behind", "clear", "tail", "produce", "fact", "street", "inch", "multiply",
        "nothing", "course",
    "stay", "wheel", "full", "force", "blue", "object", "decide", "surface", "deep", "moon",
        "island", "foot",
    "system", "busy", "test", "record", "boat", "common", "gold", "possible", "plane", "stead",
        "dry", "wonder",
    "laugh", "thousand", "ago", "ran", "check", "game", "shape", "equate", "miss", "brought",
        "heat", "snow",
    "tire", "bring", "yes", "distant", "fill", "east", "paint", "language", "among"
  };

  private static final String[] STOP = {
    "the", "of", "and", "to", "that", "with", "have", "be", "a", "in"
  };

  final List<Planted> planted = new ArrayList<>();
  int goodDocuments;

  static String sentence(Random rnd) {
    int n = 8 + rnd.nextInt(9);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // Function words as often as in real English, so Gopher's stop-word rule sees prose.
      String w =
          rnd.nextInt(4) == 0 ? STOP[rnd.nextInt(STOP.length)] : WORDS[rnd.nextInt(WORDS.length)];
      sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
    }
    return sb.append('.').toString();
  }

  /** A document of a few paragraphs, each a few sentences, that every default filter keeps. */
  static String document(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int paragraphs = 3 + rnd.nextInt(3);
    for (int p = 0; p < paragraphs; p++) {
      if (p > 0) sb.append("\n\n");
      int sentences = 3 + rnd.nextInt(3);
      for (int s = 0; s < sentences; s++) sb.append(s > 0 ? " " : "").append(sentence(rnd));
    }
    return sb.toString();
  }

  SyntheticCorpus write(Path dir, int files, long seed) throws IOException {
    Random rnd = new Random(seed);
    Files.createDirectories(dir.resolve("text"));
    for (int i = 0; i < files; i++) {
      Files.writeString(dir.resolve("text/doc-" + i + ".txt"), document(rnd));
      goodDocuments++;
    }
    // JSONL with good records, one malformed line and one record without the text field.
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add("{\"id\": \"j" + i + "\", \"text\": " + quote(document(rnd)) + "}");
      goodDocuments++;
    }
    lines.add("{\"id\": \"broken\", \"text\": \"unterminated");
    planted.add(new Planted("records.jsonl#L21", "read", "read_malformed_json"));
    lines.add("{\"id\": \"notext\", \"body\": \"wrong field\"}");
    planted.add(new Planted("records.jsonl#L22", "read", "read_missing_text"));
    Files.write(dir.resolve("records.jsonl"), lines, StandardCharsets.UTF_8);

    // Binary garbage, an empty file, a truncated gzip file.
    byte[] garbage = new byte[4096];
    rnd.nextBytes(garbage);
    garbage[10] = 0;
    Files.write(dir.resolve("image.txt"), garbage);
    planted.add(new Planted("image.txt", "read", "read_binary_content"));
    Files.writeString(dir.resolve("empty.txt"), "  \n ");
    planted.add(new Planted("empty.txt", "read", "read_empty"));
    byte[] gz = gzip(document(rnd) + "\n" + document(rnd));
    Files.write(dir.resolve("cut.txt.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
    planted.add(new Planted("cut.txt.gz", "read", "read_truncated"));

    // Filter victims: German text, a too-short document, an exact duplicate of doc-0.
    Files.writeString(
        dir.resolve("german.txt"),
        "Die Regierung hat im vergangenen Jahr viele neue Gesetze beschlossen, und der Ausschuss"
            + " hat die Vorschläge der Bürger sorgfältig geprüft. Die Bauern im Tal haben eine gute"
            + " Ernte eingebracht, und die neuen Straßen verbinden jetzt alle Dörfer der Region."
            + " Die Kinder gehen gern in die neue Schule, und die Lehrer sind mit ihren"
            + " Fortschritten zufrieden.");
    planted.add(new Planted("german.txt", "language", "language_not_allowed"));
    Files.writeString(dir.resolve("short.txt"), "The council met today. It rained.");
    planted.add(
        new Planted(
            "short.txt", null, null)); // dropped by some quality rule; reason checked loosely
    Files.writeString(
        dir.resolve("text/zz-copy-of-doc-0.txt"),
        Files.readString(dir.resolve("text/doc-0.txt")).toUpperCase().replace(".", ".  "));
    planted.add(new Planted("zz-copy-of-doc-0.txt", "exact_dedup", "exact_duplicate"));
    // A near duplicate of doc-1: two words changed, so about 10 of its ~300 word 5-grams differ
    // (Jaccard ~0.93).
    String[] words = Files.readString(dir.resolve("text/doc-1.txt")).split(" ");
    words[words.length / 3] = "zebra";
    words[2 * words.length / 3] = "quartz";
    Files.writeString(dir.resolve("text/zz-near-doc-1.txt"), String.join(" ", words));
    planted.add(new Planted("zz-near-doc-1.txt", "minhash_dedup", "near_duplicate"));
    return this;
  }

  private static byte[] gzip(String s) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
