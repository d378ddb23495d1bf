package io.github.sparkgpt.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.Gpt2PreTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.TiktokenRanks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Single-thread encode speed of BpeTokenizer against JTokkit's GPT-2 (r50k_base) on the same
 * documents.
 *
 * <pre>bench/run TokenizerBench [file-or-dir ...]</pre>
 *
 * Without arguments: the .txt files under data/ if there are any, else ~4 MB of generated
 * English-like text. Encoders: BpeTokenizer with GPT-2's ranks (same ids as JTokkit, checked),
 * BpeTokenizer trained on the text (vocab 8192), JTokkit r50k_base. Also times merge learning at 8k
 * and 32k vocabularies.
 */
public final class TokenizerBench {
  private static final int WARMUP_ROUNDS = 2, ROUNDS = 5;

  public static void main(String[] args) throws IOException {
    List<String> docs = loadDocuments(args);
    long bytes = docs.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
    System.out.printf("text: %d documents, %.2f MB UTF-8%n", docs.size(), bytes / 1e6);

    Map<String, Long> counts = new HashMap<>();
    for (String d : docs) for (String p : Gpt2PreTokenizer.split(d)) counts.merge(p, 1L, Long::sum);
    long occurrences = counts.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("pre-tokens: %,d occurrences, %,d distinct%n", occurrences, counts.size());
    BpeTokenizer trained = null;
    for (int vocab : new int[] {8192, 32768}) {
      long t0 = System.nanoTime();
      BpeTokenizer t = new BpeTrainer().setVocabSize(vocab).trainOnCounts(counts);
      System.out.printf(
          "train (driver merge learning): vocab %d -> %d merges in %.2f s%n",
          vocab, t.numMerges(), (System.nanoTime() - t0) / 1e9);
      if (trained == null) trained = t;
    }

    trainStress(2_000_000, 32768);

    BpeTokenizer gpt2;
    try (InputStream in =
        Encoding.class.getResourceAsStream("/com/knuddels/jtokkit/r50k_base.tiktoken")) {
      gpt2 = TiktokenRanks.load(in, Map.of("<|endoftext|>", 50256));
    }
    Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    boolean same =
        docs.stream()
            .allMatch(d -> Arrays.equals(gpt2.encode(d), jtokkit.encodeOrdinary(d).toArray()));
    System.out.println(
        "BpeTokenizer(GPT-2 ranks) ids identical to JTokkit r50k_base on every document: " + same);

    // cold: first pass of a fresh instance (empty pre-token cache)
    BpeTokenizer fresh = gpt2.withAddedSpecialTokens(List.of());
    long t0 = System.nanoTime();
    long coldTokens = docs.stream().mapToLong(d -> fresh.encode(d).length).sum();
    double coldSec = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "cold first pass, GPT-2 ranks: %.1f MB/s (%,d tokens)%n",
        bytes / 1e6 / coldSec, coldTokens);

