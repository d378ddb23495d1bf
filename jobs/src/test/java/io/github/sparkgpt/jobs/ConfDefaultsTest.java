package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.github.sparkgpt.jobs.dpo.DpoSettings;
import io.github.sparkgpt.jobs.dpo.PreferencePairsSettings;
import io.github.sparkgpt.jobs.fewshot.FewShotSettings;
import io.github.sparkgpt.jobs.finetune.FinetuneSettings;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.jobs.sft.SftSettings;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.DocumentChain;
import io.github.sparkgpt.pipeline.dedup.ExactDedup;
import io.github.sparkgpt.pipeline.dedup.MinHashDedup;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import io.github.sparkgpt.pipeline.normalise.TextNormalizer;
import io.github.sparkgpt.pipeline.pack.PackStage;
import io.github.sparkgpt.pipeline.read.ReadOptions;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.write.ShardSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bundled {@code conf/<job>.conf} is what the jobs run with; the Java field initialisers are
 * what a library user gets without a conf. Both must hold the same value for every key, so a
 * default cannot drift in one place only.
 */
class ConfDefaultsTest {
  /**
   * A section of a job's defaults, bound onto the factory's objects; {@code jobOnly} keys the job
   * reads itself.
   */
  record Binding(String path, Supplier<?> factory, String... jobOnly) {}

  /** Per job: every section the job binds onto a settings or stage object. */
  static final Map<String, List<Binding>> BINDINGS =
      Map.of(
          "preprocess",
              List.of(
                  new Binding("read", ReadOptions::builder),
                  new Binding("normalise", TextNormalizer::new, "enabled"),
                  new Binding("language", LanguageFilter::new, "enabled"),
                  new Binding("quality.gopher_quality", GopherQualityFilter::new, "enabled"),
                  new Binding("quality.gopher_repetition", GopherRepetitionFilter::new, "enabled"),
                  new Binding("quality.c4", C4QualityFilter::new, "enabled"),
                  new Binding("quality.fineweb", FineWebQualityFilter::new, "enabled"),
                  new Binding("pii", PiiRedactor::new, "enabled"),
                  new Binding("dedup.exact", ExactDedup::new, "enabled"),
                  new Binding("dedup.minhash", MinHashDedup::new, "enabled"),
                  new Binding("tokenizer", BpeTrainer::new, "path"),
                  new Binding("pack", () -> new PackStage(0)),
                  new Binding("write", ShardSettings::new)),
          "pretrain", List.of(new Binding("", PretrainSettings::new, "model")),
          "finetune", List.of(new Binding("", FinetuneSettings::new)),
          "fewshot", List.of(new Binding("", FewShotSettings::new)),
          "sft", List.of(new Binding("", SftSettings::new)),
          "dpo", List.of(new Binding("", DpoSettings::new)),
          "preference-pairs", List.of(new Binding("", PreferencePairsSettings::new)));

  /** Leaves (or sections, ending in '.') that only the job reads: the conf is their one source. */
  static final Map<String, Set<String>> READ_BY_THE_JOB =
      Map.of(
          "preprocess", Set.of("seed", "quality.by_language."),
          "pretrain", Set.of(),
          "finetune", Set.of(),
          "fewshot", Set.of(),
          "sft", Set.of(),
          "dpo", Set.of(),
          "preference-pairs", Set.of());

  /** Leaves the job reads itself but with a named Java fallback. */
  static final Map<String, Map<String, Object>> NAMED_DEFAULTS =
      Map.of(
          "preprocess",
              Map.of("quality.flag_removed_share", DocumentChain.DEFAULT_FLAG_REMOVED_SHARE),
          "pretrain", Map.of("model.preset", PretrainSettings.DEFAULT_PRESET));

  @Test
  void everyBundledDefaultEqualsTheJavaDefault() {
    List<String> drift = new ArrayList<>();
    for (String job : BINDINGS.keySet()) {
      Config conf = JobConfig.defaults(job).getConfig(job);
      for (Binding b : BINDINGS.get(job))
        drift.addAll(compare("conf/" + job + ".conf", job, conf, b));
      NAMED_DEFAULTS
          .getOrDefault(job, Map.of())
          .forEach(
              (key, java) -> {
                Object value = conf.getValue(key).unwrapped();
                boolean same =
                    value instanceof Number n && java instanceof Number j
                        ? n.doubleValue() == j.doubleValue()
                        : value.equals(java);
                if (!same) {
                  drift.add(
                      "conf/"
                          + job
                          + ".conf: "
                          + job
                          + "."
                          + key
                          + " = "
                          + value
                          + " but the Java default is "
                          + java);
                }
              });
    }
    assertTrue(drift.isEmpty(), String.join("\n", drift));
  }

