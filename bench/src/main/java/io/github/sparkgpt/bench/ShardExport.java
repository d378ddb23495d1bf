package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardReader;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Exports the train split of a preprocess output as raw little-endian int32 rows for the PyTorch
 * side of bench/whole-machine (no Parquet reader in Debian's Python), with the model config the
 * pretrain job would build on that data.
 *
 * <p>Usage: {@code bench/run ShardExport DATA OUT_DIR [preset=small]}; DATA is a local path or a
 * Hadoop URI (hdfs://, s3a://, file://); OUT_DIR is a new local directory, written under a
 * temporary name and renamed into place: {@code train.i32} (rows x sequence length) and {@code
 * meta.json} ({"rows", "sequenceLength", "config"}).
 */
public final class ShardExport {
  private ShardExport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: bench/run ShardExport DATA OUT_DIR [preset=small]");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    if (Files.exists(out)) {
      System.err.println("ShardExport: " + out + " exists; remove it or choose another");
      System.exit(2);
    }
    Manifest m = Manifest.read(args[0], new Configuration());
    long rows = export(args[0], out, args.length > 2 ? args[2] : "small");
    System.out.printf("ShardExport: %,d rows x %d tokens -> %s%n", rows, m.sequenceLength, out);
  }

  /** Writes the export of {@code data} to the new directory {@code out}; returns the rows. */
  static long export(String data, Path out, String preset) throws IOException {
    Configuration conf = new Configuration();
    Manifest m = Manifest.read(data, conf);
    GptConfig c =
        GptConfig.preset(preset)
            .setVocabSize(m.tokenizer.vocabSize)
            .setContextLength(m.contextLength)
            .validate();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.createDirectories(tmp);
    long rows = 0;
    try (OutputStream f = Files.newOutputStream(tmp.resolve("train.i32"));
        DataOutputStream o = new DataOutputStream(new BufferedOutputStream(f, 1 << 16))) {
      for (ShardInfo shard : m.splits.get("train").shards) {
        List<int[]> seqs =
            ShardReader.read(new org.apache.hadoop.fs.Path(data, shard.path()), conf, -1);
        for (int[] s : seqs) {
          if (s.length != m.sequenceLength) {
            throw new IOException(shard.path() + ": a row of " + s.length + " tokens");
          }
          for (int v : s) o.writeInt(Integer.reverseBytes(v)); // little-endian for numpy/torch
          rows++;
        }
      }
    }
    String meta =
        String.format(
            "{\"rows\": %d, \"sequenceLength\": %d, \"config\": %s}%n",
            rows, m.sequenceLength, c.toJson());
    Files.writeString(tmp.resolve("meta.json"), meta, StandardCharsets.UTF_8);
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    return rows;
  }
}
