package io.github.sparkgpt.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the {@code model.zip} that DL4J's {@code ModelSerializer.writeModel(graph, file, true)}
 * writes for this project's graphs, without handing the zip to DL4J: {@code ModelSerializer}
 * Java-deserializes a {@code preprocessor.bin} entry and allocates every entry's declared size
 * before any check.
 *
 * <p>One streaming pass over the local entries, in the order ModelSerializer writes them: {@code
 * configuration.json} (classes checked by {@link ConfigurationClasses}), {@code coefficients.bin}
 * and {@code updaterState.bin} (ND4J arrays). Any other entry, a duplicate, or an entry larger than
 * its cap (compressed or uncompressed, counted as the bytes stream, not taken from the header) is
 * refused with one line naming it. The array caps follow from the configuration's parameter count;
 * each array's own header (element count, type) is checked before ND4J allocates it.
 */
public final class ModelZip {

  public static final String CONFIGURATION = "configuration.json";
  public static final String COEFFICIENTS = "coefficients.bin";
  public static final String UPDATER_STATE = "updaterState.bin";
  static final List<String> ENTRIES = List.of(CONFIGURATION, COEFFICIENTS, UPDATER_STATE);

  /** Our configurations are a few KB (a 12-layer model ~25 KB). */
  public static final long MAX_CONFIGURATION_BYTES = 1L << 20;

  /** Room for an ND4J array's headers (allocation mode, shape information) besides its data. */
  public static final long ARRAY_HEADER_BYTES = 4096;

  /**
   * Deflate can expand incompressible data slightly; the compressed cap is the uncompressed one
   * plus this.
   */
  public static final long COMPRESSION_SLACK_BYTES = 64 * 1024;

  /**
   * Parameters a configuration may declare: 4x GPT-1's 117M (with Adam state ~6 GB). The array caps
   * follow from the configuration, so this bounds what a hostile one can make us allocate. System
   * property {@code sparkgpt.checkpoint.maxParameters} raises it for larger models.
   */
  public static final long MAX_PARAMETERS =
      Long.getLong("sparkgpt.checkpoint.maxParameters", 500_000_000L);

  /** Widest element type an array may be stored as (double). */
  static final int MAX_ELEMENT_BYTES = 8;

  /**
   * Adam keeps two state values per parameter; the updater state is at most this many times the
   * parameters.
   */
  static final int MAX_UPDATER_STATE_PER_PARAM = 2;

  private static final int MAX_SHAPE_INFO = 2 * 32 + 4; // ND4J's shape information for rank <= 32

  private ModelZip() {}

  /** The network (with updater state when the zip has it) from a checked {@code model.zip}. */
  public static ComputationGraph read(Path zip) throws IOException {
    String name = zip.getFileName().toString();
    ComputationGraphConfiguration conf = null;
    long numParams = 0;
    INDArray params = null, updaterState = null;
    Set<String> seen = new HashSet<>();
    try (CountingStream file =
            new CountingStream(new BufferedInputStream(Files.newInputStream(zip)));
        ZipInputStream zin = new ZipInputStream(file)) {
      ZipEntry e;
      while ((e = zin.getNextEntry()) != null) {
        String entry = e.getName();
        if (!ENTRIES.contains(entry)) {
          throw new IOException(
              name
                  + ": entry '"
                  + printable(entry)
                  + "' is not one this project writes "
                  + "(allowed: "
                  + String.join(", ", ENTRIES)
                  + ")");
        }
        if (!seen.add(entry)) throw new IOException(name + ": entry '" + entry + "' occurs twice");
        if (!entry.equals(CONFIGURATION) && conf == null) {
          throw new IOException(name + ": entry '" + entry + "' comes before " + CONFIGURATION);
        }
        long cap =
            switch (entry) {
              case CONFIGURATION -> MAX_CONFIGURATION_BYTES;
              case COEFFICIENTS -> numParams * MAX_ELEMENT_BYTES + ARRAY_HEADER_BYTES;
              default ->
                  MAX_UPDATER_STATE_PER_PARAM * numParams * MAX_ELEMENT_BYTES + ARRAY_HEADER_BYTES;
            };
        CappedEntry in =
            new CappedEntry(zin, file, name, entry, cap, cap + COMPRESSION_SLACK_BYTES);
        switch (entry) {
          case CONFIGURATION -> {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            try {
              json = ConfigurationClasses.check(json);
            } catch (IOException ex) {
              throw new IOException(name + ": " + ex.getMessage(), ex);
            }
            try {
              conf = ComputationGraphConfiguration.fromJson(json);
              numParams = numParams(conf);
            } catch (RuntimeException ex) {
              throw new IOException(
                  name
                      + ": "
                      + CONFIGURATION
                      + " is not a network configuration: "
                      + ex.getMessage(),
                  ex);
            }
            if (numParams < 0) {
              throw new IOException(
                  name + ": " + CONFIGURATION + " declares a negative parameter size");
            }
            if (numParams > MAX_PARAMETERS) {
              throw new IOException(
                  name
                      + ": "
                      + CONFIGURATION
                      + " declares "
                      + numParams
                      + " parameters, more than the "
                      + MAX_PARAMETERS
                      + " a checkpoint may have "
                      + "(-Dsparkgpt.checkpoint.maxParameters)");
            }
          }
          case COEFFICIENTS -> params = readArray(in, name, entry, numParams);
          default ->
              updaterState = readArray(in, name, entry, MAX_UPDATER_STATE_PER_PARAM * numParams);
        }
      }
    } catch (ZipException ze) {
      throw new IOException(name + ": not a readable zip (" + ze.getMessage() + ")", ze);
    }
    if (conf == null) throw new IOException(name + ": no " + CONFIGURATION);
    if (params == null) throw new IOException(name + ": no " + COEFFICIENTS);
    if (params.length() != numParams) {
      throw new IOException(
          name
              + ": "
              + COEFFICIENTS
              + " holds "
              + params.length()
              + " values, the configuration "
              + numParams);
    }
    // as ModelSerializer.restoreComputationGraph does, from the checked parts
    conf.setDataType(params.dataType());
    ComputationGraph net = new ComputationGraph(conf);
    net.init(params, false);
    if (updaterState != null) {
      try {
        net.getUpdater().setStateViewArray(updaterState);
      } catch (RuntimeException ex) {
        throw new IOException(
            name + ": " + UPDATER_STATE + " does not fit the network: " + ex.getMessage(), ex);
      }
    }
    return net;
  }

