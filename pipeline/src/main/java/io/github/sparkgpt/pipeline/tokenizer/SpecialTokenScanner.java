package io.github.sparkgpt.pipeline.tokenizer;

/**
 * Finds special token text in trusted text, left to right: the earliest occurrence, the longest
 * name when two start at the same place. Each name's next occurrence is remembered, so a text is
 * scanned once per name.
 */
final class SpecialTokenScanner {
  private final String text;
  private final String[] names;
  private final int[] nextAt;
  private int best = -1;

  SpecialTokenScanner(String text, String[] names) {
    this.text = text;
    this.names = names;
    nextAt = new int[names.length];
    for (int k = 0; k < names.length; k++) nextAt[k] = text.indexOf(names[k]);
  }

  /** Moves to the first special token starting at or after {@code pos}; false if there is none. */
  boolean find(int pos) {
    best = -1;
    for (int k = 0; k < names.length; k++) {
      if (nextAt[k] >= 0 && nextAt[k] < pos) nextAt[k] = text.indexOf(names[k], pos);
      if (nextAt[k] < 0) continue;
      if (best < 0
          || nextAt[k] < nextAt[best]
          || (nextAt[k] == nextAt[best] && names[k].length() > names[best].length())) best = k;
    }
    return best >= 0;
  }

  /** Where the token found starts. */
  int start() {
    return nextAt[best];
  }

  /** The token found. */
  String name() {
    return names[best];
  }
}
