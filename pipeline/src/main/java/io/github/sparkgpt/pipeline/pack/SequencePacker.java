package io.github.sparkgpt.pipeline.pack;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs documents into fixed-length training sequences: documents are joined, each followed by the
 * end-of-text token, and the stream is cut into windows of {@code contextLength + 1} tokens (inputs
 * plus the shifted target). Windows do not overlap; the last incomplete window of a stream is
 * dropped and counted, never padded, so every stored token is a real training token.
 */
public final class SequencePacker {
  private final int window;
  private final int endOfText;
  private final int[] buffer;
  private int filled;
  private long tokensIn;
  private long sequencesOut;

  public SequencePacker(int contextLength, int endOfTextId) {
    if (contextLength < 1)
      throw new IllegalArgumentException("context_length must be >= 1, got " + contextLength);
    this.window = contextLength + 1;
    this.endOfText = endOfTextId;
    this.buffer = new int[window];
  }

  /**
   * Append one document's tokens (plus end-of-text); returns the sequences completed by it,
   * possibly none.
   */
  public List<int[]> add(int[] documentTokens) {
    List<int[]> done = new ArrayList<>();
    for (int t : documentTokens) push(t, done);
    push(endOfText, done);
    tokensIn += documentTokens.length + 1;
    return done;
  }

  private void push(int token, List<int[]> done) {
    buffer[filled++] = token;
    if (filled == window) {
      done.add(buffer.clone());
      filled = 0;
      sequencesOut++;
    }
  }

  /** Tokens (including end-of-text tokens) added so far. */
  public long tokensIn() {
    return tokensIn;
  }

  /** Tokens waiting in the incomplete last window; they are dropped if no more documents come. */
  public int pendingTokens() {
    return filled;
  }

  public long sequencesOut() {
    return sequencesOut;
  }

  public int sequenceLength() {
    return window;
  }
}
