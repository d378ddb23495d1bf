package io.github.sparkgpt.pipeline.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.github.sparkgpt.pipeline.RejectedDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads labelled task data from CSV, TSV (with a header row), JSONL, or a JSON array of objects,
 * into {@link TaskExample}s. Column names are parameters; for multiple choice, an input column may
 * hold a JSON array of answers (a JSON array value in JSON/JSONL; in CSV/TSV a cell like {@code
 * ["yes","no"]} when {@link #setArrayCells} is on), or each answer has a column of its own. Rows
 * with a missing or empty input, or a malformed line, are returned as rejections with a reason and
 * the reader goes on; a missing file is an {@link IllegalArgumentException} naming it.
 */
public final class TaskReader {
  public static final String STAGE = "task_read";
  private static final ObjectMapper JSON = new ObjectMapper();

  private String format = "auto";
  private List<String> inputColumns = List.of("text");
  private String labelColumn = "label";
  private String idColumn = "";
  private List<String> optionalColumns = List.of();
  private boolean arrayCells = false;

  /** Examples read and rows rejected, in file order. */
  public record Result(List<TaskExample> examples, List<RejectedDocument> rejected) {}

  public TaskReader setFormat(String v) {
    format = v;
    return this;
  }

  public TaskReader setInputColumns(List<String> v) {
    inputColumns = List.copyOf(v);
    return this;
  }

  public TaskReader setLabelColumn(String v) {
    labelColumn = v;
    return this;
  }

  public TaskReader setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  /**
   * Columns a row may leave out or empty: their non-blank values go to {@link
   * TaskExample#optional()} by name; none by default.
   */
  public TaskReader setOptionalColumns(List<String> v) {
    optionalColumns = List.copyOf(v);
    return this;
  }

  /**
   * CSV/TSV: read a cell that is a JSON array of values as its items (multiple-choice answers); off
   * by default.
   */
  public TaskReader setArrayCells(boolean v) {
    arrayCells = v;
    return this;
  }

  public TaskReader validate() {
    if (!List.of("auto", "csv", "tsv", "jsonl", "json").contains(format)) {
      throw new IllegalArgumentException(
          "task format '" + format + "' is unknown: use auto, csv, tsv, jsonl or json");
    }
    if (inputColumns.isEmpty())
      throw new IllegalArgumentException("input_columns is empty: name the text column(s)");
    return this;
  }

  public Result read(String file, Configuration conf) {
    validate();
    String text = readAll(file, conf);
    String fmt = format.equals("auto") ? formatOf(file, text) : format;
    List<Map<String, Object>> rows = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>();
    switch (fmt) {
      case "csv", "tsv" ->
          parseDelimited(file, text, fmt.equals("tsv") ? '\t' : ',', arrayCells, rows);
      case "json" -> parseJsonArray(file, text, rows);
      default -> parseJsonLines(file, text, rows, rejected);
    }
    List<TaskExample> examples = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      if (row == null) continue; // a malformed JSONL line, already rejected
      String id =
          idColumn.isEmpty() || row.get(idColumn) == null
              ? file + "#row=" + (i + 1)
              : file + "#id=" + row.get(idColumn);
      List<String> inputs = new ArrayList<>();
      String missing = null;
      for (String col : inputColumns) {
        Object v = row.get(col);
        if (v instanceof List<?> list) {
          for (Object o : list) inputs.add(o == null ? "" : o.toString());
          if (list.isEmpty()) missing = col;
        } else if (v == null || v.toString().isBlank()) {
          missing = col;
        } else {
          inputs.add(v.toString());
        }
      }
      Object label = row.get(labelColumn);
      if (missing != null || inputs.stream().anyMatch(String::isBlank)) {
        rejected.add(
            new RejectedDocument(
                id,
                file,
                STAGE,
                "task_missing_field",
                "column '" + (missing != null ? missing : "answers") + "' missing or empty",
                String.valueOf(row)));
        continue;
      }
      examples.add(
          new TaskExample(
              id,
              inputs,
              label == null || label.toString().isBlank() ? null : label.toString(),
              optionalValues(row)));
    }
    return new Result(examples, rejected);
  }

  /** The row's non-blank values of the optional columns, by column name. */
  private Map<String, String> optionalValues(Map<String, Object> row) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String col : optionalColumns) {
      Object v = row.get(col);
      if (v != null && !v.toString().isBlank()) out.put(col, v.toString());
    }
    return out;
  }

  /**
   * Split into examples whose label is in {@code labels} and rejections ({@code
   * task_unknown_label}).
   */
  public static Result applyLabels(Result in, LabelMap labels) {
    List<TaskExample> ok = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(in.rejected());
    for (TaskExample e : in.examples()) {
      if (e.label() != null && labels.indexOf(e.label()) >= 0) ok.add(e);
      else
        rejected.add(
            new RejectedDocument(
                e.id(),
                null,
                STAGE,
                e.label() == null ? "task_missing_label" : "task_unknown_label",
                "label '" + e.label() + "' not in " + labels.names(),
                String.join(" | ", e.inputs())));
    }
    return new Result(ok, rejected);
  }

  private static String formatOf(String file, String text) {
    String name = file.toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".csv")) return "csv";
    if (name.endsWith(".tsv") || name.endsWith(".tab")) return "tsv";
    if (name.endsWith(".json") && text.stripLeading().startsWith("[")) return "json";
    return "jsonl";
  }

  private static void parseDelimited(
      String file,
      String text,
      char delimiter,
      boolean arrayCells,
      List<Map<String, Object>> rows) {
    CsvParserSettings s = new CsvParserSettings();
    s.getFormat().setDelimiter(delimiter);
    s.getFormat().setLineSeparator("\n");
    s.setHeaderExtractionEnabled(true);
    s.setMaxCharsPerColumn(-1);
    s.setSkipEmptyLines(true);
    CsvParser parser = new CsvParser(s);
    List<String[]> records = parser.parseAll(new java.io.StringReader(text));
    String[] header = parser.getContext().headers();
    if (header == null) throw new IllegalArgumentException(file + ": no header row");
    for (String[] r : records) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length && i < r.length; i++)
        row.put(header[i], arrayCells ? arrayOrText(r[i]) : r[i]);
      rows.add(row);
    }
  }

  /**
   * The items of a cell holding a JSON array (as in a JSON file), else the cell's text unchanged.
   */
  private static Object arrayOrText(String cell) {
    if (cell == null || !cell.strip().startsWith("[") || !cell.strip().endsWith("]")) return cell;
    try {
      JsonNode n = JSON.readTree(cell);
      if (!n.isArray()) return cell;
      List<String> items = new ArrayList<>();
      n.forEach(x -> items.add(x.isTextual() ? x.asText() : x.toString()));
      return items;
    } catch (IOException e) {
      return cell; // brackets but not JSON: ordinary text
    }
  }

  /**
   * Split into examples whose label is a finite number (a score, e.g. STS-B's 0..5) and rejections
   * ({@code task_missing_label}, {@code task_bad_score}). Scores are not put in a {@link LabelMap}.
   */
  public static Result applyScores(Result in) {
    List<TaskExample> ok = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(in.rejected());
    for (TaskExample e : in.examples()) {
      if (e.label() == null) {
        rejected.add(
            new RejectedDocument(
                e.id(),
                null,
                STAGE,
                "task_missing_label",
                "no score",
                String.join(" | ", e.inputs())));
      } else if (parseScore(e.label()) == null) {
        rejected.add(
            new RejectedDocument(
                e.id(),
                null,
                STAGE,
                "task_bad_score",
                "score '" + e.label() + "' is not a finite number",
                String.join(" | ", e.inputs())));
      } else {
        ok.add(e);
      }
    }
    return new Result(ok, rejected);
  }

  /** The label as a finite number, or null (not a number, NaN or infinite). */
  public static Double parseScore(String label) {
    try {
      double v = Double.parseDouble(label.strip());
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void parseJsonArray(String file, String text, List<Map<String, Object>> rows) {
    try {
      JsonNode root = JSON.readTree(text);
      for (JsonNode n : root) rows.add(n.isObject() ? toMap(n) : Map.of());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + " is not a JSON array of objects: " + e.getMessage());
    }
  }

  private static void parseJsonLines(
      String file, String text, List<Map<String, Object>> rows, List<RejectedDocument> rejected) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      try {
        JsonNode n = JSON.readTree(lines[i]);
        if (!n.isObject()) throw new IOException("not a JSON object");
        rows.add(toMap(n));
      } catch (IOException e) {
        rows.add(null);
        rejected.add(
            new RejectedDocument(
                file + "#L" + (i + 1),
                file,
                STAGE,
                "task_malformed_row",
                e.getMessage(),
                lines[i]));
      }
    }
  }

  private static Map<String, Object> toMap(JsonNode n) {
    Map<String, Object> m = new LinkedHashMap<>();
    n.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.isTextual() ? x.asText() : x.toString()));
                m.put(e.getKey(), items);
              } else {
                m.put(e.getKey(), v.isNull() ? null : v.isTextual() ? v.asText() : v.toString());
              }
            });
    return m;
  }

  private static String readAll(String file, Configuration conf) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) throw new IllegalArgumentException("task file not found: " + file);
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read task file " + file + ": " + e.getMessage(), e);
    }
  }
}
