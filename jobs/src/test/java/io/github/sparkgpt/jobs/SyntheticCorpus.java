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
 * Writes a small corpus of English-like prose for end-to-end tests, with planted bad records whose fate the tests
 * check: each planted file or line is listed with the stage and reason it must be rejected for.
 */
final class SyntheticCorpus {
  record Planted(String idFragment, String stage, String reason) {}

  private static final String[] SUBJECTS = {"The committee", "Our government", "The new railway", "A small farmer",
      "The river valley", "Every citizen", "The old harbour", "This treaty", "The council", "The young teacher",
      "Each village", "The northern army", "A wise judge", "The public school", "The annual report"};
  private static final String[] VERBS = {"considered", "improved", "described", "protected", "questioned",
      "welcomed", "examined", "supported", "returned to", "carried", "planned", "reported on", "defended"};
  private static final String[] OBJECTS = {"the proposal with great care", "the roads across the state",
      "the needs of the people", "the harvest of that year", "a plan for the coming winter",
      "the cost of the new bridge", "the rights of the workers", "the history of the town",
      "the quiet streets near the market", "the letters from the western territories",
      "an agreement with the neighbouring states", "the health of the children", "the price of bread and coal"};
  private static final String[] TAILS = {"before the end of the session", "with the help of many friends",
      "after a long and careful debate", "in spite of the heavy rain", "for the benefit of all", "without delay",
      "as the law requires", "during the long summer months", "in the presence of the governor"};

  final List<Planted> planted = new ArrayList<>();
  int goodDocuments;

  static String sentence(Random rnd) {
    return SUBJECTS[rnd.nextInt(SUBJECTS.length)] + " " + VERBS[rnd.nextInt(VERBS.length)] + " "
        + OBJECTS[rnd.nextInt(OBJECTS.length)] + " " + TAILS[rnd.nextInt(TAILS.length)] + ".";
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
    planted.add(new Planted("records.jsonl#id=notext", "read", "read_missing_text"));
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
    Files.writeString(dir.resolve("german.txt"), "Die Regierung hat im vergangenen Jahr viele neue Gesetze "
        + "beschlossen, und der Ausschuss hat die Vorschläge der Bürger sorgfältig geprüft. Die Bauern im Tal "
        + "haben eine gute Ernte eingebracht, und die neuen Straßen verbinden jetzt alle Dörfer der Region. "
        + "Die Kinder gehen gern in die neue Schule, und die Lehrer sind mit ihren Fortschritten zufrieden.");
    planted.add(new Planted("german.txt", "language", "language_not_allowed"));
    Files.writeString(dir.resolve("short.txt"), "The council met today. It rained.");
    planted.add(new Planted("short.txt", null, null)); // dropped by some quality rule; reason checked loosely
    Files.writeString(dir.resolve("text/zz-copy-of-doc-0.txt"),
        Files.readString(dir.resolve("text/doc-0.txt")).toUpperCase().replace(".", ".  "));
    planted.add(new Planted("zz-copy-of-doc-0.txt", "exact_dedup", "exact_duplicate"));
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