  @Test
  void everyLeafOfABundledConfIsBoundOrReadByTheJob() {
    List<String> uncovered = new ArrayList<>();
    for (String job : BINDINGS.keySet()) {
      Config conf = JobConfig.defaults(job).getConfig(job);
      Set<String> covered = new TreeSet<>(READ_BY_THE_JOB.get(job));
      covered.addAll(NAMED_DEFAULTS.getOrDefault(job, Map.of()).keySet());
      for (Binding b : BINDINGS.get(job)) {
        Config section = b.path().isEmpty() ? conf : conf.getConfig(b.path());
        for (String key : section.root().keySet())
          covered.add(b.path().isEmpty() ? key : b.path() + "." + key);
      }
      for (String leaf : conf.entrySet().stream().map(Map.Entry::getKey).toList()) {
        boolean known =
            covered.stream()
                .anyMatch(
                    c ->
                        c.equals(leaf)
                            || c.endsWith(".") && leaf.startsWith(c)
                            || leaf.startsWith(c + "."));
        if (!known) uncovered.add("conf/" + job + ".conf: " + job + "." + leaf);
      }
    }
    assertTrue(
        uncovered.isEmpty(),
        "leaves neither bound nor read by the job:\n" + String.join("\n", uncovered));
  }

  @Test
  void aDriftingDefaultIsReportedWithItsKeyBothValuesAndTheFile() {
    Config conf =
        ConfigFactory.parseString(
            "quality { gopher_quality { min_doc_words = 51, enabled = true } }");
    List<String> drift =
        compare(
            "conf/x.conf",
            "preprocess",
            conf,
            new Binding("quality.gopher_quality", GopherQualityFilter::new, "enabled"));
    assertEquals(
        List.of(
            "conf/x.conf: preprocess.quality.gopher_quality.min_doc_words = 51 but "
                + "GopherQualityFilter.minDocWords defaults to 50"),
        drift.subList(0, 1));
    // and a setter without a line in the conf
    assertTrue(
        drift.stream()
            .anyMatch(
                d ->
                    d.startsWith(
                        "conf/x.conf: preprocess.quality.gopher_quality.stop_words"
                            + " has no default there")),
        String.join("\n", drift));
  }

  /**
   * Binds each key alone onto a fresh object and reports every field it changes: the key's value
   * differs from the field's initialiser. Map-valued keys (not bound by the binder) are compared
   * with the field of the same name.
   */
  static List<String> compare(String file, String job, Config conf, Binding b) {
    Config section = b.path().isEmpty() ? conf : conf.getConfig(b.path());
    String prefix = job + "." + (b.path().isEmpty() ? "" : b.path() + ".");
    Set<String> skip = Set.of(b.jobOnly());
    Class<?> type = b.factory().get().getClass();
    List<String> drift = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
      String key = e.getKey();
      if (skip.contains(key)) continue;
      String where =
          file + ": " + prefix + key + " = " + e.getValue().render(ConfigRenderOptions.concise());
      Object fresh = b.factory().get();
      if (e.getValue().valueType() == ConfigValueType.OBJECT) {
        Object field = read(field(type, camel(key)), fresh);
        if (!Objects.equals(strings(e.getValue().unwrapped()), field)) {
          drift.add(
              where + " but " + type.getSimpleName() + "." + camel(key) + " defaults to " + field);
        }
        continue;
      }
      Object bound =
          ConfigBinder.bind(
              b.factory().get(),
              section.root().withOnlyKey(key).toConfig(),
              prefix.substring(0, prefix.length() - 1));
      for (Field f : fields(type)) {
        Object was = read(f, fresh);
        Object now = read(f, bound);
        if (!Objects.deepEquals(was, now)) {
          drift.add(
              where
                  + " but "
                  + type.getSimpleName()
                  + "."
                  + f.getName()
                  + " defaults to "
                  + show(was));
        }
      }
    }
    for (String key : ConfigBinder.knownKeys(type)) {
      if (!section.hasPath(key))
        drift.add(
            file
                + ": "
                + prefix
                + key
                + " has no default there ("
                + type.getSimpleName()
                + " has a setter for it)");
    }
    return drift;
  }

  private static Map<String, String> strings(Object unwrapped) {
    Map<String, String> out = new LinkedHashMap<>();
    ((Map<?, ?>) unwrapped).forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  /** The instance fields of {@code type} and of its superclasses (settings may share a base). */
  private static List<Field> fields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) out.add(f);
      }
    }
    return out;
  }

  private static Field field(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new AssertionError(
          type.getSimpleName() + " has no field " + name + " for a map-valued key", e);
    }
  }

  private static Object read(Field f, Object target) {
    try {
      f.setAccessible(true);
      return f.get(target);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static String show(Object v) {
    return v instanceof double[] d ? Arrays.toString(d) : String.valueOf(v);
  }

  private static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        up = true;
        continue;
      }
      sb.append(up ? Character.toUpperCase(ch) : ch);
      up = false;
    }
    return sb.toString();
  }
}
