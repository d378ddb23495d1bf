package io.github.sparkgpt.pipeline.tokenizer;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.Stage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tokenizer} section: a byte-level BPE tokenizer trained on the cleaned corpus by {@link
 * BpeTrainer} (the section's other keys), or the one at {@code path}, copied byte for byte so its
 * sha256 matches the checkpoint or file it came from. Either way it must have {@link
 * SpecialTokens#END_OF_TEXT}, the packer's document separator.
 */
public final class TokenizerStage implements Stage {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TokenizerStage.class);
  public static final String NAME = "tokenizer";

  private final BpeTrainer trainer;
  private String path = "";

  /**
   * @param trainer trains the tokenizer when no {@code path} is given
   */
  public TokenizerStage(BpeTrainer trainer) {
    this.trainer = trainer;
  }

  /**
   * An existing tokenizer.json (Hugging Face format) to use instead of training; "" (default)
   * trains one.
   */
  public TokenizerStage setPath(String v) {
    path = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate() {
    trainer.validate();
  }

  /** The tokenizer, its tokenizer.json bytes and the id of end-of-text. */
  public record Output(BpeTokenizer tokenizer, byte[] file, int endOfTextId) {}

  /** Fails fast, before any Spark work, when {@code path} is set but cannot be read. */
  public void checkReadable(Configuration conf) {
    if (!path.isEmpty()) readBytes(conf);
  }

  public Output run(JavaRDD<Document> docs, Configuration conf) {
    BpeTokenizer tokenizer;
    byte[] file;
    if (path.isEmpty()) {
      LOG.info("training a byte-level BPE tokenizer (vocab {})", trainer.getVocabSize());
      tokenizer = trainer.train(docs.map(Document::text));
      file = HfTokenizerJson.toJson(tokenizer, true).getBytes(StandardCharsets.UTF_8);
    } else {
      file = readBytes(conf);
      tokenizer = HfTokenizerJson.fromJson(new String(file, StandardCharsets.UTF_8), path);
    }
    if (!tokenizer.hasSpecialToken(SpecialTokens.END_OF_TEXT)) {
      throw new IllegalArgumentException(
          "tokenizer "
              + (path.isEmpty() ? "config" : path)
              + " has no "
              + SpecialTokens.END_OF_TEXT
              + " special token; the packer needs it between documents");
    }
    return new Output(tokenizer, file, tokenizer.specialTokenId(SpecialTokens.END_OF_TEXT));
  }

  private byte[] readBytes(Configuration conf) {
    Path p = new Path(path);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("tokenizer file not found: " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + path + ": " + e.getMessage(), e);
    }
  }
}
