package io.github.sparkgpt.pipeline.dedup;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Distributed connected components by alternating Large-Star and Small-Star (Kiveris et al.,
 * "Connected Components in MapReduce and Beyond", SoCC 2014): O(log^2 n) rounds, edge count never
 * grows, and the result is one star per component centred on its smallest id. Each step is one
 * sort-based shuffle that streams a node's sorted neighbour list (no group is ever held in memory).
 * Each step's output is persisted, counted (the count of changed edges is the convergence test) and
 * the previous step's output unpersisted: lineage stays short without checkpointing, because the
 * shuffle files of earlier rounds are reused, not recomputed.
 */
final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * Labels of every node that is not the smallest of its component: (node, smallest id), and the
   * rounds used.
   */
  record Result(JavaPairRDD<DocRef, String> labels, int rounds) {}

  /**
   * @param edges undirected edges, any orientation, duplicates allowed; the caller keeps ownership
   * @return labels, persisted at {@code level}: the caller unpersists them
   */
  static Result run(
      JavaPairRDD<DocRef, DocRef> edges, int numPartitions, int maxRounds, StorageLevel level) {
    JavaRDD<Edge> current =
        edges.filter(e -> !e._1().equals(e._2())).map(e -> new Edge(e._1(), e._2(), false));
    int rounds = 0;
    while (true) {
      if (++rounds > maxRounds) {
        throw new IllegalStateException(
            "connected components did not converge in "
                + maxRounds
                + " rounds; raise max_rounds (Large-Star/Small-Star needs O(log^2 n))");
      }
      JavaRDD<Edge> large = largeStar(current, numPartitions).persist(level);
      long changedLarge = large.filter(e -> e.changed).count();
      if (rounds > 1) current.unpersist(false);
      JavaRDD<Edge> small = smallStar(large, numPartitions).persist(level);
      long changedSmall = small.filter(e -> e.changed).count();
      large.unpersist(false);
      current = small;
      if (changedLarge + changedSmall == 0) break;
    }
    // Converged: every edge is (leaf, root) with root the smallest id of the component.
    JavaPairRDD<DocRef, String> labels =
        current.mapToPair(e -> new Tuple2<>(e.a, e.b.id())).persist(level);
    labels.count();
    current.unpersist(false);
    return new Result(labels, rounds);
  }

  /** For every node u with m = min(u, neighbours): connect each strictly larger neighbour to m. */
  private static JavaRDD<Edge> largeStar(JavaRDD<Edge> edges, int numPartitions) {
    return sortByNode(
            edges.flatMap(e -> java.util.List.of(e, new Edge(e.b, e.a, false)).iterator()),
            numPartitions)
        .mapPartitions(
            it ->
                new NextIterator<Edge>() {
                  DocRef u, m, last;

                  @Override
                  protected Edge computeNext() {
                    while (it.hasNext()) {
                      Edge e = it.next()._1();
                      if (u == null
                          || !e.a.equals(u)) { // new node: its first neighbour is its smallest
                        u = e.a;
                        m = e.b.compareTo(u) < 0 ? e.b : u;
                        last = null;
                      }
                      if (e.b.equals(last)) continue; // duplicate edge
                      last = e.b;
                      if (e.b.compareTo(u) > 0) return new Edge(e.b, m, !m.equals(u));
                    }
                    return done();
                  }
                });
  }

  /**
   * For every node u with smaller neighbours N and m = min(N): connect u and every node of N to m.
   */
  private static JavaRDD<Edge> smallStar(JavaRDD<Edge> edges, int numPartitions) {
    JavaRDD<Edge> downward = edges.map(e -> e.a.compareTo(e.b) > 0 ? e : new Edge(e.b, e.a, false));
    return sortByNode(downward, numPartitions)
        .mapPartitions(
            it ->
                new NextIterator<Edge>() {
                  DocRef u, m, last;

                  @Override
                  protected Edge computeNext() {
                    while (it.hasNext()) {
                      Edge e = it.next()._1();
                      if (u == null || !e.a.equals(u)) {
                        u = e.a;
                        m = e.b;
                        last = e.b;
                        return new Edge(u, m, false); // the edge to the smallest neighbour stays
                      }
                      if (e.b.equals(last)) continue;
                      last = e.b;
                      return new Edge(e.b, m, true);
                    }
                    return done();
                  }
                });
  }

  private static JavaPairRDD<Edge, Byte> sortByNode(JavaRDD<Edge> edges, int numPartitions) {
    return edges
        .mapToPair(e -> new Tuple2<>(e, (byte) 0))
        .repartitionAndSortWithinPartitions(new ByNode(numPartitions), new Natural());
  }

  /**
   * An edge a - b, and whether the last step created it (the convergence test). Ordered by (a, b).
   * Externalizable (hence public) for cheap shuffles, see {@link DocRef}.
   */
  public static final class Edge implements Comparable<Edge>, Externalizable {
    private static final long serialVersionUID = 1L;
    DocRef a;
    DocRef b;
    boolean changed;

    /** For deserialization only. */
    public Edge() {}

    Edge(DocRef a, DocRef b, boolean changed) {
      this.a = a;
      this.b = b;
      this.changed = changed;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      a.writeExternal(out);
      b.writeExternal(out);
      out.writeBoolean(changed);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      a = new DocRef();
      a.readExternal(in);
      b = new DocRef();
      b.readExternal(in);
      changed = in.readBoolean();
    }

    @Override
    public int compareTo(Edge o) {
      int c = a.compareTo(o.a);
      return c != 0 ? c : b.compareTo(o.b);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Edge e && a.equals(e.a) && b.equals(e.b);
    }

    @Override
    public int hashCode() {
      return a.hashCode() * 31 + b.hashCode();
    }

    @Override
    public String toString() {
      return a.id() + "-" + b.id();
    }
  }

  /** All edges of a node go to one partition. */
  static final class ByNode extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByNode(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Long.remainderUnsigned(Hashing.fmix64(((Edge) key).a.hashCode()), n);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByNode b && b.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  static final class Natural implements Comparator<Edge>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Edge x, Edge y) {
      return x.compareTo(y);
    }
  }
}
