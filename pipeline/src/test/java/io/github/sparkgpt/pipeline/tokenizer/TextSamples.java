package io.github.sparkgpt.pipeline.tokenizer;

import java.util.Random;

/** Hand-written and seeded random test texts shared by the tokenizer tests. */
final class TextSamples {
  private TextSamples() {}

  static final String[] PARAGRAPHS = {
    "Hello world",
    "The quick brown fox jumps over the lazy dog. It's 3:45pm and I'll be there by 10, won't I? "
        + "We've said they're \"fine\"; you'd agree. I'm sure.",
    "  Leading spaces,   inner runs\tof\ttabs\n\nand blank lines\n\n\n   \n trailing spaces   ",
    "Prices rose 12.5% to $1,234,567.89 in Q3 2023 (vs. 987,654 in 2022) -- see table #4.",
    "def f(x):\n    return {'a': [1, 2, 3], \"b\": x ** 2}  # comment\n\nprint(f(10))\n",
    "DON'T SHOUT'S 'quoted' ''double'' 'll 're 've 'd 'm 's 't O'Neil rock'n'roll",
    "日本語のテキストと中文文本。 العربية نص عربي. Ελληνικά κείμενα. Русский текст. हिन्दी पाठ",
    "Emoji: 👩‍👩‍👧‍👦 family, 👍🏽 thumbs, 🇫🇷 flag, ❤️ heart; combining: e\u0301 n\u0303"
        + " a\u0308\u0304",
    "Numbers: ½ ⅓ ² ³ ٣٤٥ 一二三 Ⅻ 10000000000000000000000000000000000001",
    "Mixed\u00a0no-break\u2009thin\u3000ideographic\u2028line\u2029para\u0085nel\u000bvt\u000cff\r"
        + "cr",
    "<|endoftext|> is a special token name, written as plain text here.",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "================================================================================================================================================================",
    "",
    " ",
    "\n",
  };

  private static final String POOL =
      "abcXYZ 019'!?.,;:-_\"\t\n\r  éçßÆ日本語中文한국어اللغة𝔘𝔫𝔦😀👍🏽\u200d\u0301\u00a0\u3000½Ⅻ٣";

  /** A random well-formed string from a pool that exercises every pre-tokenizer class. */
  static String randomText(Random rnd, int maxCodePoints) {
    int[] cps = POOL.codePoints().toArray();
    int n = rnd.nextInt(maxCodePoints + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int pick = rnd.nextInt(10);
      if (pick < 8) sb.appendCodePoint(cps[rnd.nextInt(cps.length)]);
      else if (pick == 8)
        sb.appendCodePoint(rnd.nextInt(0x2FFFF)); // anything, also unassigned code points
      else sb.append(rnd.nextBoolean() ? " the" : "'s");
    }
    // replace lone surrogates that the arbitrary code point may have produced
    StringBuilder ok = new StringBuilder();
    for (int i = 0; i < sb.length(); i++) {
      char c = sb.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < sb.length()
          && Character.isLowSurrogate(sb.charAt(i + 1))) {
        ok.append(c).append(sb.charAt(++i));
      } else if (!Character.isSurrogate(c)) ok.append(c);
    }
    return ok.toString();
  }
}
