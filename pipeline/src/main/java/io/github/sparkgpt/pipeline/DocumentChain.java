package io.github.sparkgpt.pipeline;

import io.github.sparkgpt.pipeline.stats.StageStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the per-document stages in one pass over each partition: a document goes through every stage
 * in order until one drops it. Statistics are emitted as the last record of each partition and
 * summed on the driver with one action, so they are exact even when Spark retries tasks
 * (accumulators in transformations are not).
 *
 * <p>A stage that keeps a document but removes more than {@code flagRemovedShare} of its UTF-8
 * bytes (C4's line rule on a book, say) flags it: counter {@code documents_flagged_removed_share},
 * and the documents losing the largest shares are listed in the statistics with the rules that
 * removed the bytes (counters named {@code <family>_removed_bytes_<rule>}). Every stage also counts
 * {@code bytes_removed_from_kept_documents}.
 */
public final class DocumentChain implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String READ_STAGE = "read";

  /** Reason suffix of a document quarantined because a stage threw on it: {@code <stage>_error}. */
  public static final String ERROR_SUFFIX = "_error";

  /** Default share of a kept document's bytes a stage may remove before the document is flagged. */
  public static final double DEFAULT_FLAG_REMOVED_SHARE = 0.5;

  private final List<DocumentStage> stages;
  private final double flagRemovedShare;

  public DocumentChain(List<DocumentStage> stages) {
    this(stages, DEFAULT_FLAG_REMOVED_SHARE);
  }

  public DocumentChain(List<DocumentStage> stages, double flagRemovedShare) {
    if (!(flagRemovedShare >= 0 && flagRemovedShare <= 1)) {
      throw new IllegalArgumentException(
          "quality.flag_removed_share must be in [0, 1], got " + flagRemovedShare);
    }
    this.stages = List.copyOf(stages);
    this.flagRemovedShare = flagRemovedShare;
    for (DocumentStage s : stages) s.validate();
  }

  public List<DocumentStage> stages() {
    return stages;
  }

  /**
   * Result of running the chain: kept documents, rejections, and per-stage statistics in stage
   * order.
   */
  public record Result(
      JavaRDD<Document> kept,
      JavaRDD<RejectedDocument> rejected,
      List<StageStats> stats,
      JavaRDD<?> persisted) {
    /** Release the cached chain output once kept and rejected have been consumed. */
    public void unpersist() {
      persisted.unpersist(false);
    }
  }

  /**
   * Element of the chain's output RDD: an outcome, or (last in each partition) the partition's
   * statistics.
   */
  record Item(StageOutput output, ArrayList<StageStats> stats) implements Serializable {}

  /**
   * Apply the chain to reader output. Rejections already present in the input (from the reader) are
   * passed through and counted under the {@code read} stage, as are the reader's counters.
   */
  public Result run(JavaRDD<StageOutput> input) {
    JavaRDD<Item> items =
        input.mapPartitions(this::processPartition).persist(StorageLevel.MEMORY_AND_DISK_SER());
    List<StageStats> totals =
        items
            .filter(i -> i.stats() != null)
            .map(Item::stats)
            .fold(emptyStats(), DocumentChain::mergeAll);
    JavaRDD<Document> kept =
        items
            .filter(i -> i.output() != null && i.output().isKept())
            .map(i -> i.output().document());
    JavaRDD<RejectedDocument> rejected =
        items
            .filter(i -> i.output() != null && i.output().isRejected())
            .map(i -> i.output().rejected());
    return new Result(kept, rejected, totals, items);
  }

  private ArrayList<StageStats> emptyStats() {
    ArrayList<StageStats> list = new ArrayList<>();
    list.add(new StageStats(READ_STAGE));
    for (DocumentStage s : stages) list.add(new StageStats(s.name()));
    return list;
  }

  private static ArrayList<StageStats> mergeAll(ArrayList<StageStats> a, ArrayList<StageStats> b) {
    for (int i = 0; i < a.size(); i++) a.get(i).merge(b.get(i));
    return a;
  }

  private Iterator<Item> processPartition(Iterator<StageOutput> in) {
    ArrayList<StageStats> stats = emptyStats();
    List<StageCounters> counters = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) counters.add(new StageCounters());
    return new Iterator<>() {
      private Item next;
      private boolean statsEmitted;

      @Override
      public boolean hasNext() {
        while (next == null && in.hasNext()) next = process(in.next());
        if (next == null && !statsEmitted) {
          for (int i = 0; i < stages.size(); i++)
            stats.get(i + 1).addCounters(counters.get(i).asMap());
          next = new Item(null, stats);
          statsEmitted = true;
        }
        return next != null;
      }

      @Override
      public Item next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        Item out = next;
        next = null;
        return out;
      }

      private Item process(StageOutput o) {
        StageStats read = stats.get(0);
        if (o.isCounts()) {
          read.addCounters(o.counts());
          return null;
        }
        if (!o.isKept()) {
          read.recordIn(Utf8.encodedLength(o.rejected().text()));
          read.recordDrop(o.rejected().reason());
          return new Item(o, null);
        }
        Document doc = o.document();
        long bytes = doc.utf8Bytes();
        read.recordIn(bytes);
        read.recordOut(bytes);
        for (int i = 0; i < stages.size(); i++) {
          DocumentStage stage = stages.get(i);
          StageStats s = stats.get(i + 1);
          s.recordIn(bytes);
          StageCounters docCounters = new StageCounters();
          Guarded g = guarded(stage, doc, docCounters);
          Verdict v = g.verdict();
          String detail = g.detail();
          counters.get(i).merge(docCounters);
          if (!v.kept()) {
            s.recordDrop(v.reason());
            return new Item(
                StageOutput.rejected(RejectedDocument.of(doc, stage.name(), v.reason(), detail)),
                null);
          }
          Document before = doc;
          long bytesBefore = bytes;
          doc = v.document();
          bytes = doc.utf8Bytes();
          s.recordOut(bytes);
          if (bytes < bytesBefore) {
            long removed = bytesBefore - bytes;
            counters.get(i).add("bytes_removed_from_kept_documents", removed);
            if (removed > flagRemovedShare * bytesBefore) {
              counters.get(i).increment("documents_flagged_removed_share");
              s.flag(
                  new StageStats.Flagged(
                      before.id(), bytesBefore, removed, removedByRule(docCounters)));
            }
          }
        }
        return new Item(StageOutput.kept(doc), null);
      }
    };
  }

  /** A stage's verdict and, when the stage threw, the exception as detail. */
  record Guarded(Verdict verdict, String detail) {}

  /**
   * Apply one stage to one document. A document that breaks a stage (an exception, a deep regex's
   * StackOverflowError, an assertion) is quarantined as {@code <stage>_error} with the exception's
   * class and message instead of failing the task four times and then the job. Only a JVM in
   * trouble (out of memory, internal error) still fails the task: running it again elsewhere may
   * help there, and the document is not to blame.
   */
  static Guarded guarded(DocumentStage stage, Document doc, StageCounters counters) {
    try {
      return new Guarded(stage.apply(doc, counters), null);
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError))
        throw (VirtualMachineError) e;
      return new Guarded(Verdict.drop(stage.name() + ERROR_SUFFIX), e.toString());
    }
  }

  /** The document's removed-bytes counters by rule, largest first. */
  private static java.util.LinkedHashMap<String, Long> removedByRule(StageCounters c) {
    java.util.LinkedHashMap<String, Long> out = new java.util.LinkedHashMap<>();
    c.asMap().entrySet().stream()
        .filter(e -> e.getKey().contains(StageCounters.REMOVED_BYTES))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Stage name to position, for callers that look statistics up by name. */
  public Map<String, Integer> stageIndex() {
    Map<String, Integer> idx = new LinkedHashMap<>();
    idx.put(READ_STAGE, 0);
    for (int i = 0; i < stages.size(); i++) idx.put(stages.get(i).name(), i + 1);
    return idx;
  }
}
