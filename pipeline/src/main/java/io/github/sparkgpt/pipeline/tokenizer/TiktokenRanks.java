package io.github.sparkgpt.pipeline.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Loads tiktoken's rank files ({@code r50k_base.tiktoken}: one "base64(token bytes) rank" per line,
 * rank = id) into a {@link BpeTokenizer}. tiktoken has no merge list: a token's priority is its
 * rank. The merges are recovered as Hugging Face's converter does: in rank order, each multi-byte
 * token is encoded with the merges found so far (all of lower rank); the two parts left are its
 * merge. For GPT-2 this reproduces the 50,000 merges of merges.txt.
 */
public final class TiktokenRanks {
  private TiktokenRanks() {}

  public static BpeTokenizer load(InputStream in, Map<String, Integer> specialTokens) {
    List<byte[]> byRank = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) continue;
        int sp = line.indexOf(' ');
        int rank = Integer.parseInt(line.substring(sp + 1).trim());
        if (rank != byRank.size())
          throw new IllegalArgumentException(
              "ranks must be 0,1,2,... in order; got " + rank + " at line " + (byRank.size() + 1));
        byRank.add(Base64.getDecoder().decode(line.substring(0, sp)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int v = byRank.size();
    for (int id : specialTokens.values()) v = Math.max(v, id + 1);
    byte[][] tokenBytes = new byte[v][];
    for (int i = 0; i < byRank.size(); i++) tokenBytes[i] = byRank.get(i);
    for (Map.Entry<String, Integer> e : specialTokens.entrySet()) {
      tokenBytes[e.getValue()] = e.getKey().getBytes(StandardCharsets.UTF_8);
    }

    int[] byteId = new int[256];
    for (int i = 0; i < byRank.size(); i++) {
      byte[] b = byRank.get(i);
      if (b.length == 1) byteId[b[0] & 0xFF] = i;
    }
    LongIntMap pairToResult = new LongIntMap(byRank.size());
    List<int[]> merges = new ArrayList<>();
    for (int id = 0; id < byRank.size(); id++) {
      byte[] b = byRank.get(id);
      if (b.length < 2) continue;
      int[] parts = mergeWithLowerRanks(b, byteId, pairToResult);
      if (parts.length != 2) continue; // unreachable by merges; tiktoken never produces it either
      int[] merge = {parts[0], parts[1], id};
      merges.add(merge);
      pairToResult.put(LongIntMap.pair(parts[0], parts[1]), id, -1);
    }
    return new BpeTokenizer(tokenBytes, merges, specialTokens);
  }

  /**
   * BPE of {@code b} with the merges known so far; the priority of a merge is the id it produces.
   */
  private static int[] mergeWithLowerRanks(byte[] b, int[] byteId, LongIntMap pairToResult) {
    int[] ids = new int[b.length];
    int n = b.length;
    for (int i = 0; i < n; i++) ids[i] = byteId[b[i] & 0xFF];
    while (n > 2) {
      int best = -1, bestResult = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < n; i++) {
        int res = pairToResult.get(LongIntMap.pair(ids[i], ids[i + 1]), -1);
        if (res >= 0 && res < bestResult) {
          bestResult = res;
          best = i;
        }
      }
      if (best < 0) break;
      ids[best] = bestResult;
      System.arraycopy(ids, best + 2, ids, best + 1, n - best - 2);
      n--;
    }
    return java.util.Arrays.copyOf(ids, n);
  }
}
