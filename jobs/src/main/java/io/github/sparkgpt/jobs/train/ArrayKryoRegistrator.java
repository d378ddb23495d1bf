package io.github.sparkgpt.jobs.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's Kryo registrations, with arrays written as their raw bytes.
 *
 * <p>Why: every averaging round moves each worker's parameters and Adam state (12 bytes per
 * parameter) through Kryo twice, and ND4J's serializer writes and reads them one element at a time
 * through a DataOutputStream: on {@code small} with 2 workers on local[2] that was about half of
 * all Java time in the job. Arrays of other types, empty arrays and scalars keep ND4J's format.
 */
public class ArrayKryoRegistrator extends Nd4jRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    super.registerClasses(kryo);
    kryo.register(Nd4j.getBackend().getNDArrayClass(), new RawArraySerializer());
  }

  /** [format byte] then, for raw arrays: type, rank, shape, then the c-order bytes. */
  static final class RawArraySerializer extends Serializer<INDArray> {
    private static final byte ND4J = 0, RAW = 1;
    private static final Set<DataType> RAW_TYPES =
        Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.INT64, DataType.HALF);
    private static final int CHUNK = 1 << 20, MAX_RANK = 32;

    private final Nd4jSerializer nd4j = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output out, INDArray array) {
      if (!RAW_TYPES.contains(array.dataType()) || array.isEmpty() || array.rank() == 0) {
        out.writeByte(ND4J);
        nd4j.write(kryo, out, array);
        return;
      }
      out.writeByte(RAW);
      INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
      out.writeString(c.dataType().name());
      out.writeVarInt(c.rank(), true);
      for (long d : c.shape()) out.writeVarLong(d, true);
      ByteBuffer bytes = bytes(c);
      byte[] chunk = new byte[(int) Math.min(CHUNK, bytes.remaining())];
      while (bytes.hasRemaining()) {
        int n = Math.min(chunk.length, bytes.remaining());
        bytes.get(chunk, 0, n);
        out.writeBytes(chunk, 0, n);
      }
    }

    @Override
    public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
      byte format = in.readByte();
      if (format == ND4J) return nd4j.read(kryo, in, type);
      if (format != RAW) throw new KryoException("unknown array format " + format);
      DataType dt = DataType.valueOf(in.readString());
      if (!RAW_TYPES.contains(dt)) throw new KryoException("unexpected array type " + dt);
      int rank = in.readVarInt(true);
      if (rank < 1 || rank > MAX_RANK) throw new KryoException("array rank out of range: " + rank);
      long[] shape = new long[rank];
      long length = 1;
      for (int i = 0; i < rank; i++) {
        shape[i] = in.readVarLong(true);
        if (shape[i] < 0) throw new KryoException("negative array dimension: " + shape[i]);
        length = Math.multiplyExact(length, shape[i]);
      }
      INDArray array =
          dt == DataType.FLOAT && length > 0
              ? unzeroedFloats(shape, length)
              : Nd4j.createUninitialized(dt, shape, 'c');
      if (length == 0) return array;
      ByteBuffer bytes = bytes(array);
      byte[] chunk = new byte[(int) Math.min(CHUNK, bytes.remaining())];
      while (bytes.hasRemaining()) {
        int n = Math.min(chunk.length, bytes.remaining());
        in.readBytes(chunk, 0, n);
        bytes.put(chunk, 0, n);
      }
      return array;
    }

    /**
     * A c-order float array on memory that is not cleared first: ND4J's uninitialized arrays are
     * still zeroed on one thread, and on the driver that is every worker's parameters and Adam
     * state each round (51 MB per worker on {@code small}), while the slower worker is still
     * training.
     */
    private static INDArray unzeroedFloats(long[] shape, long length) {
      FloatPointer memory = new FloatPointer(length);
      return Nd4j.create(
          Nd4j.createBuffer(memory, DataType.FLOAT, length, FloatIndexer.create(memory)),
          shape,
          Nd4j.getStrides(shape, 'c'),
          0,
          'c');
    }

    /** The array's own bytes (offset and length) in its buffer, in the platform's byte order. */
    private static ByteBuffer bytes(INDArray c) {
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        throw new KryoException("raw array transfer assumes a little-endian platform");
      }
      long width = c.dataType().width();
      ByteBuffer all = c.data().asNio();
      int from = Math.toIntExact(c.offset() * width);
      int to = Math.toIntExact(from + c.length() * width);
      return all.duplicate().limit(to).position(from);
    }
  }
}
