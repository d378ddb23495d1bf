package io.github.sparkgpt.pipeline.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencePackerTest {
  private static final int EOT = 0;

  @Test
  void joinsDocumentsWithEndOfTextAndCutsWindowsOfContextPlusOne() {
    SequencePacker p = new SequencePacker(3, EOT);
    List<int[]> out = new ArrayList<>();
    out.addAll(p.add(new int[] {1, 2})); // stream: 1 2 0
    out.addAll(p.add(new int[] {3, 4, 5, 6})); // stream: 1 2 0 3 | 4 5 6 0
    out.addAll(p.add(new int[] {7})); // pending: 7 0
    assertEquals(2, out.size());
    assertArrayEquals(new int[] {1, 2, EOT, 3}, out.get(0));
    assertArrayEquals(new int[] {4, 5, 6, EOT}, out.get(1));
    assertEquals(2, p.pendingTokens());
    assertEquals(10, p.tokensIn());
    assertEquals(p.tokensIn(), p.sequencesOut() * p.sequenceLength() + p.pendingTokens());
  }

  @Test
  void everySequenceHasExactlyContextPlusOneTokens() {
    SequencePacker p = new SequencePacker(7, EOT);
    java.util.Random rnd = new java.util.Random(1);
    long tokens = 0;
    int sequences = 0;
    for (int d = 0; d < 200; d++) {
      int[] doc = rnd.ints(rnd.nextInt(40), 1, 100).toArray();
      tokens += doc.length + 1;
      for (int[] seq : p.add(doc)) {
        assertEquals(8, seq.length);
        sequences++;
      }
    }
    assertEquals(tokens, sequences * 8L + p.pendingTokens());
  }

  @Test
  void emptyDocumentStillContributesItsEndOfText() {
    SequencePacker p = new SequencePacker(1, EOT);
    assertEquals(0, p.add(new int[0]).size());
    assertArrayEquals(new int[] {EOT, EOT}, p.add(new int[0]).get(0));
  }

  @Test
  void rejectsNonPositiveContext() {
    assertThrows(IllegalArgumentException.class, () -> new SequencePacker(0, EOT));
  }
}
