package io.github.sparkgpt.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.layout.PretrainLayout;
import io.github.sparkgpt.jobs.metrics.MetricsPlots;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a pretraining run directory for the report: the last values of metrics.jsonl, the settings
 * of config.conf, the newest checkpoint's model and the metrics plots. A missing metrics.jsonl or
 * an unreadable file is a {@link UsageException} naming it.
 */
public final class PretrainReader {
  private PretrainReader() {}

  public static Pretrain pretrain(Path dir) {
    Path metrics = ArtefactReader.required(dir, PretrainLayout.METRICS);
    Progress progress = Progress.read(metrics);
    Settings settings = Settings.read(dir);
    Optional<Path> checkpoint = PretrainLayout.latestCheckpoint(dir);
    GptConfig model = checkpoint.map(PretrainReader::model).orElse(null);
    MetricsPlots.Plots plots = plots(metrics);
    return new Pretrain(
        dir,
        Files.exists(dir.resolve(OutputDirectory.SUCCESS)),
        settings.preset(),
        model == null ? null : model.parameterCount(),
        model == null ? null : model.getLayers(),
        model == null ? null : model.getDModel(),
        model == null ? null : model.getHeads(),
        model == null ? null : model.getContextLength(),
        model == null ? null : model.getVocabSize(),
        settings.batchSize(),
        settings.learningRate(),
        settings.averagingFrequency(),
        progress.steps(),
        progress.tokensSeen(),
        progress.trainLoss(),
        progress.valLoss(),
        progress.valPerplexity(),
        progress.valStep(),
        progress.elapsedSeconds(),
        progress.tokensPerSecond(),
        checkpoint.orElse(null),
        plots.loss(),
        plots.perplexity());
  }

  /**
   * The newest value of each metric in metrics.jsonl (a line may lack some); validation values come
   * from the last line that has a validation loss.
   */
  record Progress(
      long steps,
      long tokensSeen,
      Double trainLoss,
      Double valLoss,
      Double valPerplexity,
      Long valStep,
      Double elapsedSeconds,
      Double tokensPerSecond) {

    static Progress read(Path metrics) {
      long steps = 0, tokens = 0;
      Long valStep = null;
      Double train = null, val = null, ppl = null, elapsed = null, tps = null;
      for (String line : ArtefactReader.lines(metrics)) {
        if (line.isBlank()) continue;
        JsonNode n = ArtefactReader.json(line, metrics);
        steps = n.path("step").asLong(steps);
        tokens = n.path("tokens_seen").asLong(tokens);
        train = ArtefactReader.number(n.path("train_loss"), train);
        elapsed = ArtefactReader.number(n.path("elapsed_s"), elapsed);
        tps = ArtefactReader.number(n.path("tokens_per_s"), tps);
        if (n.path("val_loss").isNumber()) {
          val = n.path("val_loss").asDouble();
          ppl = ArtefactReader.number(n.path("val_perplexity"), Math.exp(val));
          valStep = n.path("step").asLong();
        }
      }
      return new Progress(steps, tokens, train, val, ppl, valStep, elapsed, tps);
    }
  }

  /**
   * The run's effective configuration (config.conf, after overrides); all null when the run has
   * none.
   */
  record Settings(
      String preset, Integer batchSize, Double learningRate, Integer averagingFrequency) {

    static Settings read(Path dir) {
      Path configFile = dir.resolve(PretrainLayout.CONFIG);
      if (!Files.isRegularFile(configFile)) return new Settings(null, null, null, null);
      Config c = ArtefactReader.hocon(configFile);
      Config p = c.hasPath("pretrain") ? c.getConfig("pretrain") : c;
      return new Settings(
          p.hasPath("model.preset") ? p.getString("model.preset") : null,
          p.hasPath("batch_size") ? p.getInt("batch_size") : null,
          p.hasPath("learning_rate") ? p.getDouble("learning_rate") : null,
          p.hasPath("averaging_frequency") ? p.getInt("averaging_frequency") : null);
    }
  }

  /** The checkpoint's model, exact after overrides; null when it has no config.json. */
  private static GptConfig model(Path checkpoint) {
    Path config = checkpoint.resolve(Checkpoint.CONFIG);
    if (!Files.isRegularFile(config)) return null;
    try {
      return GptConfig.fromJson(Files.readString(config));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(config + ": " + e.getMessage());
    }
  }

  private static MetricsPlots.Plots plots(Path metrics) {
    try {
      return MetricsPlots.render(metrics).orElse(new MetricsPlots.Plots(null, null));
    } catch (IOException e) {
      throw new UsageException(metrics + ": " + e.getMessage());
    }
  }
}
