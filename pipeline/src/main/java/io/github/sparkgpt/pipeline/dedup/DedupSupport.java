package io.github.sparkgpt.pipeline.dedup;

import java.util.Iterator;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/** Small helpers shared by the dedup stages. */
final class DedupSupport {
  private DedupSupport() {}

  static StorageLevel storageLevel(String stage, String name) {
    try {
      return StorageLevel.fromString(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          stage
              + ".storage_level '"
              + name
              + "' is not a Spark storage level; use e.g. MEMORY_AND_DISK, MEMORY_AND_DISK_SER or"
              + " DISK_ONLY");
    }
  }

  /**
   * Persist the input the stage reads more than once, unless the caller already did; returns
   * whether it was persisted here (and must then be unpersisted by the stage once its outputs are
   * materialised).
   */
  static boolean persistIfNeeded(JavaRDD<?> docs, StorageLevel level) {
    if (!docs.getStorageLevel().equals(StorageLevel.NONE())) return false;
    docs.persist(level);
    return true;
  }

  /** A lazy map over a partition's iterator (a list would hold the whole partition). */
  static <A, B> Iterator<B> map(Iterator<A> it, Function<A, B> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public B next() {
        return f.apply(it.next());
      }
    };
  }
}
