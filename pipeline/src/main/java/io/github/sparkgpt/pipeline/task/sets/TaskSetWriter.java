package io.github.sparkgpt.pipeline.task.sets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes a task set as {@code train.jsonl}, {@code validation.jsonl}, {@code test.jsonl} (one JSON
 * object per line), {@code quarantine.jsonl} (inputs that could not be used, with a reason) and
 * {@code info.json}, into {@code output/NAME}. Everything goes to a hidden temporary directory
 * first, renamed into place when complete ({@link OutputDirectory}), so a set either is complete
 * ({@code _SUCCESS}) or is rebuilt on the next run.
 */
public final class TaskSetWriter {
  public static final String INFO = "info.json";
  public static final String QUARANTINE = "quarantine.jsonl";
  private static final ObjectMapper LINE = new ObjectMapper();

  /** What was written: rows per split and per label (labels in canonical order). */
  public record Summary(
      String name,
      String directory,
      Map<String, Integer> splitCounts,
      Map<String, Map<String, Integer>> labelCounts,
      int quarantined,
      List<String> labels) {}

  private TaskSetWriter() {}

  public static String directory(String output, String name) {
    return new Path(output, name).toString();
  }

  public static boolean isComplete(String output, String name, Configuration conf) {
    return OutputDirectory.isComplete(directory(output, name), conf);
  }

  public static Summary write(
      TaskSet set, TaskSplitter splitter, String output, boolean overwrite, Configuration conf) {
    TaskSplitter.Splits splits = splitter.split(set.rows());
    OutputDirectory out = OutputDirectory.prepare(directory(output, set.name()), overwrite, conf);
    try {
      Map<String, Integer> splitCounts = new LinkedHashMap<>();
      Map<String, Map<String, Integer>> labelCounts = new LinkedHashMap<>();
      for (String split : TaskSplitter.SPLITS) {
        List<TaskRow> rows = splits.get(split);
        writeLines(out, split + ".jsonl", rows.stream().map(r -> (Object) r.fields()).toList());
        splitCounts.put(split, rows.size());
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        for (String l : set.labels()) perLabel.put(l, 0);
        if (!set.labels().isEmpty())
          for (TaskRow r : rows) perLabel.merge(r.label(), 1, Integer::sum);
        labelCounts.put(split, perLabel);
      }
      writeLines(
          out, QUARANTINE, set.quarantined().stream().map(TaskSetWriter::quarantineRow).toList());

      Map<String, Object> info = new LinkedHashMap<>();
      info.put("name", set.name());
      info.putAll(set.info());
      info.put("labels", set.labels());
      info.put("seed", splitter.seed());
      info.put("split", splitter.describe());
      Map<String, Object> counts = new LinkedHashMap<>();
      for (String split : TaskSplitter.SPLITS) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("total", splitCounts.get(split));
        c.put("labels", labelCounts.get(split));
        counts.put(split, c);
      }
      info.put("counts", counts);
      Map<String, Integer> reasons = new TreeMap<>();
      for (RejectedDocument q : set.quarantined()) reasons.merge(q.reason(), 1, Integer::sum);
      Map<String, Object> quarantined = new LinkedHashMap<>();
      quarantined.put("total", set.quarantined().size());
      quarantined.put("reasons", reasons);
      quarantined.put("file", QUARANTINE);
      info.put("quarantined", quarantined);
      JsonFiles.writeJson(out.fileSystem(), new Path(out.temporary(), INFO), info);
      out.commit();
      return new Summary(
          set.name(),
          out.target().toString(),
          splitCounts,
          labelCounts,
          set.quarantined().size(),
          set.labels());
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  private static Object quarantineRow(RejectedDocument q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", q.id());
    m.put("source", q.source());
    m.put("reason", q.reason());
    m.put("detail", q.detail());
    m.put("text", q.text());
    return m;
  }

  private static void writeLines(OutputDirectory out, String file, List<Object> rows) {
    Path p = new Path(out.temporary(), file);
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(out.fileSystem().create(p, true), StandardCharsets.UTF_8))) {
      for (Object row : rows) {
        w.write(LINE.writeValueAsString(row));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}
