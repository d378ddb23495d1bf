package io.github.sparkgpt.model.decode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch being decoded: the key/value cache of every layer and where each row's tokens are. Rows
 * are left-padded to the longest prompt, so every row writes the same cache column at a step; row
 * {@code b}'s real tokens are the columns {@code pad[b] .. filled-1}, at positions 0, 1, ...
 */
public final class DecodeState {
  final int batch;
  final int capacity; // cache columns: longest prompt + new tokens, at most the context
  final int[] pad;
  final INDArray[] keys; // per layer [B, H, capacity, D]
  final INDArray[] values; // per layer [B, H, capacity, D]
  int filled; // columns written so far
  INDArray logits; // [B, V]: next-token logits of each row (ND4J path)
  float[][] fastKeys, fastValues; // per layer [B*H*capacity*D] once on the Java path
  float[][] rows; // [B][V]: next-token logits of each row (Java path)

  DecodeState(int[] pad, int capacity, int layers, int heads, int headSize) {
    this.batch = pad.length;
    this.pad = pad;
    this.capacity = capacity;
    keys = new INDArray[layers];
    values = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      keys[l] =
          Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, heads, capacity, headSize);
      values[l] =
          Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, heads, capacity, headSize);
    }
  }

  public int batchSize() {
    return batch;
  }

  /** Tokens of row {@code b} so far (its prompt and what was fed back). */
  public int length(int b) {
    return filled - pad[b];
  }

  /** No room for another token: the cache (at most the context length) is full. */
  public boolean full() {
    return filled >= capacity;
  }

  /** [B, V] logits of each row's next token (owned by this state). */
  public INDArray logits() {
    if (rows != null && logits == null) logits = Nd4j.create(rows);
    return logits;
  }

  /** Each row's next-token logits as [B][V] floats (a copy on the ND4J path). */
  public float[][] logitRows() {
    return rows != null ? rows : logits.toFloatMatrix();
  }

  /** On the Java path from here on: the cache and logits move to float arrays. */
  void toJava() {
    fastKeys = new float[keys.length][];
    fastValues = new float[keys.length][];
    for (int l = 0; l < keys.length; l++) {
      fastKeys[l] = keys[l].data().asFloat(); // c order [B, H, capacity, D], not a view
      fastValues[l] = values[l].data().asFloat();
      keys[l] = values[l] = null;
    }
    rows = logits.toFloatMatrix();
    logits = null;
  }

  boolean onJavaPath() {
    return rows != null;
  }

  /**
   * The additive attention bias [B, H, T, capacity] for queries at columns {@code from ..
   * from+T-1}: 0 where a row may look (its own real columns up to the query), -1e9 elsewhere (left
   * padding, the future, unwritten columns). exp(-1e9 - max) is exactly 0 in float, so padding
   * never changes a real position. Repeated per head: a same-shape add is far cheaper in ND4J than
   * a broadcast one.
   */
  INDArray bias(int from, int t) {
    int heads = (int) keys[0].size(1);
    float[] out = new float[batch * heads * t * capacity];
    int i = 0;
    for (int b = 0; b < batch; b++) {
      int rowStart = i;
      for (int q = from; q < from + t; q++) {
        for (int k = 0; k < capacity; k++) out[i++] = k >= pad[b] && k <= q ? 0f : -1e9f;
      }
      for (int h = 1; h < heads; h++, i += t * capacity) {
        System.arraycopy(out, rowStart, out, i, t * capacity);
      }
    }
    return Nd4j.create(out, new long[] {batch, heads, t, capacity}, 'c');
  }
}
