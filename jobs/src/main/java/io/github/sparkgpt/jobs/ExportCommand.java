package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.StagedDirectory;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.HuggingFaceExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Export a checkpoint to the Hugging Face layout (config.json, model.safetensors, tokenizer.json).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt export " + Versions.PROJECT,
    description = {
      "Writes a checkpoint in the Hugging Face layout: GPT-2 (GPT2LMHeadModel) for pre-LN models,",
      "OpenAI-GPT (OpenAIGPTLMHeadModel) for post-LN models; config.json, model.safetensors,"
          + " tokenizer.json."
    })
public final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A checkpoint directory.")
  String checkpoint;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write (path or URI).")
  String output;

  public static void main(String[] args) {
    System.exit(JobRunner.execute("export", new ExportCommand(), args));
  }

  @Override
  public Integer call() {
    Checkpoint cp = ModelTools.load(checkpoint);
    try (Storage storage = new Storage()) {
      StagedDirectory out = storage.output(StoragePath.of("--output", output));
      int tensors = HuggingFaceExporter.export(cp, out.local()).size();
      out.publishAll();
      System.out.println("export: " + tensors + " tensors written to " + out.target());
    } catch (IOException e) {
      throw new UncheckedIOException("export to " + output + " failed: " + e.getMessage(), e);
    }
    return JobRunner.OK;
  }
}
