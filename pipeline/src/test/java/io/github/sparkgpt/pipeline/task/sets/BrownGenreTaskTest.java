package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownGenreTaskTest {
  @TempDir Path dir;

  @Test
  void firstWordsOfEachDocumentWithItsGenre() throws Exception {
    Files.writeString(dir.resolve("cats.txt"), "ca01 news\ncg01 belles_lettres\n\ncr09 humor\n");
    Path texts = Files.createDirectories(dir.resolve("brown"));
    Files.writeString(
        texts.resolve("ca01.txt"),
        "The Fulton County Grand Jury said Friday\n"
            + "an investigation of Atlanta's\n\n"
            + "recent primary.\n");
    Files.writeString(texts.resolve("cg01.txt"), "Northern liberals are the chief supporters.\n");
    TaskSet set = new BrownGenreTask(dir.resolve("cats.txt"), texts).setMaxWords(9).build();
    assertEquals(
        List.of(
            Map.of(
                "id",
                "ca01",
                "text",
                "The Fulton County Grand Jury said Friday an investigation",
                "label",
                "news"),
            Map.of(
                "id",
                "cg01",
                "text",
                "Northern liberals are the chief supporters.",
                "label",
                "belles_lettres")),
        set.rows().stream().map(TaskRow::fields).toList());
    assertEquals(List.of("belles_lettres", "news"), set.labels());
    assertEquals(1, set.quarantined().size());
    assertEquals("cr09", set.quarantined().get(0).id());
    assertEquals("brown_missing_text", set.quarantined().get(0).reason());
  }
}
