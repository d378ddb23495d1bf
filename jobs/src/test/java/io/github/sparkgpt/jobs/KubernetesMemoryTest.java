package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every Spark application under deploy/kubernetes fits its pods: the Spark operator asks for memory
 * + memoryOverhead per pod (the overhead defaults to max(384 MiB, factor x memory)), the JVM heap
 * is memory (Spark sets -Xmx), and ND4J may allocate maxbytes off-heap up to maxphysicalbytes for
 * the whole process. A pod whose heap plus off-heap limit exceeds its memory is OOM-killed by the
 * kubelet instead of failing with ND4J's clear error.
 */
class KubernetesMemoryTest {
  static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");

  /**
   * What a JVM needs beside its heap and ND4J's buffers: metaspace, code cache, thread stacks, GC,
   * Netty.
   */
  static final long JVM_NON_HEAP = gib(1);

  /** Spark's defaults: spark.kubernetes.memoryOverheadFactor 0.1 (JVM jobs), at least 384 MiB. */
  static final double DEFAULT_OVERHEAD_FACTOR = 0.1;

  static final long MIN_OVERHEAD = 384L << 20;

  @Test
  void heapPlusOffHeapFitsEveryPod() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(MANIFESTS)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    assertFalse(files.isEmpty());
    int pods = 0;
    for (Path f : files) {
      for (Object doc : new Yaml().loadAll(Files.readString(f))) {
        Map<String, Object> app = sparkApplicationSpec(map(doc));
        if (app == null) continue;
        Map<String, Object> conf =
            app.get("sparkConf") == null ? Map.of() : map(app.get("sparkConf"));
        for (String role : List.of("driver", "executor")) {
          String where = f.getFileName() + " " + role;
          Pod pod = Pod.of(map(app.get(role)), conf, role, where);
          assertTrue(
              pod.heap + pod.maxBytes <= pod.maxPhysicalBytes,
              where
                  + ": heap "
                  + show(pod.heap)
                  + " + maxbytes "
                  + show(pod.maxBytes)
                  + " exceed maxphysicalbytes "
                  + show(pod.maxPhysicalBytes));
          assertTrue(
              pod.maxPhysicalBytes + JVM_NON_HEAP <= pod.podMemory,
              where
                  + ": maxphysicalbytes "
                  + show(pod.maxPhysicalBytes)
                  + " + "
                  + show(JVM_NON_HEAP)
                  + " JVM non-heap exceed the pod's "
                  + show(pod.podMemory)
                  + " (memory "
                  + show(pod.heap)
                  + " + memoryOverhead "
                  + show(pod.overhead)
                  + ")");
          pods++;
        }
      }
    }
    assertTrue(pods >= 2, "driver and executor of at least one application checked");
  }

  @Test
  void theRuleRejectsTheLimitsTheManifestHadBefore() {
    // Before: driver 4g heap, factor 0.4 (pod 5.6g), maxbytes 4g, maxphysicalbytes 10g.
    Pod before =
        Pod.of(
            Map.of(
                "memory",
                "4g",
                "javaOptions",
                "-Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=10g"),
            Map.of("spark.kubernetes.memoryOverheadFactor", "0.4"),
            "driver",
            "old driver");
    assertEquals((long) (gib(4) * 1.4), before.podMemory);
    assertFalse(before.maxPhysicalBytes + JVM_NON_HEAP <= before.podMemory);
    Pod small =
        Pod.of(
            Map.of(
                "memory",
                "1g",
                "javaOptions",
                "-Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=2g"),
            Map.of(),
            "executor",
            "x");
    assertEquals(gib(1) + MIN_OVERHEAD, small.podMemory, "at least 384 MiB of overhead");
  }

  /** The memory a driver or executor pod gets and the limits its JVM runs with. */
  record Pod(long heap, long overhead, long podMemory, long maxBytes, long maxPhysicalBytes) {
    static Pod of(
        Map<String, Object> spec, Map<String, Object> sparkConf, String role, String where) {
      assertNotNull(spec.get("memory"), where + ": memory");
      long heap = bytes(String.valueOf(spec.get("memory")));
      String options =
          spec.get("javaOptions") == null ? "" : String.valueOf(spec.get("javaOptions"));
      assertFalse(
          options.contains("-Xmx"),
          where + ": the heap is 'memory'; Spark refuses -Xmx in javaOptions");
      Object explicit =
          spec.get("memoryOverhead") != null
              ? spec.get("memoryOverhead")
              : sparkConf.get("spark." + role + ".memoryOverhead");
      long overhead;
      if (explicit != null) {
        overhead = bytes(String.valueOf(explicit));
      } else {
        Object factor =
            sparkConf.getOrDefault(
                "spark." + role + ".memoryOverheadFactor",
                sparkConf.get("spark.kubernetes.memoryOverheadFactor"));
        double f =
            factor == null ? DEFAULT_OVERHEAD_FACTOR : Double.parseDouble(String.valueOf(factor));
        overhead = Math.max(MIN_OVERHEAD, (long) (heap * f));
      }
      return new Pod(
          heap,
          overhead,
          heap + overhead,
          javacpp(options, "maxbytes", where),
          javacpp(options, "maxphysicalbytes", where));
    }
  }

  static long javacpp(String options, String key, String where) {
    Matcher m = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\." + key + "=(\\S+)").matcher(options);
    assertTrue(
        m.find(), where + ": javaOptions must bound ND4J with -Dorg.bytedeco.javacpp." + key);
    return bytes(m.group(1));
  }

  /**
   * Kubernetes/Spark/JavaCPP sizes: 4g, 4G, 4Gi, 512m, 512Mi, plain bytes (binary units
   * throughout).
   */
  static long bytes(String size) {
    Matcher m =
        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?")
            .matcher(size.trim().toLowerCase(Locale.ROOT));
    assertTrue(m.matches(), "not a size: " + size);
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
  }

  static long gib(long n) {
    return n << 30;
  }

  static String show(long bytes) {
    return String.format(Locale.ROOT, "%.2fg", bytes / (double) gib(1));
  }

  /**
   * The SparkApplication spec of a SparkApplication or of a ScheduledSparkApplication's template,
   * else null.
   */
  static Map<String, Object> sparkApplicationSpec(Map<String, Object> doc) {
    if (doc == null || doc.get("spec") == null) return null;
    Map<String, Object> spec = map(doc.get("spec"));
    if ("SparkApplication".equals(doc.get("kind"))) return spec;
    if ("ScheduledSparkApplication".equals(doc.get("kind"))) return map(spec.get("template"));
    return null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