  /**
   * Parameters of every layer vertex, from the configuration alone (nothing allocated). DL4J's own
   * count wraps around past 2^31 for a SameDiff layer; those are counted here from their declared
   * shapes, exactly (-1: a negative size; Long.MAX_VALUE: more than a long holds).
   */
  static long numParams(ComputationGraphConfiguration conf) {
    long n = 0;
    try {
      for (GraphVertex v : conf.getVertices().values()) {
        if (!(v instanceof LayerVertex lv)) continue;
        if (lv.getLayerConf().getLayer() instanceof AbstractSameDiffLayer sd) {
          for (long[] shape : sd.getLayerParams().getParamShapes().values()) {
            long size = 1;
            for (long d : shape) {
              if (d < 0) return -1;
              size = Math.multiplyExact(size, d);
            }
            n = Math.addExact(n, size);
          }
        } else {
          n =
              Math.addExact(
                  n, lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf()));
        }
      }
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return n;
  }

  /**
   * An ND4J array as {@code Nd4j.write} stores it: two buffers (shape information, then data), each
   * {@code UTF allocationMode, long length, UTF dataType, values}. The lengths are checked against
   * {@code maxElements} before {@code Nd4j.read} allocates anything.
   */
  private static INDArray readArray(InputStream in, String zip, String entry, long maxElements)
      throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 8192);
    buffered.mark(8192);
    DataInputStream d = new DataInputStream(buffered);
    d.readUTF();
    long shapeLength = d.readLong();
    String shapeType = d.readUTF();
    if (shapeLength < 0 || shapeLength > MAX_SHAPE_INFO || !shapeType.equals("LONG")) {
      throw new IOException(
          zip
              + ": entry '"
              + entry
              + "' is not an ND4J array (shape information "
              + shapeLength
              + " x "
              + printable(shapeType)
              + ")");
    }
    for (long i = 0; i < shapeLength; i++) d.readLong();
    d.readUTF();
    long length = d.readLong();
    String type = d.readUTF();
    if (length < 0 || length > maxElements) {
      throw new IOException(
          zip
              + ": entry '"
              + entry
              + "' declares "
              + length
              + " values, more than the "
              + maxElements
              + " the configuration allows");
    }
    if (!Set.of("FLOAT", "DOUBLE", "HALF", "BFLOAT16").contains(type)) {
      throw new IOException(
          zip + ": entry '" + entry + "' has data type " + printable(type) + ", not a float type");
    }
    buffered.reset();
    INDArray array = Nd4j.read(new DataInputStream(buffered));
    // drained through the caps, so an oversize entry is named as such
    if (buffered.transferTo(OutputStream.nullOutputStream()) > 0) {
      throw new IOException(zip + ": entry '" + entry + "' has bytes after its array");
    }
    return array;
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 120 ? p.substring(0, 120) + "..." : p;
  }

  /**
   * Counts the bytes read from the file, i.e. the compressed bytes consumed, and fails as soon as
   * the current entry's compressed cap is passed (the inflater may consume any amount of input for
   * no output).
   */
  private static final class CountingStream extends FilterInputStream {
    long count;
    private long limit = Long.MAX_VALUE;
    private String overLimit;

    CountingStream(InputStream in) {
      super(in);
    }

    void limit(long absolute, String message) {
      limit = absolute;
      overLimit = message;
    }

    private void counted(long n) throws IOException {
      count += n;
      if (count > limit) throw new IOException(overLimit);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) counted(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) counted(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      counted(s);
      return s;
    }
  }

  /**
   * One entry's bytes; fails as soon as more than its caps have streamed. Does not close the zip
   * stream.
   */
  private static final class CappedEntry extends InputStream {
    private final ZipInputStream zin;
    private final String zip, entry;
    private final long maxBytes;
    private long bytes;

    CappedEntry(
        ZipInputStream zin,
        CountingStream file,
        String zip,
        String entry,
        long maxBytes,
        long maxCompressed) {
      this.zin = zin;
      this.zip = zip;
      this.entry = entry;
      this.maxBytes = maxBytes;
      // the local header was already read; the 512-byte read-ahead of ZipInputStream is within the
      // slack
      file.limit(
          file.count + maxCompressed,
          zip
              + ": entry '"
              + entry
              + "' is larger than its compressed cap of "
              + maxCompressed
              + " bytes");
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = zin.read(b, off, (int) Math.min(len, maxBytes + 1 - bytes));
      if (n > 0) bytes += n;
      if (bytes > maxBytes) {
        throw new IOException(
            zip + ": entry '" + entry + "' is larger than its cap of " + maxBytes + " bytes");
      }
      return n;
    }
  }
}
