package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.pretrain.PretrainData;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.pipeline.write.Manifest;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The pretrain job's data, checked before Spark starts: the preprocess output's qualified path, its
 * manifest and tokenizer, and the lineage that every checkpoint of the run starts from.
 */
record PretrainInput(String data, Manifest manifest, byte[] tokenizer, Lineage lineage) {

  /**
   * Refuses {@code --data} that is not a complete preprocess output or has too few sequences for
   * {@code settings}.
   */
  static PretrainInput read(
      String given, Storage storage, PretrainSettings settings, Configuration hadoop)
      throws IOException {
    // Executors resolve paths in their own working directory: give them an absolute, qualified one.
    org.apache.hadoop.fs.Path dataPath = new org.apache.hadoop.fs.Path(given);
    String data = dataPath.getFileSystem(hadoop).makeQualified(dataPath).toString();
    storage
        .completeness()
        .requireOutput("--data", StoragePath.of("--data", data), "preprocess output");
    Manifest manifest = Manifest.read(data, hadoop);
    PretrainData.requireSequences(manifest, settings);
    Lineage lineage =
        new Lineage("pretrain")
            .withData(
                LineageFiles.sha256(
                    new org.apache.hadoop.fs.Path(data, Manifest.FILE).toString(), hadoop),
                data);
    byte[] tokenizer = new PretrainData(data, manifest, hadoop).readTokenizer();
    return new PretrainInput(data, manifest, tokenizer, lineage);
  }
}
