package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Format {@code parquet}: one document per row, text from the string column {@code text_column}, id
 * {@code path#id=<id_column>} when an id column is configured and the row has a new value, else
 * {@code path#row=<0-based row>}. Only the text and id columns are read (projection from the file's footer), so
 * wide tables cost no more than the text. A file without the text column is rejected whole.
 */
final class ParquetFileRecords extends FileRecords {
  private final Set<String> seenIds = new HashSet<>();
  private ParquetReader<Group> reader;
  private long row = -1;
  private boolean hasId;

  ParquetFileRecords(InputFile file, CorpusReader options, Configuration conf) {
    super(file, options, conf);
  }

  @Override protected boolean advance() throws IOException {
    if (reader == null && !openReader()) return false;
    Group g = reader.read();
    if (g == null) return false;
    row++;
    String rowId = file.id() + "#row=" + row;
    String textCol = options.getTextColumn();
    if (g.getFieldRepetitionCount(textCol) == 0) {
      reject(rowId, ReadReasons.MISSING_TEXT, "column '" + textCol + "' is null", "");
      return true;
    }
    String text = g.getString(textCol, 0); // UTF-8 decoded with U+FFFD for invalid bytes
    String id = rowId;
    if (hasId && g.getFieldRepetitionCount(options.getIdColumn()) > 0) {
      String key = g.getValueToString(g.getType().getFieldIndex(options.getIdColumn()), 0);
      if (seenIds.add(key)) id = file.id() + "#id=" + key;
    }
    emit(id, null, text);
    return true;
  }

  /** Read the footer, project onto the text and id columns; false (with a rejection) if there is no text column. */
  private boolean openReader() throws IOException {
    Path path = new Path(file.path());
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf()))) {
      schema = footer.getFileMetaData().getSchema();
    }
    String textCol = options.getTextColumn();
    if (!schema.containsField(textCol) || !isString(schema.getType(textCol))) {
      String why = schema.containsField(textCol) ? "column '" + textCol + "' is not a string column"
          : "no column '" + textCol + "' in schema " + schema.getFields().stream().map(Type::getName).toList();
      reject(file.id(), ReadReasons.MISSING_TEXT, why, "");
      return false;
    }
    List<Type> columns = new ArrayList<>(List.of(schema.getType(textCol)));
    String idCol = options.getIdColumn();
    hasId = !idCol.isEmpty() && schema.containsField(idCol) && schema.getType(idCol).isPrimitive();
    if (hasId && !idCol.equals(textCol)) columns.add(schema.getType(idCol));
    Configuration projected = new Configuration(conf());
    projected.set(ReadSupport.PARQUET_READ_SCHEMA, new MessageType(schema.getName(), columns).toString());
    reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(projected).build();
    return true;
  }

  private static boolean isString(Type t) {
    return t.isPrimitive() && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && t.getRepetition() != Type.Repetition.REPEATED;
  }

  @Override protected String failureId() {
    return row < 0 ? file.id() : file.id() + "#row=" + (row + 1);
  }

  @Override public void close() {
    super.close();
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException ignored) {
        // read-only
      }
      reader = null;
    }
  }
}
