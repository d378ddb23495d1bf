package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.StagedDirectory;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.FileDigests;
import io.github.sparkgpt.model.HuggingFaceImporter;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds a checkpoint from a Hugging Face directory (the layouts export writes), without Java
 * deserialization: the safe way to bring in weights trained elsewhere.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt import " + Versions.PROJECT,
    description = {
      "Reads config.json, model.safetensors (float32) and tokenizer.json of a GPT-2"
          + " (GPT2LMHeadModel,",
      "pre-LN) or OpenAI-GPT (OpenAIGPTLMHeadModel, post-LN) directory and writes a checkpoint."
          + " Every tensor's",
      "name, dtype, shape and offsets are checked before its data is read; checkpoint.json records"
          + " the sha256",
      "of the three input files."
    })
public final class ImportCommand implements Callable<Integer> {
  static final String TOKENIZER = "tokenizer.json";

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "A Hugging Face model directory (path or URI).")
  String from;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "CKPT",
      description = "Checkpoint directory to create (path or URI; must not exist).")
  String output;

  public static void main(String[] args) {
    System.exit(JobRunner.execute("import", new ImportCommand(), args));
  }

  @Override
  public Integer call() {
    try (Storage storage = new Storage()) {
      StoragePath target = StoragePath.of("--output", output);
      refuseExisting(target, storage);
      // a cluster directory is copied to the driver (only the three files read), then checked like
      // a local one
      Path dir =
          storage.directory("--from", StoragePath.of("--from", from), ImportCommand::isImported);
      return importInto(dir, target, storage);
    }
  }

  private static boolean isImported(String relative) {
    return relative.equals(HuggingFaceImporter.CONFIG)
        || relative.equals(HuggingFaceImporter.WEIGHTS)
        || relative.equals(TOKENIZER);
  }

  private Integer importInto(Path from, StoragePath target, Storage storage) {
    if (!Files.isDirectory(from))
      throw new UsageException("--from " + this.from + ": no such directory");
    Path tokenizerFile = from.resolve(TOKENIZER);
    if (!Files.isRegularFile(tokenizerFile))
      throw new UsageException("--from " + from + " has no " + TOKENIZER);
    try {
      byte[] tokenizerBytes = readTokenizer(tokenizerFile);
      BpeTokenizer tokenizer =
          HfTokenizerJson.fromJson(
              new String(tokenizerBytes, StandardCharsets.UTF_8), tokenizerFile.toString());
      HuggingFaceImporter.Result r = readWeights(from);
      requireSameVocabulary(tokenizerFile, tokenizer, r);
      Lineage lineage = lineage(from);
      Checkpoint cp =
          new Checkpoint(r.network(), tokenizerBytes, tokenizer.vocabSize(), new TrainingState())
              .withLineage(lineage);
      save(cp, target, storage);
      r.notes().forEach(n -> System.err.println("import: note: " + n));
      System.out.println(
          "import: " + describe(r) + "; checkpoint " + target + " (sha256 " + cp.digest() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("import into " + output + " failed: " + e.getMessage(), e);
    }
    return JobRunner.OK;
  }

  /** The tokenizer's bytes, refused before reading when larger than a checkpoint may hold. */
  private static byte[] readTokenizer(Path tokenizerFile) throws IOException {
    if (Files.size(tokenizerFile) > Checkpoint.MAX_TOKENIZER_BYTES) {
      throw new UsageException(
          tokenizerFile + " is larger than " + Checkpoint.MAX_TOKENIZER_BYTES + " bytes");
    }
    return Files.readAllBytes(tokenizerFile);
  }

  /** The network from config.json and model.safetensors; a malformed input is a usage error. */
  private static HuggingFaceImporter.Result readWeights(Path from) {
    try {
      return HuggingFaceImporter.importFrom(from);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Token ids index the embedding rows, so the tokenizer and the network must agree on them. */
  private static void requireSameVocabulary(
      Path tokenizerFile, BpeTokenizer tokenizer, HuggingFaceImporter.Result r) {
    if (tokenizer.vocabSize() != r.config().getVocabSize()) {
      throw new UsageException(
          tokenizerFile
              + " has "
              + tokenizer.vocabSize()
              + " tokens but config.json's vocab_size is "
              + r.config().getVocabSize());
    }
  }

  /** The sha256 of the three input files, recorded in checkpoint.json. */
  private static Lineage lineage(Path from) throws IOException {
    Lineage lineage = new Lineage("import");
    for (String f :
        new String[] {HuggingFaceImporter.CONFIG, HuggingFaceImporter.WEIGHTS, TOKENIZER}) {
      lineage.withInput(f, FileDigests.sha256(from.resolve(f)));
    }
    return lineage;
  }

  /** A local CKPT appears by rename; a cluster one is staged and published. */
  private static void save(Checkpoint cp, StoragePath target, Storage storage) throws IOException {
    if (target.isLocal()) {
      writeByRename(cp, target.local());
    } else {
      StagedDirectory out = storage.output(target);
      cp.save(out.local());
      out.publishAll(); // temp + rename on the cluster, _SUCCESS last
    }
  }

  /** The architecture, size and what was skipped, for the one-line summary. */
  private static String describe(HuggingFaceImporter.Result r) {
    return (r.config().isPreLayerNorm() ? "GPT-2 (pre-LN)" : "OpenAI-GPT (post-LN)")
        + ", "
        + r.config().getLayers()
        + " x "
        + r.config().getDModel()
        + ", "
        + r.tensors()
        + " tensors, "
        + r.network().numParams()
        + " parameters"
        + (r.skippedBuffers().isEmpty()
            ? ""
            : ", " + r.skippedBuffers().size() + " attention-mask buffers skipped");
  }

  /** Nothing that exists is replaced: the checkpoint is a new directory. */
  private static void refuseExisting(StoragePath dir, Storage storage) {
    boolean exists;
    try {
      exists =
          dir.isLocal()
              ? Files.exists(dir.local(), java.nio.file.LinkOption.NOFOLLOW_LINKS)
              : storage.files().exists(dir.hadoop());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check --output " + dir + ": " + e.getMessage(), e);
    }
    if (exists)
      throw new UsageException("--output " + dir + " already exists: choose a new directory");
  }

  /**
   * Saves into a hidden sibling and renames it into place, so CKPT is either absent or complete;
   * never replaces.
   */
  static void writeByRename(Checkpoint cp, Path output) throws IOException {
    Path abs = output.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".import-" + System.nanoTime());
    try {
      cp.save(tmp);
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(tmp)) {
        try (Stream<Path> s = Files.walk(tmp)) {
          for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator)
            Files.delete(p);
        }
      }
    }
  }
}
