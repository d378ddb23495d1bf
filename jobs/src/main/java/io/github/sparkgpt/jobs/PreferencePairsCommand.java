package io.github.sparkgpt.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.dpo.PreferencePairsRun;
import io.github.sparkgpt.jobs.dpo.PreferencePairsSettings;
import io.github.sparkgpt.jobs.dpo.RewardModel;
import io.github.sparkgpt.jobs.layout.TaskRunLayout;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** spark-submit entry point that builds preference pairs for dpo from a reward classifier. */
@Command(
    name = "preference-pairs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt preference-pairs " + Versions.PROJECT,
    description = {
      "Samples completions of every prompt with a language model on the executors, scores each"
          + " prompt +",
      "completion with a fine-tuned classifier (the probability of --reward-label), and writes the"
          + " best",
      "and the worst as a (prompt, chosen, rejected) pair (ties dropped) to DIR/pairs.jsonl, with"
          + " the scores",
      "and each response's finish reason (stop: it ended at <|endoftext|>; length: cut at",
      "max_new_tokens), so dpo adds <|endoftext|> only to responses that ended.",
      "Defaults: conf/preference-pairs.conf. Exit codes: 0 success, 1 failure, 2 bad usage or"
          + " data.",
      ""
    })
public final class PreferencePairsCommand implements Callable<Integer> {
  static final String JOB = "preference-pairs";

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The policy.")
  String checkpoint;

  @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts.")
  String prompts;

  @Option(
      names = "--reward",
      required = true,
      paramLabel = "RUN",
      description = "A finetune run directory (its model/ and labels.json).")
  String reward;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "New directory.")
  String output;

  @Option(
      names = "--overwrite",
      description = "Replace a complete output this project wrote (never anything else).")
  boolean overwrite;

  @Option(names = "--samples", paramLabel = "N", description = "(samples)")
  Integer samples;

  @Option(names = "--reward-label", paramLabel = "LABEL", description = "(reward_label)")
  String rewardLabel;

  @Option(names = "--prompt-column", paramLabel = "COL", description = "(prompt_column)")
  String promptColumn;

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new PreferencePairsCommand(), args);
  }

  @Override
  public Integer call() throws IOException {
    Config config = options.load(JOB, namedOptions());
    if (config == null) return JobRunner.OK; // --print-config
    PreferencePairsSettings s = PreferencePairsSettings.from(config);
    // everything that can be refused is refused before Spark starts
    Checkpoint policy = ModelTools.loadLanguageModel(checkpoint);
    String rewardModel = reward.replaceAll("/+$", "") + "/" + TaskRunLayout.MODEL;
    Checkpoint classifier = ModelTools.load(rewardModel);
    RewardModel scorer =
        new RewardModel(
            classifier,
            ModelTools.tokenizer(classifier, rewardModel),
            labels(),
            s.getRewardLabel());
    TaskSplits read = TaskSplits.read(s, "prompts", prompts);
    OutputDirectory out =
        OutputDirectory.prepare(
            output, List.of(prompts), overwrite, JOB, options.leasePolicy(), new Configuration());
    SparkSession spark =
        SparkSessions.create("sparkgpt-" + JOB, options.master, ParameterAveraging.sparkConf());
    try {
      PreferencePairsRun.Counts c =
          PreferencePairsRun.run(
              JavaSparkContext.fromSparkContext(spark.sparkContext()),
              s,
              policy.network(),
              ModelTools.tokenizer(policy, checkpoint),
              scorer,
              read.rows("prompts"),
              out);
      out.commit();
      System.out.printf(
          "preference-pairs: %d prompts in, %d pairs, %d ties dropped, %d rejected; %s%n",
          c.in(), c.pairs(), c.ties(), c.rejected(), output);
      return JobRunner.OK;
    } catch (Throwable e) {
      out.abort();
      throw e;
    } finally {
      spark.stop();
    }
  }

  /** The reward run's class names in output order (labels.json). */
  private List<String> labels() throws IOException {
    Path file = new Path(reward.replaceAll("/+$", "") + "/" + TaskRunLayout.LABELS);
    JsonNode json;
    try (InputStream in = file.getFileSystem(new Configuration()).open(file)) {
      json = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UsageException("--reward: cannot read " + file + " (" + e.getMessage() + ")");
    }
    List<String> names = new ArrayList<>();
    json.path("labels").forEach(n -> names.add(n.asText()));
    if (names.isEmpty()) throw new UsageException(file + ": no labels (a score task?)");
    return names;
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples);
    m.put("reward_label", rewardLabel);
    m.put("prompt_column", promptColumn);
    return m;
  }
}
