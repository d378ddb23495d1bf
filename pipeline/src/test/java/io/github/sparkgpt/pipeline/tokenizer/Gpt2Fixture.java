package io.github.sparkgpt.pipeline.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** GPT-2's real ranks (r50k_base, shipped inside JTokkit's jar), loaded once per test JVM. */
final class Gpt2Fixture {
  private static BpeTokenizer gpt2;

  private Gpt2Fixture() {}

  static synchronized BpeTokenizer gpt2() {
    if (gpt2 == null) {
      try (InputStream in =
          Gpt2Fixture.class.getResourceAsStream("/com/knuddels/jtokkit/r50k_base.tiktoken")) {
        gpt2 = TiktokenRanks.load(in, Map.of("<|endoftext|>", 50256));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return gpt2;
  }
}
