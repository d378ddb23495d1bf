package io.github.sparkgpt.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The key paths a configuration may hold, and the check that it holds no others. A misspelled key
 * would otherwise be read by nothing and change nothing, so every key path of an effective
 * configuration must be a known one; an unknown one is named with the closest known path ("did you
 * mean quality.c4.enabled?").
 *
 * <p>The known paths are the leaves of a defaults file plus any extras a job declares; a section
 * that is empty in the defaults ({@code label_words {}}) is free-form and accepts any key below it.
 */
public final class ConfigKeys {
  private final Set<String> leaves = new TreeSet<>();
  private final Set<String> openSections = new TreeSet<>();

  private ConfigKeys() {}

  /** The leaf paths of {@code defaults}; its empty sections are free-form. */
  public static ConfigKeys of(Config defaults) {
    ConfigKeys k = new ConfigKeys();
    k.walk(defaults.root(), new ArrayList<>(), true);
    return k;
  }

  /**
   * These keys too (full paths, e.g. {@code model.layers}): optional keys the defaults file leaves
   * out.
   */
  public ConfigKeys with(Collection<String> paths) {
    leaves.addAll(paths);
    return this;
  }

  public Set<String> paths() {
    return java.util.Collections.unmodifiableSet(leaves);
  }

  /**
   * Fails with the first unknown key path of {@code config} (sorted), naming the closest known one.
   */
  public void requireKnown(Config config, String job) {
    ConfigKeys given = new ConfigKeys();
    given.walk(config.root(), new ArrayList<>(), false);
    for (String path : given.leaves) {
      if (leaves.contains(path) || inOpenSection(path)) continue;
      throw new IllegalArgumentException(
          unknownKeyMessage(path, leaves)
              + (job == null ? "" : "; the known keys are in conf/" + job + ".conf"));
    }
  }

  /**
   * Below this Jaro-Winkler similarity the closest key is no likely intended key ({@code bogus} is
   * closest to {@code language.sample_chars} at 0.5): the message lists the top-level keys instead.
   * Typos of known keys score above 0.9 ({@code qualty.c4.enabled} 0.98, {@code sed} 0.93 to {@code
   * seed}).
   */
  public static final double SUGGEST_MIN_SIMILARITY = 0.8;

  /**
   * {@code unknown configuration key 'x' (did you mean y?)}, or the top-level keys when nothing is
   * close.
   */
  public static String unknownKeyMessage(String path, Collection<String> known) {
    String best = closest(path, known);
    String head = "unknown configuration key '" + path + "'";
    if (best == null) return head;
    if (new JaroWinklerSimilarity().apply(path, best) >= SUGGEST_MIN_SIMILARITY) {
      return head + " (did you mean " + best + "?)";
    }
    Set<String> top = new java.util.LinkedHashSet<>();
    for (String k : known) top.add(ConfigUtil.splitPath(k).get(0));
    return head
        + " (no known key is close to it; the known keys start with "
        + String.join(", ", top)
        + ")";
  }

  /**
   * The known path most similar to {@code path}: highest Jaro-Winkler similarity, then smallest
   * Levenshtein distance, then alphabetical. Jaro-Winkler rather than edit distance alone because
   * it rewards the shared start of a path: {@code quality.c4_quality.enabled} is 6 edits from
   * {@code quality.gopher_quality.enabled} but 8 from the intended {@code quality.c4.enabled},
   * which it resembles more (0.905 against 0.882).
   */
  public static String closest(String path, Collection<String> known) {
    JaroWinklerSimilarity jw = new JaroWinklerSimilarity();
    LevenshteinDistance lev = LevenshteinDistance.getDefaultInstance();
    return known.stream()
        .min(
            Comparator.<String>comparingDouble(k -> -jw.apply(path, k))
                .thenComparingInt(k -> lev.apply(path, k))
                .thenComparing(Comparator.naturalOrder()))
        .orElse(null);
  }

  private boolean inOpenSection(String path) {
    for (String s : openSections) {
      if (path.startsWith(s + ".")) return true;
    }
    return false;
  }

  private void walk(ConfigObject object, List<String> prefix, boolean recordOpen) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT) {
        ConfigObject child = (ConfigObject) v;
        if (child.isEmpty()) {
          if (recordOpen) openSections.add(ConfigUtil.joinPath(path));
        } else {
          walk(child, path, recordOpen);
        }
      } else {
        leaves.add(ConfigUtil.joinPath(path));
      }
    }
  }
}