    String[] names = {
      "BpeTokenizer (trained, V=8192)", "BpeTokenizer (GPT-2 ranks)", "JTokkit r50k_base (GPT-2)"
    };
    final BpeTokenizer trainedTok = trained;
    List<ToIntFunction<String>> encoders =
        List.of(
            d -> trainedTok.encode(d).length,
            d -> gpt2.encode(d).length,
            d -> jtokkit.encodeOrdinary(d).size());
    double[][] seconds = new double[encoders.size()][ROUNDS];
    long[] tokens = new long[encoders.size()];
    for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      for (int e = 0;
          e < encoders.size();
          e++) { // interleaved, so JIT and machine noise hit all alike
        long start = System.nanoTime();
        long n = 0;
        for (String d : docs) n += encoders.get(e).applyAsInt(d);
        double s = (System.nanoTime() - start) / 1e9;
        if (round >= 0) seconds[e][round] = s;
        tokens[e] = n;
      }
    }
    double jtokkitMedian = median(seconds[2]);
    System.out.printf(
        "%n%-32s %10s %14s %12s %16s%n",
        "encoder (1 thread)", "MB/s", "tokens/s", "tokens", "speed vs JTokkit");
    for (int e = 0; e < encoders.size(); e++) {
      double s = median(seconds[e]);
      System.out.printf(
          "%-32s %10.1f %14s %12s %15.2fx%n",
          names[e],
          bytes / 1e6 / s,
          String.format("%,.0f", tokens[e] / s),
          String.format("%,d", tokens[e]),
          jtokkitMedian / s);
    }
  }

  /** Merge learning on many distinct pre-tokens: syllable words with Zipf-like counts. */
  private static void trainStress(int distinct, int vocab) {
    String[] syl =
        ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki"
             + " ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa"
             + " se si so su ta te ti to tu va ve vi vo wa we wi xa ya yo za ze zi zo str th ng ch"
             + " sh qu ck ph")
            .split(" ");
    Random rnd = new Random(7);
    Map<String, Long> counts = new HashMap<>(distinct * 2);
    StringBuilder sb = new StringBuilder();
    while (counts.size() < distinct) {
      sb.setLength(0);
      if (rnd.nextBoolean()) sb.append(' ');
      int n = 1 + rnd.nextInt(5);
      for (int k = 0; k < n; k++)
        sb.append(syl[(int) (syl.length * Math.pow(rnd.nextDouble(), 2))]);
      counts.merge(sb.toString(), 1L + (long) (1000 / (1 + rnd.nextInt(1000))), Long::sum);
    }
    long occurrences = counts.values().stream().mapToLong(Long::longValue).sum();
    long t0 = System.nanoTime();
    BpeTokenizer t = new BpeTrainer().setVocabSize(vocab).trainOnCounts(counts);
    System.out.printf(
        "train stress: %,d distinct pre-tokens (%,d occurrences) -> %d merges in %.2f s%n",
        counts.size(), occurrences, t.numMerges(), (System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] a) {
    double[] c = a.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static List<String> loadDocuments(String[] args) throws IOException {
    List<Path> roots = new ArrayList<>();
    for (String a : args) roots.add(Path.of(a));
    if (roots.isEmpty() && Files.isDirectory(Path.of("data"))) roots.add(Path.of("data"));
    List<String> docs = new ArrayList<>();
    for (Path root : roots) {
      List<Path> files;
      // follow links: data/ is often a link to a shared copy of the corpora
      try (Stream<Path> s = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
        files =
            s.filter(
                    p ->
                        Files.isRegularFile(p) && (p.equals(root) || p.toString().endsWith(".txt")))
                .sorted()
                .collect(Collectors.toList());
      }
      for (Path f : files) docs.add(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
    }
    if (docs.isEmpty()) {
      System.out.println(
          "no .txt files given or under data/: generating English-like text (seed 42)");
      docs = generateEnglish(4_000_000, new Random(42));
    }
    return docs;
  }

  private static final String[] WORDS =
      ("the of and to a in that is was he for it with as his on be at by i this had not are but"
           + " from or have an they which one you were her all she there would their we him been"
           + " has when who will more no if out so said what up its about into than them can only"
           + " other new some could time these two may then do first any my now such like our over"
           + " man me even most made after also did many before must through back years where much"
           + " your way well down should because each just those people how too little state good"
           + " very make world still own see men work long get here between both life being under"
           + " never day same another know while last might us great old year off come since"
           + " against go came right used take three government country nation congress president"
           + " united states public war peace law people's federal economy program policy national"
           + " american system development million percent tax budget trade security")
          .split(" ");

  /**
   * Zipf-distributed words in sentences, with capitals, commas, numbers, contractions and
   * paragraphs.
   */
  static List<String> generateEnglish(int targetBytes, Random rnd) {
    double[] cdf = new double[WORDS.length];
    double sum = 0;
    for (int i = 0; i < WORDS.length; i++) cdf[i] = sum += 1.0 / (i + 1);
    List<String> docs = new ArrayList<>();
    int total = 0;
    while (total < targetBytes) {
      StringBuilder doc = new StringBuilder();
      int paragraphs = 3 + rnd.nextInt(8);
      for (int p = 0; p < paragraphs; p++) {
        int sentences = 2 + rnd.nextInt(6);
        for (int s = 0; s < sentences; s++) {
          int n = 5 + rnd.nextInt(20);
          for (int w = 0; w < n; w++) {
            int i = Arrays.binarySearch(cdf, rnd.nextDouble() * sum);
            String word = WORDS[i < 0 ? -i - 1 : i];
            if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            if (rnd.nextInt(40) == 0)
              word = String.valueOf(rnd.nextInt(rnd.nextBoolean() ? 100 : 1_000_000));
            if (rnd.nextInt(60) == 0) word = word + (rnd.nextBoolean() ? "'s" : "n't");
            doc.append(word);
            if (w < n - 1) doc.append(rnd.nextInt(12) == 0 ? ", " : " ");
          }
          doc.append(rnd.nextInt(10) == 0 ? "? " : ". ");
        }
        doc.append("\n\n");
      }
      docs.add(doc.toString());
      total += doc.length();
    }
    return docs;
  }
}
