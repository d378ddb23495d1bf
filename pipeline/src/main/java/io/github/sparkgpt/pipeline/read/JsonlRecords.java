package io.github.sparkgpt.pipeline.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * Format {@code jsonl}: one JSON object per line. The document text is the string in {@code
 * text_field}; the id is {@code path#id=<value of id_field>} or, when the record has no id (or
 * repeats an id already seen in this file), the positional {@code path#L<line>}. Blank lines are
 * skipped.
 */
final class JsonlRecords extends FileRecords {
  // Jackson's default 20M-char string cap would turn a large but legal document into "malformed".
  private final JsonlOptions options;
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Set<String> seenIds = new HashSet<>();
  private LineReader lines;

  JsonlRecords(InputFile file, RecordLimits limits, JsonlOptions options, Configuration conf) {
    super(file, limits, conf);
    this.options = options;
  }

  @Override
  protected boolean advance() throws IOException {
    if (lines == null) {
      lines = new LineReader(open(), (int) limits.maxRecordBytes());
      if (sniffBinary(lines)) return false;
    }
    if (!lines.next()) return false;
    String raw = decode(lines.bytes(), lines.length(), lines.lineNumber() == 1);
    String lineId = file.id() + "#L" + lines.lineNumber();
    if (lines.oversized()) {
      reject(
          lineId,
          ReadReasons.TOO_LARGE,
          lines.fullLength() + " bytes > max_record_bytes " + limits.maxRecordBytes(),
          raw);
      return true;
    }
    if (raw.isBlank()) return true;
    JsonNode record;
    try {
      record = JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      reject(lineId, ReadReasons.MALFORMED_JSON, e.getOriginalMessage(), raw);
      return true;
    }
    if (!record.isObject()) {
      reject(lineId, ReadReasons.MALFORMED_JSON, "not a JSON object: " + record.getNodeType(), raw);
      return true;
    }
    JsonNode text = record.get(options.textField());
    if (text == null || !text.isTextual()) {
      String why =
          text == null || text.isNull()
              ? "no field '" + options.textField() + "'"
              : "field '" + options.textField() + "' is " + text.getNodeType() + ", not a string";
      reject(lineId, ReadReasons.MISSING_TEXT, why, raw);
      return true;
    }
    JsonNode key = record.get(options.idField());
    String id = lineId;
    if (key != null && key.isValueNode() && !key.isNull() && seenIds.add(key.asText())) {
      id = file.id() + "#id=" + key.asText();
    }
    emit(id, null, text.textValue());
    return true;
  }

  @Override
  protected String failureId() {
    return lines == null ? file.id() : file.id() + "#L" + lines.lineNumber();
  }

  @Override
  protected String partialText() {
    return lines == null ? "" : decode(lines.bytes(), lines.length(), false);
  }
}
