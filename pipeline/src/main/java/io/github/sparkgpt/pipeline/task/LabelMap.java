package io.github.sparkgpt.pipeline.task;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Label names to class indices, saved with a fine-tuned model so predictions map back to names.
 * Built from the training labels (numbers in numeric order, otherwise sorted names) or given
 * explicitly; a label outside the map is an unknown label (quarantined, never guessed).
 */
public final class LabelMap implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> names;
  private final Map<String, Integer> index = new HashMap<>();

  public LabelMap(List<String> names) {
    if (names.isEmpty()) throw new IllegalArgumentException("a label map needs at least one label");
    this.names = List.copyOf(names);
    for (int i = 0; i < names.size(); i++) {
      if (index.put(names.get(i), i) != null)
        throw new IllegalArgumentException("duplicate label '" + names.get(i) + "'");
    }
  }

  /**
   * The distinct labels of {@code labels} (nulls ignored), in numeric order if all are integers,
   * else sorted.
   */
  public static LabelMap fromLabels(Collection<String> labels) {
    TreeSet<String> distinct = new TreeSet<>();
    for (String l : labels) if (l != null) distinct.add(l);
    List<String> sorted = new ArrayList<>(distinct);
    if (sorted.stream().allMatch(l -> l.matches("-?\\d{1,9}")))
      sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    return new LabelMap(sorted);
  }

  /** Class index of {@code label}, or -1 if it is not in the map. */
  public int indexOf(String label) {
    Integer i = index.get(label);
    return i == null ? -1 : i;
  }

  public String name(int index) {
    return names.get(index);
  }

  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
  }
}
