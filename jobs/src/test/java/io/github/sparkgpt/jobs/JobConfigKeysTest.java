package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.fewshot.FewShotSettings;
import io.github.sparkgpt.jobs.finetune.FinetuneSettings;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.pipeline.Preprocessor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job refuses configuration keys it does not know, wherever they are, naming the closest
 * known key.
 */
class JobConfigKeysTest {
  static final Path CONF = Path.of("..", "conf");
  @TempDir Path dir;

  static Config load(String job, File conf, String... sets) {
    Set<String> optional = job.equals("pretrain") ? PretrainSettings.optionalKeys() : Set.of();
    return JobConfig.load(job, conf, List.of(sets), Map.of(), optional);
  }

  static String refused(String job, File conf, String... sets) {
    return assertThrows(UsageException.class, () -> load(job, conf, sets)).getMessage();
  }

  @Test
  void bundledAndDemoConfigurationsBindInEveryJob() {
    for (String job : List.of("preprocess", "pretrain", "finetune", "fewshot")) {
      File demo = CONF.resolve("demo-" + job + ".conf").toFile();
      Config c = load(job, demo.isFile() ? demo : null);
      switch (job) { // and the binders accept them too
        case "preprocess" -> new Preprocessor(c);
        case "pretrain" -> PretrainSettings.from(c);
        case "finetune" -> FinetuneSettings.from(c);
        default -> FewShotSettings.from(c);
      }
    }
  }

  @Test
  void preprocessRefusesMisspelledSectionsAndTopLevelKeysWithTheClosestKey() {
    String c4 = refused("preprocess", null, "quality.c4_quality.enabled=false");
    assertTrue(
        c4.contains("'quality.c4_quality.enabled'")
            && c4.contains("did you mean quality.c4.enabled?"),
        c4);
    String bogus = refused("preprocess", null, "bogus=1");
    assertTrue(
        bogus.contains("'bogus' (no known key is close to it; the known keys start with ")
            && bogus.contains(" quality,")
            && bogus.contains(" seed,"),
        bogus);
    String section = refused("preprocess", null, "qualty.c4.enabled=false");
    assertTrue(section.contains("did you mean quality.c4.enabled?"), section);
    // A stage that is switched off is not bound, but its keys are still checked.
    String off =
        refused("preprocess", null, "quality.c4.enabled=false", "quality.c4.min_num_sentence=3");
    assertTrue(off.contains("did you mean quality.c4.min_num_sentences?"), off);
    String pack = refused("preprocess", null, "pack.validation_fractoin=0.1");
    assertTrue(pack.contains("did you mean pack.validation_fraction?"), pack);
    // A value where a section is expected, and a section where a value is expected.
    assertTrue(
        refused("preprocess", null, "quality.c4=false").contains("did you mean quality.c4."));
    assertTrue(refused("preprocess", null, "seed.x=1").contains("did you mean seed?"));
  }

  @Test
  void aConfFileWithAnUnknownSectionIsRefused() throws Exception {
    Path conf = dir.resolve("typo.conf");
    Files.writeString(conf, "preproces { seed = 7 }\n");
    String top = refused("preprocess", conf.toFile());
    assertTrue(top.contains("'preproces'") && top.contains("did you mean preprocess?"), top);
    // One file may configure several jobs.
    Files.writeString(conf, "preprocess { seed = 7 }\npretrain { seed = 8 }\n");
    assertEquals(7, load("preprocess", conf.toFile()).getInt("seed"));
    assertEquals(8, load("pretrain", conf.toFile()).getInt("seed"));
  }

  @Test
  void pretrainAcceptsModelOverridesAndRefusesOtherKeys() {
    assertEquals(3, load("pretrain", null, "model.layers=3").getInt("model.layers"));
    String model = refused("pretrain", null, "model.layerz=3");
    assertTrue(model.contains("did you mean model.layers?"), model);
    String top = refused("pretrain", null, "learning_rat=1e-3");
    assertTrue(top.contains("did you mean learning_rate?"), top);
  }

  @Test
  void finetuneAndFewshotRefuseUnknownKeysAndFewshotLabelWordsStayFreeForm() {
    String ft = refused("finetune", null, "lm_wieght=0.1");
    assertTrue(ft.contains("did you mean lm_weight?"), ft);
    assertTrue(refused("finetune", null, "bogus.x=1").contains("'bogus.x'"));
    Config fs = load("fewshot", null, "label_words={\"0\" = negative, \"1\" = positive}");
    assertEquals("negative", FewShotSettings.from(fs).getLabelWords().get("0"));
    // --label-words 0=bad,1.5=good arrives as a map; its keys are labels, not paths
    Config named =
        JobConfig.load(
            "fewshot", null, List.of(), Map.of("label_words", Map.of("0", "bad", "1.5", "good")));
    assertEquals("good", FewShotSettings.from(named).getLabelWords().get("1.5"));
    String template = refused("fewshot", null, "templates.clasification=\"{text}\"");
    assertTrue(template.contains("did you mean templates.classification?"), template);
  }

  @Test
  void everyJobRefusesBeforeSparkStartsWithOneLine() {
    Map<String, java.util.function.Supplier<Integer>> jobs =
        Map.of(
            "preprocess",
                () ->
                    PreprocessJob.run(
                        "--input",
                        "in",
                        "--output",
                        dir.resolve("o").toString(),
                        "--set",
                        "bogus=1"),
            "pretrain",
                () ->
                    PretrainJob.run(
                        "--data", "d", "--output", dir.resolve("o").toString(), "--set", "bogus=1"),
            "finetune",
                () ->
                    FinetuneJob.run(
                        "--checkpoint",
                        "c",
                        "--train",
                        "t",
                        "--validation",
                        "v",
                        "--output",
                        dir.resolve("o").toString(),
                        "--run-id",
                        "r",
                        "--set",
                        "bogus=1"),
            "fewshot",
                () ->
                    FewShotCommand.run(
                        "--checkpoint",
                        "c",
                        "--eval",
                        "e",
                        "--output",
                        dir.resolve("o").toString(),
                        "--run-id",
                        "r",
                        "--set",
                        "bogus=1"));
    for (Map.Entry<String, java.util.function.Supplier<Integer>> e : jobs.entrySet()) {
      String err = Console.err(() -> assertEquals(JobRunner.USAGE, e.getValue().get()));
      assertTrue(err.startsWith(e.getKey() + ": error: unknown configuration key 'bogus'"), err);
      assertEquals(1, err.strip().lines().count(), err);
    }
    assertFalse(Files.exists(dir.resolve("o")));
  }
}
