package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.pipeline.task.sets.BrownGenreTask;
import io.github.sparkgpt.pipeline.task.sets.SentimentTask;
import io.github.sparkgpt.pipeline.task.sets.SpamAssassinTask;
import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import io.github.sparkgpt.pipeline.task.sets.TaskSetBuilder;
import io.github.sparkgpt.pipeline.task.sets.TaskSetWriter;
import io.github.sparkgpt.pipeline.task.sets.WordNet;
import io.github.sparkgpt.pipeline.task.sets.WordNetDefinitionChoiceTask;
import io.github.sparkgpt.pipeline.task.sets.WordNetDerivedTask;
import io.github.sparkgpt.pipeline.task.sets.WordNetHypernymTask;
import io.github.sparkgpt.pipeline.task.sets.WordNetSynonymTask;
import io.github.sparkgpt.pipeline.task.sets.generative.GenerativeSetBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Turns the fetched raw task data (deploy/fetch-data) into labelled train/validation/test JSONL
 * sets (no Spark).
 */
@Command(
    name = "prepare-tasks",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt prepare-tasks " + Versions.PROJECT,
    description = {
      "Builds task sets from the raw data deploy/fetch-data put in --data: labelled sets for",
      "finetune (sentiment, spam, brown-genres, three derived from WordNet) and prompt -> response",
      "sets for sft (and preference pairs for dpo) from Debian dictionaries, FAQs, man pages,",
      "fortunes and LanguageTool's rules; a prompt -> response set whose package was not",
      "fetched is skipped. Each set is a directory with train.jsonl, validation.jsonl, test.jsonl,",
      "quarantine.jsonl and info.json (which also names the options that read it), written to a",
      "temporary directory and renamed. A complete set is skipped unless --overwrite."
    })
