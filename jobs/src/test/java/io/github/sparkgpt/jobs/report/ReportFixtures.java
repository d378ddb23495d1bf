package io.github.sparkgpt.jobs.report;

import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetricsJson;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.Gpt2PreTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-written run artefacts in the shapes the jobs write them, for the report tests. */
public final class ReportFixtures {
  private ReportFixtures() {}

  /**
   * A preprocess output: two stages with drops, near-duplicate clusters {2: 3, 5: 1}, two splits.
   */
  public static Path preprocess(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("stats.json"),
        """
        {
          "elapsed_seconds": 12.5,
          "input_bytes": 1234567,
          "stages": [
            {"stage": "read", "docs_in": 1200, "docs_out": 1200, "bytes_in": 1234567, "bytes_out": 1234567,
             "dropped": {}, "counters": {}},
            {"stage": "gopher_quality", "docs_in": 1200, "docs_out": 1150, "bytes_in": 1234567, "bytes_out": 1100000,
             "dropped": {"gopher_short_doc": 30, "gopher_below_alpha_threshold": 20},
             "counters": {"gopher_words_checked": 98765}},
            {"stage": "minhash_dedup", "docs_in": 1150, "docs_out": 1143, "bytes_in": 1100000, "bytes_out": 1090000,
             "dropped": {"minhash_near_duplicate": 7}, "counters": {"cc_rounds": 2}}
          ],
          "near_duplicate_cluster_sizes": {"2": 3, "5": 1},
          "tokens": {
            "train": {"documents": 1100, "document_tokens": 2500000, "packed_tokens": 2499977, "sequences": 19379,
                      "tokens_dropped_in_last_partial_sequences": 23},
            "validation": {"documents": 43, "document_tokens": 99000, "packed_tokens": 98943, "sequences": 767,
                           "tokens_dropped_in_last_partial_sequences": 57}
          }
        }
        """);
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {
          "format_version": 1,
          "inputs": ["data/corpora/a", "data/corpora/b"],
          "context_length": 128,
          "sequence_length": 129,
          "tokenizer": {"file": "tokenizer.json", "sha256": "abcdef0123456789abcdef", "vocab_size": 8192,
                        "end_of_text_id": 8188},
          "splits": {
            "train": {"rows": 19379, "tokens": 2499977, "shards": [
              {"path": "train/shard-00000.parquet", "rows": 10000, "tokens": 1290000, "bytes": 2000000},
              {"path": "train/shard-00001.parquet", "rows": 9379, "tokens": 1209977, "bytes": 1900000}]},
            "validation": {"rows": 767, "tokens": 98943, "shards": [
              {"path": "validation/shard-00000.parquet", "rows": 767, "tokens": 98943, "bytes": 150000}]}
          }
        }
        """);
    return dir;
  }

  /** A pretraining run of 16 steps with validation at 0, 8 and 16; config.conf, no checkpoint. */
  public static Path pretrain(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("metrics.jsonl"),
        """
        {"step":0,"tokens_seen":0,"train_loss":null,"val_loss":5.75,"val_perplexity":314.19,"lr":1.0E-4,"tokens_per_s":null,"elapsed_s":0.0}
        {"step":8,"tokens_seen":16384,"train_loss":5.1,"val_loss":5.0,"val_perplexity":148.41,"lr":1.0E-3,"tokens_per_s":800.0,"elapsed_s":20.5}
        {"step":12,"tokens_seen":24576,"train_loss":4.8,"val_loss":null,"val_perplexity":null,"lr":9.0E-4,"tokens_per_s":810.0,"elapsed_s":30.0}
        {"step":16,"tokens_seen":32768,"train_loss":4.6,"val_loss":4.5,"val_perplexity":90.0171313,"lr":8.0E-4,"tokens_per_s":820.0,"elapsed_s":40.25}
        """);
    Files.writeString(
        dir.resolve("config.conf"),
        """
        # a comment, as JobConfig.render writes
        pretrain {
            "averaging_frequency"=2
            "batch_size"=8
            "learning_rate"=0.005
            model { preset=tiny }
        }
        """);
    return dir;
  }

  /**
   * Adds checkpoints/step-000016/ with an untrained tiny model and a tokenizer trained on a few
   * sentences.
   */
  public static GptConfig checkpoint(Path pretrainDir) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    String text =
        "The river ran past the old town and the people of the town walked along the river. In the"
            + " beginning there was a small house by the water. It was a cold day in the city. ";
    for (int i = 0; i < 20; i++) {
      for (String piece : Gpt2PreTokenizer.split(text)) counts.merge(piece, 1L, Long::sum);
    }
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    byte[] json = HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8);
    GptConfig cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(32);
    new Checkpoint(
            GptModel.create(cfg, 1e-3, 1), json, tok.vocabSize(), new TrainingState().setStep(16))
        .save(pretrainDir.resolve("checkpoints").resolve("step-000016"));
    return cfg;
  }

  /**
   * A fine-tuning run as FinetuneJob writes it: validation and test, per-class metrics, confusion
   * matrix.
   */
  public static Path finetune(Path dir, boolean pretrained, double accuracy) throws IOException {
    Files.createDirectories(dir);
    Map<String, RunMetrics.Evaluation> evaluations = new LinkedHashMap<>();
    evaluations.put(
        "validation",
        new RunMetrics.Evaluation(
            16L,
            accuracy,
            0.7460317,
            perClass(
                new RunMetrics.ClassScores(0.8, 0.5, 0.6153846, 8),
                new RunMetrics.ClassScores(0.6363636, 0.875, 0.7368421, 8)),
            List.of("neg", "pos"),
            List.of(List.of(4L, 4L), List.of(1L, 7L)),
            null,
            null,
            null));
    evaluations.put(
        "test",
        new RunMetrics.Evaluation(
            10L,
            0.6,
            0.5833333,
            perClass(
                new RunMetrics.ClassScores(0.5, 0.4, 0.4444444, 5),
                new RunMetrics.ClassScores(0.6666667, 0.8, 0.7272727, 5)),
            List.of("neg", "pos"),
            List.of(List.of(2L, 3L), List.of(1L, 4L)),
            null,
            null,
            null));
    Map<String, RunMetrics.SplitCounts> splits = new LinkedHashMap<>();
    splits.put("train", new RunMetrics.SplitCounts(64, 64, Map.of()));
    splits.put("validation", new RunMetrics.SplitCounts(16, 16, Map.of()));
    RunMetricsJson.write(
        dir.resolve("metrics.json"),
        new RunMetrics(
            RunMetrics.SCHEMA,
            RunMetrics.FINETUNE,
            "classification",
            "label",
            pretrained,
            null,
            splits,
            0L,
            new RunMetrics.Headline("validation", "accuracy", accuracy),
            evaluations,
            new RunMetrics.Training(null, 0.5, null, null, 2, 30L, 0.7, 0.4, 12.0, List.of()),
            null,
            null,
            0L));
    return dir;
  }

  private static Map<String, RunMetrics.ClassScores> perClass(
      RunMetrics.ClassScores neg, RunMetrics.ClassScores pos) {
    Map<String, RunMetrics.ClassScores> m = new LinkedHashMap<>();
    m.put("neg", neg);
    m.put("pos", pos);
    return m;
  }

  /** {@link #fewShot} as the few-shot job wrote it before metrics.json had a schema. */
  public static Path legacyFewShot(Path dir, int shots) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("metrics.json"),
        """
        {"train_examples": 100, "eval_examples": 50, "task": "similarity", "checkpoint": "/runs/pt/checkpoints/step-000016",
         "shots": %d, "seed": 1234, "seconds": 11.5,
         "eval": {"examples": 50, "accuracy": 0.52, "macro_f1": 0.5, "pearson": 0.8123, "spearman": 0.7999}}
        """
            .formatted(shots));
    return dir;
  }

  /**
   * {@link #finetune} as the finetune job wrote it before metrics.json had a schema (the task in
   * labels.json).
   */
  public static Path legacyFinetune(Path dir, boolean pretrained, double accuracy)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("labels.json"),
        "{\"task\": \"classification\", \"labels\": [\"neg\", \"pos\"]}");
    Files.writeString(
        dir.resolve("metrics.json"),
        """
        {
          "train_examples": 64, "train_rejected": {},
          "validation_examples": 16, "validation_rejected": {},
          "rejected": 0, "truncated_sequences": 0,
          "training": {"pretrained": %s, "checkpoint": "ckpt", "lm_weight": 0.5, "workers": 2, "steps": 30,
                       "first_loss": 0.7, "last_loss": 0.4, "seconds": 12.0, "epochs": []},
          "validation": {
            "examples": 16, "accuracy": %s, "macro_f1": 0.7460317,
            "per_class": {"neg": {"precision": 0.8, "recall": 0.5, "f1": 0.6153846, "support": 8},
                          "pos": {"precision": 0.6363636, "recall": 0.875, "f1": 0.7368421, "support": 8}},
            "labels": ["neg", "pos"],
            "confusion_matrix": [[4, 4], [1, 7]]
          },
          "test": {
            "examples": 10, "accuracy": 0.6, "macro_f1": 0.5833333,
            "per_class": {"neg": {"precision": 0.5, "recall": 0.4, "f1": 0.4444444, "support": 5},
                          "pos": {"precision": 0.6666667, "recall": 0.8, "f1": 0.7272727, "support": 5}},
            "labels": ["neg", "pos"],
            "confusion_matrix": [[2, 3], [1, 4]]
          }
        }
        """
            .formatted(pretrained, accuracy));
    return dir;
  }

  /**
   * A few-shot run as the few-shot job writes it (shots, and metrics under "eval"), here with a
   * correlation task's pearson/spearman and no per-class metrics.
   */
  public static Path fewShot(Path dir, int shots) throws IOException {
    Files.createDirectories(dir);
    Map<String, RunMetrics.SplitCounts> splits = new LinkedHashMap<>();
    splits.put("train", new RunMetrics.SplitCounts(100, 100, Map.of()));
    splits.put("eval", new RunMetrics.SplitCounts(50, 50, Map.of()));
    RunMetricsJson.write(
        dir.resolve("metrics.json"),
        new RunMetrics(
            RunMetrics.SCHEMA,
            RunMetrics.FEWSHOT,
            "similarity",
            "label",
            true,
            null,
            splits,
            null,
            null,
            Map.of(
                "eval",
                new RunMetrics.Evaluation(50L, 0.52, 0.5, null, null, null, 0.8123, 0.7999, null)),
            null,
            new RunMetrics.FewShot(
                shots, 1234L, null, null, null, null, null, null, null, 11.5, null),
            null,
            null));
    return dir;
  }
}
