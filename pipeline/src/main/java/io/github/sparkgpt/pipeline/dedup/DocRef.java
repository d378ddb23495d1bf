package io.github.sparkgpt.pipeline.dedup;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/**
 * A document's id plus the input partition it lives in. Dedup shuffles only these small references
 * (never the texts); the partition lets the final step route each verdict back to its document's
 * partition.
 *
 * <p>Externalizable because millions of these cross shuffles: with Spark's default Java serializer,
 * reflective field-by-field serialization was the largest cost of the MinHash stage.
 *
 * <p>Order, equality and hash use the id alone: ids are unique, and "smallest id wins" must not
 * depend on how the input happened to be partitioned.
 */
public final class DocRef implements Comparable<DocRef>, Externalizable {
  private static final long serialVersionUID = 1L;
  private String id;
  private int partition;

  /** For deserialization only. */
  public DocRef() {}

  public DocRef(String id, int partition) {
    this.id = id;
    this.partition = partition;
  }

  public String id() {
    return id;
  }

  public int partition() {
    return partition;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeUTF(id);
    out.writeInt(partition);
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    id = in.readUTF();
    partition = in.readInt();
  }

  @Override
  public int compareTo(DocRef o) {
    return id.compareTo(o.id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocRef r && id.equals(r.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id + "@" + partition;
  }
}