public final class PrepareTasksCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The raw task data (deploy/fetch-data's data/tasks; path or URI). Default:"
              + " ${DEFAULT-VALUE}.")
  String data = "data/tasks";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the sets are written (path or URI). Default: DATA/prepared.")
  String output;

  @Option(
      names = "--brown-texts",
      paramLabel = "DIR",
      description =
          "Brown texts, one <id>.txt per document (path or URI). Default: DATA/../corpora/brown.")
  String brownTexts;

  /**
   * The raw data on the driver: --data itself, or a copy of a cluster directory (made when a set
   * first needs it).
   */
  private Supplier<Path> dataDir;

  private Supplier<Path> brownDir;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description = "Build only these sets (comma-separated).")
  List<String> only = new ArrayList<>();

  @Option(names = "--overwrite", description = "Rebuild sets that are already complete.")
  boolean overwrite;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Sampling and split seed. Default: ${DEFAULT-VALUE}.")
  long seed = 1234;

  @Option(
      names = "--max-body-chars",
      paramLabel = "N",
      description = "spam: longest e-mail body kept. Default: ${DEFAULT-VALUE}.")
  int maxBodyChars = 2000;

  @Option(
      names = "--max-words",
      paramLabel = "N",
      description = "brown-genres: words kept per document. Default: ${DEFAULT-VALUE}.")
  int maxWords = 256;

  @Option(
      names = "--max-examples",
      paramLabel = "N",
      description =
          "WordNet-derived sets: examples per set. Default: 2000 for "
              + "definition choice, 3000 for the pair sets.")
  Integer maxExamples;

  @Mixin GenerativeTaskSets generative = new GenerativeTaskSets();

  public static void main(String[] args) {
    System.exit(JobRunner.execute("prepare-tasks", new PrepareTasksCommand(), args));
  }

  @Override
  public Integer call() throws IOException {
    try (Storage storage = new Storage()) {
      StoragePath dataAt = StoragePath.of("--data", data);
      dataDir = memoize(() -> storage.directory("--data", dataAt, rel -> true));
      StoragePath brownAt =
          brownTexts != null ? StoragePath.of("--brown-texts", brownTexts) : defaultBrown(dataAt);
      brownDir = memoize(() -> storage.directory("--brown-texts", brownAt, rel -> true));
      StoragePath outAt =
          output != null ? StoragePath.of("--output", output) : dataAt.resolve("prepared");
      return call(outAt.isLocal() ? outAt.local().toString() : outAt.hadoop().toString());
    }
  }

  /** DATA/../corpora/brown, where deploy/fetch-data puts the Brown texts beside the task data. */
  private static StoragePath defaultBrown(StoragePath dataAt) {
    return dataAt.isLocal()
        ? StoragePath.local(
            dataAt.local().toAbsolutePath().normalize().getParent().resolve("corpora/brown"))
        : StoragePath.of(
            "--brown-texts",
            new org.apache.hadoop.fs.Path(dataAt.hadoop().getParent(), "corpora/brown").toString());
  }

  private Integer call(String out) throws IOException {
    Map<String, Supplier<TaskSetBuilder>> builders = builders();
    for (String name : only) {
      if (!builders.containsKey(name))
        throw new UsageException(
            "--only "
                + name
                + ": unknown task set; known: "
                + String.join(", ", builders.keySet()));
    }
    Configuration conf = new Configuration();
    TaskSetTable.printHeader();
    for (Map.Entry<String, Supplier<TaskSetBuilder>> e : builders.entrySet()) {
      String name = e.getKey();
      if (!only.isEmpty() && !only.contains(name)) continue;
      if (!overwrite && TaskSetWriter.isComplete(out, name, conf)) {
        TaskSetTable.printExisting(out, name, conf);
        continue;
      }
      TaskSetBuilder builder = e.getValue().get().setSeed(seed);
      if (only.isEmpty()
          && builder instanceof GenerativeSetBuilder g
          && !Files.isDirectory(g.input())) {
        System.out.println(
            name + ": skipped, no " + g.input() + " (deploy/fetch-data could not fetch it)");
        continue;
      }
      TaskSet set = builder.build();
      TaskSetWriter.Summary s = TaskSetWriter.write(set, builder.splitter(), out, overwrite, conf);
      TaskSetTable.printBuilt(name, s);
    }
    System.out.println("written to " + out);
    return JobRunner.OK;
  }

  /**
   * Every task set by name, in build order; the WordNet database is read once, only if a derived
   * set needs it.
   */
  private Map<String, Supplier<TaskSetBuilder>> builders() {
    Supplier<WordNet> wordNet = memoize(() -> WordNet.read(dataDir.get().resolve("wordnet/dict")));
    Map<String, Supplier<TaskSetBuilder>> m = new LinkedHashMap<>();
    m.put(SentimentTask.NAME, () -> new SentimentTask(dataDir.get().resolve("sentiment")));
    m.put(
        SpamAssassinTask.NAME,
        () -> new SpamAssassinTask(dataDir.get().resolve("spam")).setMaxBodyChars(maxBodyChars));
    m.put(
        BrownGenreTask.NAME,
        () ->
            new BrownGenreTask(dataDir.get().resolve("brown-genres/cats.txt"), brownDir.get())
                .setMaxWords(maxWords));
    m.put(WordNetDefinitionChoiceTask.NAME, () -> capped(new WordNetDefinitionChoiceTask(wordNet)));
    m.put(WordNetSynonymTask.NAME, () -> capped(new WordNetSynonymTask(wordNet)));
    m.put(WordNetHypernymTask.NAME, () -> capped(new WordNetHypernymTask(wordNet)));
    generative.register(m, dataDir);
    return m;
  }

  private TaskSetBuilder capped(WordNetDerivedTask t) {
    return maxExamples == null ? t : t.setMaxExamples(maxExamples);
  }

  private static <T> Supplier<T> memoize(Supplier<T> s) {
    Object[] cell = new Object[1];
    return () -> {
      if (cell[0] == null) cell[0] = s.get();
      @SuppressWarnings("unchecked")
      T t = (T) cell[0];
      return t;
    };
  }
}
