package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Format {@code parquet}: one document per row, text from the string column {@code text_column}, id
 * {@code path#id=<id_column>} when an id column is configured and the row has a new value, else
 * {@code path#row=<0-based row>}. Only the text and id columns are read (projection from the file's
 * footer), so wide tables cost no more than the text. A file without the text column is rejected
 * whole.
 *
 * <p>Sizes are checked before text is materialised: a row group whose text column holds more than
 * {@code parquet_max_row_group_text_bytes} (uncompressed, from the footer) is not read at all and
 * each of its rows is rejected as {@code read_too_large}; a cell longer than {@code max_doc_bytes}
 * is rejected from its byte length, with only its head decoded, before a string of it exists.
 */
final class ParquetFileRecords extends FileRecords {
  private final Set<String> seenIds = new HashSet<>();
  private final ParquetOptions options;
  private ParquetFileReader reader;
  private MessageType projection;
  private MessageColumnIO columnIO;
  private List<BlockMetaData> rowGroups;
  private int rowGroup = -1;
  private RecordReader<Group> rows;
  private long rowsLeft;
  private long tooLargeLeft;
  private String tooLargeDetail;
  private long row = -1;
  private boolean hasId;

  ParquetFileRecords(
      InputFile file, RecordLimits limits, ParquetOptions options, Configuration conf) {
    super(file, limits, conf);
    this.options = options;
  }

  @Override
  protected boolean advance() throws IOException {
    if (reader == null && !openReader()) return false;
    while (rowsLeft == 0 && tooLargeLeft == 0) {
      if (!nextRowGroup()) return false;
    }
    row++;
    String rowId = file.id() + "#row=" + row;
    if (tooLargeLeft > 0) {
      tooLargeLeft--;
      reject(rowId, ReadReasons.TOO_LARGE, tooLargeDetail, "");
      return true;
    }
    rowsLeft--;
    Group g = rows.read();
    String textCol = options.textColumn();
    if (g.getFieldRepetitionCount(textCol) == 0) {
      reject(rowId, ReadReasons.MISSING_TEXT, "column '" + textCol + "' is null", "");
      return true;
    }
    String id = rowId;
    if (hasId && g.getFieldRepetitionCount(options.idColumn()) > 0) {
      String key = g.getValueToString(g.getType().getFieldIndex(options.idColumn()), 0);
      if (seenIds.add(key)) id = file.id() + "#id=" + key;
    }
    Binary cell = g.getBinary(textCol, 0);
    if (cell.length() > limits.maxDocBytes()) {
      // The head only: decoding a cell of hundreds of MB to a String doubles its memory for
      // nothing.
      int head = (int) Math.min(cell.length(), 4L * limits.rejectedTextMaxChars());
      byte[] bytes = cell.getBytesUnsafe();
      reject(
          id,
          ReadReasons.TOO_LARGE,
          cell.length() + " bytes > max_doc_bytes " + limits.maxDocBytes(),
          decode(bytes, head, false));
      return true;
    }
    emit(id, null, cell.toStringUsingUTF8()); // invalid UTF-8 becomes U+FFFD
    return true;
  }

  /** Start the next row group, or count one that is too large to read; false after the last. */
  private boolean nextRowGroup() throws IOException {
    if (++rowGroup >= rowGroups.size()) return false;
    BlockMetaData block = rowGroups.get(rowGroup);
    long textBytes = 0;
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (c.getPath().toDotString().equals(options.textColumn()))
        textBytes += c.getTotalUncompressedSize();
    }
    if (textBytes > options.maxRowGroupTextBytes()) {
      reader.skipNextRowGroup();
      tooLargeLeft = block.getRowCount();
      tooLargeDetail =
          "row group "
              + rowGroup
              + " holds "
              + textBytes
              + " bytes of text (uncompressed) > "
              + "parquet_max_row_group_text_bytes "
              + options.maxRowGroupTextBytes()
              + "; not read";
      return true;
    }
    PageReadStore pages = reader.readNextRowGroup();
    if (pages == null) return false;
    rows = columnIO.getRecordReader(pages, new GroupRecordConverter(projection));
    rowsLeft = pages.getRowCount();
    return true;
  }

  /**
   * Read the footer, project onto the text and id columns; false (with a rejection) if there is no
   * text column.
   */
  private boolean openReader() throws IOException {
    Path path = new Path(file.path());
    reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf()));
    MessageType schema = reader.getFileMetaData().getSchema();
    String textCol = options.textColumn();
    if (!schema.containsField(textCol) || !isString(schema.getType(textCol))) {
      String why =
          schema.containsField(textCol)
              ? "column '" + textCol + "' is not a string column"
              : "no column '"
                  + textCol
                  + "' in schema "
                  + schema.getFields().stream().map(Type::getName).toList();
      reject(file.id(), ReadReasons.MISSING_TEXT, why, "");
      return false;
    }
    List<Type> columns = new ArrayList<>(List.of(schema.getType(textCol)));
    String idCol = options.idColumn();
    hasId = !idCol.isEmpty() && schema.containsField(idCol) && schema.getType(idCol).isPrimitive();
    if (hasId && !idCol.equals(textCol)) columns.add(schema.getType(idCol));
    projection = new MessageType(schema.getName(), columns);
    reader.setRequestedSchema(projection);
    columnIO = new ColumnIOFactory().getColumnIO(projection, schema);
    rowGroups = reader.getRowGroups();
    return true;
  }

  private static boolean isString(Type t) {
    return t.isPrimitive()
        && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && t.getRepetition() != Type.Repetition.REPEATED;
  }

  @Override
  protected String failureId() {
    return row < 0 ? file.id() : file.id() + "#row=" + (row + 1);
  }

  @Override
  public void close() {
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
