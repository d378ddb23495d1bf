package io.github.sparkgpt.pipeline.dedup;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Iterator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * A document in a group named by a 128-bit key: the hash of its normalised text (exact dedup) or
 * one LSH band bucket (MinHash). {@link #starEdges} turns groups into edges without ever holding a
 * group in memory: the shuffle sorts members by (key, id), so the first member of each run is the
 * group's smallest id. Externalizable for cheap shuffles (see {@link DocRef}); public only because
 * Java serialization requires it.
 */
public final class GroupMember implements Comparable<GroupMember>, Externalizable {
  private static final long serialVersionUID = 1L;
  long hi;
  long lo;
  DocRef ref;

  /** For deserialization only. */
  public GroupMember() {}

  GroupMember(long hi, long lo, DocRef ref) {
    this.hi = hi;
    this.lo = lo;
    this.ref = ref;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeLong(hi);
    out.writeLong(lo);
    ref.writeExternal(out);
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    hi = in.readLong();
    lo = in.readLong();
    ref = new DocRef();
    ref.readExternal(in);
  }

  boolean sameGroup(GroupMember o) {
    return hi == o.hi && lo == o.lo;
  }

  @Override
  public int compareTo(GroupMember o) {
    int c = Long.compare(hi, o.hi);
    if (c == 0) c = Long.compare(lo, o.lo);
    return c != 0 ? c : ref.compareTo(o.ref);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupMember m && sameGroup(m) && ref.equals(m.ref);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi * 31 + lo) * 31 + ref.hashCode();
  }

  /**
   * One edge (member, smallest member) for every member of every group of two or more, i.e. a star
   * around the group's minimum instead of all pairs: a group of k documents yields k-1 edges, not
   * k(k-1)/2.
   */
  static JavaPairRDD<DocRef, DocRef> starEdges(JavaRDD<GroupMember> members, int numPartitions) {
    return members
        .mapToPair(m -> new Tuple2<>(m, (byte) 0))
        .repartitionAndSortWithinPartitions(new ByGroup(numPartitions), new Natural())
        .mapPartitionsToPair(it -> stars(it));
  }

  private static Iterator<Tuple2<DocRef, DocRef>> stars(
      Iterator<Tuple2<GroupMember, Byte>> sorted) {
    return new NextIterator<>() {
      GroupMember center;
      DocRef previous;

      @Override
      protected Tuple2<DocRef, DocRef> computeNext() {
        while (sorted.hasNext()) {
          GroupMember m = sorted.next()._1();
          if (center == null || !center.sameGroup(m)) {
            center = m; // first of a run: the smallest id of this group
          } else if (!m.ref.equals(previous)) {
            previous = m.ref;
            return new Tuple2<>(m.ref, center.ref);
          }
          previous = m.ref;
        }
        return done();
      }
    };
  }

  /** Sends a whole group to one partition (the sort then makes it a contiguous run). */
  static final class ByGroup extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByGroup(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      GroupMember m = (GroupMember) key;
      return (int) Long.remainderUnsigned(Hashing.fmix64(m.hi ^ Long.rotateLeft(m.lo, 29)), n);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByGroup b && b.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  /** Comparator.naturalOrder() as a named serializable class, so Spark can ship it to executors. */
  static final class Natural implements Comparator<GroupMember>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(GroupMember a, GroupMember b) {
      return a.compareTo(b);
    }
  }
}
