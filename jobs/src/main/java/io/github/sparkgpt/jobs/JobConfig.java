package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.github.sparkgpt.pipeline.ConfigKeys;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layered job configuration, lowest precedence first: the defaults shipped in {@code
 * conf/<job>.conf} (bundled in the jar), an optional {@code --conf FILE}, {@code --set key=value}
 * overrides, then the job's named command-line options. Keys are relative to the job's root section
 * ({@code preprocess.tokenizer.vocab_size} is written {@code tokenizer.vocab_size}). Unknown keys
 * are refused wherever they are, with the closest known key.
 */
public final class JobConfig {
  private JobConfig() {}

  /** The top-level sections a configuration file may hold (one file may configure several jobs). */
  static final Set<String> JOBS =
      Set.of("preprocess", "pretrain", "finetune", "fewshot", "sft", "dpo", "preference-pairs");

  public static Config load(
      String job, File confFile, List<String> overrides, Map<String, Object> namedOptions) {
    return load(job, confFile, overrides, namedOptions, Set.of());
  }

  /**
   * As {@link #load(String, File, List, Map)}; every key path of the result must be a leaf of the
   * job's defaults file or one of {@code optionalKeys} (keys the defaults leave out, e.g.
   * pretrain's model overrides), so a typo anywhere (top level, an unknown or misspelled section, a
   * switched-off stage) fails before Spark starts.
   */
  public static Config load(
      String job,
      File confFile,
      List<String> overrides,
      Map<String, Object> namedOptions,
      Set<String> optionalKeys) {
    Config defaults = defaults(job);
    Config layered = defaults;
    if (confFile != null) {
      if (!confFile.isFile()) throw new UsageException("--conf " + confFile + ": no such file");
      try {
        layered = ConfigFactory.parseFile(confFile).withFallback(layered);
      } catch (ConfigException e) {
        throw new UsageException("--conf " + confFile + ": " + e.getMessage());
      }
    }
    for (String kv : overrides) layered = parseOverride(job, kv).withFallback(layered);
    for (Map.Entry<String, Object> e : namedOptions.entrySet()) {
      if (e.getValue() != null) {
        layered =
            layered.withValue(job + "." + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
      }
    }
    Config effective;
    try {
      Config resolved = layered.resolve();
      for (String key : resolved.root().keySet()) {
        if (!JOBS.contains(key))
          throw new UsageException(
              ConfigKeys.unknownKeyMessage(key, JOBS)
                  + ": a configuration file holds sections named after the jobs, e.g. "
                  + job
                  + " { ... }");
      }
      effective = resolved.getConfig(job);
    } catch (ConfigException e) {
      throw new UsageException("configuration: " + e.getMessage());
    }
    try {
      ConfigKeys.of(defaults.getConfig(job)).with(optionalKeys).requireKnown(effective, job);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return effective;
  }

  /** The defaults bundled as {@code conf/<job>.conf}. */
  static Config defaults(String job) {
    return ConfigFactory.parseResources(
        "conf/" + job + ".conf", ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** {@code tokenizer.vocab_size=4096} or {@code language.languages=[en,de]}; values are HOCON. */
  static Config parseOverride(String job, String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageException("--set expects key=value, got '" + kv + "'");
    String key = kv.substring(0, eq).trim();
    String value = kv.substring(eq + 1).trim();
    try {
      return ConfigFactory.parseString(
          job + "." + key + " = " + (value.isEmpty() ? "\"\"" : value));
    } catch (ConfigException e) {
      try {
        return ConfigFactory.parseString(
            job + "." + key + " = " + ConfigValueFactory.fromAnyRef(value).render());
      } catch (ConfigException e2) {
        throw new UsageException("--set " + kv + ": " + e.getMessage());
      }
    }
  }

  /** The effective configuration as HOCON, saved next to every job's output. */
  public static String render(String job, Config config) {
    return config
        .atPath(job)
        .root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }
}
