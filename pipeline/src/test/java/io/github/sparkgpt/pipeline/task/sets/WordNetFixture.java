package io.github.sparkgpt.pipeline.task.sets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * WordNet data files in the real format (license header lines, then one synset per line), written
 * by tests.
 */
final class WordNetFixture {
  private WordNetFixture() {}

  static final String HEADER =
      "  1 This software and database is being provided to you, the LICENSEE, by  \n"
          + "  2 Princeton University under the following license.  \n";

  /** A dict directory with the given data lines per file; files not given are header-only. */
  static Path write(Path dir, List<String> nouns, List<String> verbs, List<String> adjectives)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("data.noun"), HEADER + lines(nouns), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("data.verb"), HEADER + lines(verbs), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("data.adj"), HEADER + lines(adjectives), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("data.adv"), HEADER, StandardCharsets.UTF_8);
    return dir;
  }

  private static String lines(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) sb.append(l).append("  \n");
    return sb.toString();
  }

  /** poodle -@-> dog -@-> animal: three noun synsets, each with one single-word lemma. */
  static final List<String> DOGS =
      List.of(
          "00000010 05 n 02 poodle 0 poodle_dog 0 001 @ 00000020 n 0000 | an intelligent breed with"
              + " a thick curly coat; \"the poodle was clipped\"",
          "00000020 05 n 02 dog 0 domestic_dog 0 002 @ 00000030 n 0000 ~ 00000010 n 0000 | a"
              + " domesticated carnivorous mammal",
          "00000030 03 n 01 animal 0 001 ~ 00000020 n 0000 | a living organism that can move"
              + " voluntarily");
}
