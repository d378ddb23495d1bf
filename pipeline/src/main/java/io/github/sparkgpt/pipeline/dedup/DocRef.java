package io.github.sparkgpt.pipeline.dedup;

import java.io.Serializable;

/**
 * A document's id plus the input partition it lives in. Dedup shuffles only these small references (never the
 * texts); the partition lets the final step route each verdict back to its document's partition.
 *
 * <p>Order, equality and hash use the id alone: ids are unique, and "smallest id wins" must not depend on how the
 * input happened to be partitioned.
 */
public final class DocRef implements Comparable<DocRef>, Serializable {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final int partition;

  public DocRef(String id, int partition) {
    this.id = id;
    this.partition = partition;
  }

  public String id() { return id; }
  public int partition() { return partition; }

  @Override public int compareTo(DocRef o) { return id.compareTo(o.id); }
  @Override public boolean equals(Object o) { return o instanceof DocRef r && id.equals(r.id); }
  @Override public int hashCode() { return id.hashCode(); }
  @Override public String toString() { return id + "@" + partition; }
}
