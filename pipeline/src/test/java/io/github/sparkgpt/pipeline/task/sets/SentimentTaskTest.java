package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentTaskTest {
  @TempDir Path dir;

  @Test
  void readsTheThreeFixtureArraysAndDropsThePlaceholder() throws Exception {
    Files.writeString(
        dir.resolve("amazon.json"),
        "[{\"text\":\"Great phone.\",\"class\":1},"
            + "{\"text\":\"Broke in a day.\",\"class\":0},{\"text\":\"\",\"class\":null}]");
    Files.writeString(
        dir.resolve("imdb.json"),
        "[{\"text\":\" Loved it. \",\"class\":1},{\"text\":\"\",\"class\":null}]");
    Files.writeString(
        dir.resolve("yelp.json"),
        "[{\"text\":\"Great phone.\",\"class\":1},{\"text\":\"Meh\",\"class\":2}]");
    TaskSet set = new SentimentTask(dir).build();
    assertEquals(
        List.of(
            Map.of(
                "id", "amazon-0", "text", "Great phone.", "label", "positive", "source", "amazon"),
            Map.of(
                "id",
                "amazon-1",
                "text",
                "Broke in a day.",
                "label",
                "negative",
                "source",
                "amazon"),
            Map.of("id", "imdb-0", "text", "Loved it.", "label", "positive", "source", "imdb"),
            Map.of("id", "yelp-0", "text", "Great phone.", "label", "positive", "source", "yelp")),
        set.rows().stream().map(TaskRow::fields).toList());
    assertEquals(
        List.of("id", "text", "label", "source"), List.copyOf(set.rows().get(0).fields().keySet()));
    assertEquals(
        "Great phone.",
        set.rows().get(3).key()); // duplicates share a key, so a split keeps them together
    assertEquals(1, set.quarantined().size());
    assertEquals("sentiment_bad_class", set.quarantined().get(0).reason());
    assertEquals("yelp-1", set.quarantined().get(0).id());
    assertTrue(set.info().get("derivation").toString().contains("(2 dropped)"));
  }

  @Test
  void aMissingFileIsNamed() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SentimentTask(dir).build())
            .getMessage()
            .contains("amazon.json"));
  }
}
