package io.github.sparkgpt.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The safetensors file format (Hugging Face): u64 little-endian header length, a JSON header
 * mapping each tensor name to dtype, shape and byte offsets, then the raw little-endian data.
 * Float32 only. Reading checks every header field before allocating ({@link #header}): the file may
 * come from anywhere.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** Writes the tensors (in map order) as F32. */
  public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) header.set("__metadata__", JSON.valueToTree(metadata));
    long offset = 0;
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      long bytes = e.getValue().length() * 4;
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      t.set("shape", JSON.valueToTree(e.getValue().shape()));
      t.set("data_offsets", JSON.valueToTree(new long[] {offset, offset + bytes}));
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // data starts 8-byte aligned
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(json);
      for (int i = json.length; i < padded; i++) out.write(' ');
      for (INDArray a : tensors.values()) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
      }
    }
  }

  /**
   * One tensor's header entry; offsets are relative to the start of the data (after the header).
   */
  public record TensorInfo(String dtype, long[] shape, long begin, long end) {
    public long elements() {
      long n = 1;
      for (long d : shape) n = Math.multiplyExact(n, d);
      return n;
    }
  }

  /**
   * The checked header of a safetensors file, in header order: header length within {@link
   * #MAX_HEADER_BYTES} and the file, every tensor F32 with a non-negative shape whose byte size
   * equals its offsets, offsets within the data, no two tensors overlapping, and the tensors
   * covering the data exactly (no hidden bytes). Each problem is one line naming the file and the
   * tensor.
   */
  public static Map<String, TensorInfo> header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(ch, file);
    }
  }

  /** Reads every tensor of a safetensors file (checked as in {@link #header}), in header order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Map<String, TensorInfo> header = header(ch, file);
      long dataStart = 8 + headerLength(ch, file);
      Map<String, INDArray> out = new LinkedHashMap<>();
      for (Map.Entry<String, TensorInfo> e : header.entrySet()) {
        out.put(e.getKey(), read(ch, dataStart, e.getValue()));
      }
      return out;
    }
  }

  /** Hugging Face's own limit on the JSON header. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static long headerLength(FileChannel ch, Path file) throws IOException {
    long size = ch.size();
    if (size < 8) throw new IOException(file + ": not a safetensors file (" + size + " bytes)");
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, len, 0, file);
    long headerLen = len.getLong(0);
    if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
      throw new IOException(
          file
              + ": header length "
              + Long.toUnsignedString(headerLen)
              + " is outside 2.."
              + MAX_HEADER_BYTES
              + " bytes");
    }
    if (headerLen > size - 8) {
      throw new IOException(
          file
              + ": header length "
              + headerLen
              + " runs past the end of the file ("
              + size
              + " bytes)");
    }
    return headerLen;
  }

  private static Map<String, TensorInfo> header(FileChannel ch, Path file) throws IOException {
    long headerLen = headerLength(ch, file);
    long dataLen = ch.size() - 8 - headerLen;
    ByteBuffer h = ByteBuffer.allocate((int) headerLen);
    readFully(ch, h, 8, file);
    JsonNode header;
    try {
      header = JSON.readTree(new String(h.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(
          file + ": header is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    if (header == null || !header.isObject())
      throw new IOException(file + ": header is not a JSON object");
    Map<String, TensorInfo> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) continue;
      out.put(e.getKey(), tensorInfo(file, e.getKey(), e.getValue(), dataLen));
    }
    List<Map.Entry<String, TensorInfo>> byOffset = new ArrayList<>(out.entrySet());
    byOffset.sort(
        Comparator.comparingLong((Map.Entry<String, TensorInfo> e) -> e.getValue().begin())
            .thenComparingLong(e -> e.getValue().end()));
    long covered = 0;
    String previous = null;
    for (Map.Entry<String, TensorInfo> e : byOffset) {
      if (e.getValue().begin() < covered) {
        throw new IOException(file + ": tensor " + e.getKey() + " overlaps " + previous);
      }
      if (e.getValue().begin() > covered) {
        throw new IOException(
            file
                + ": bytes "
                + covered
                + ".."
                + e.getValue().begin()
                + " of the data belong to no tensor");
      }
      covered = e.getValue().end();
      previous = e.getKey();
    }
    if (covered != dataLen) {
      throw new IOException(
          file + ": the tensors cover " + covered + " of the " + dataLen + " data bytes");
    }
    return out;
  }

  private static TensorInfo tensorInfo(Path file, String name, JsonNode t, long dataLen)
      throws IOException {
    String where = file + ": tensor " + name;
    if (!t.isObject()) throw new IOException(where + " is not described by an object");
    String dtype = t.path("dtype").asText("");
    if (!dtype.equals("F32"))
      throw new IOException(
          where + " has dtype " + (dtype.isEmpty() ? "(none)" : dtype) + ", only F32 is supported");
    JsonNode shapeNode = t.path("shape"), offsets = t.path("data_offsets");
    if (!shapeNode.isArray() || shapeNode.size() > 8)
      throw new IOException(where + ": shape is not an array of at most 8 sizes");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!shapeNode.get(i).canConvertToLong()
          || !shapeNode.get(i).isIntegralNumber()
          || shapeNode.get(i).asLong() < 0) {
        throw new IOException(
            where + ": shape " + shapeNode + " has a size that is not a non-negative integer");
      }
      shape[i] = shapeNode.get(i).asLong();
    }
    if (!offsets.isArray()
        || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber()
        || !offsets.get(1).isIntegralNumber()) {
      throw new IOException(where + ": data_offsets is not [begin, end]");
    }
    long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
    if (begin < 0 || end < begin || end > dataLen) {
      throw new IOException(
          where
              + ": data_offsets ["
              + begin
              + ", "
              + end
              + "] lie outside the "
              + dataLen
              + " data bytes");
    }
    TensorInfo info = new TensorInfo(dtype, shape, begin, end);
    long elements;
    try {
      elements = info.elements();
    } catch (ArithmeticException ex) {
      throw new IOException(where + ": shape " + shapeNode + " is too large");
    }
    if (elements > Integer.MAX_VALUE || elements * 4 != end - begin) {
      throw new IOException(
          where
              + ": shape "
              + shapeNode
              + " needs "
              + elements
              + " x 4 bytes but data_offsets hold "
              + (end - begin));
    }
    return info;
  }

  /** One checked tensor's values, read at its offsets. */
  private static INDArray read(FileChannel ch, long dataStart, TensorInfo t) throws IOException {
    ByteBuffer buf =
        ByteBuffer.allocate((int) (t.end() - t.begin())).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, buf, dataStart + t.begin(), null);
    float[] v = new float[(int) t.elements()];
    buf.flip();
    buf.asFloatBuffer().get(v);
    return Nd4j.create(v, t.shape(), 'c');
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0)
        throw new IOException(
            (file == null ? "safetensors file" : file.toString()) + " ended early");
      pos += n;
    }
  }
}
