package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

/** Arrays through Spark's Kryo as training configures it: raw bytes, same values and shape. */
class ArrayKryoRegistratorTest {
  private final SerializerInstance kryo =
      new KryoSerializer(ParameterAveraging.sparkConf()).newInstance();

  private <T> T roundTrip(T value) {
    ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
  }

  @Test
  void arraysOfEveryLayoutComeBackEqual() {
    INDArray m = Nd4j.rand(DataType.FLOAT, 5, 7);
    INDArray[] arrays = {
      m,
      m.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5)), // a view with an offset and strides
      m.dup('f'),
      Nd4j.rand(DataType.DOUBLE, 2, 3, 4),
      Nd4j.createFromArray(new int[] {1, -2, 3}),
      Nd4j.createFromArray(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}),
      Nd4j.scalar(2.5f), // ND4J's own format
      Nd4j.create(DataType.FLOAT, 0, 3), // empty: ND4J's own format
      Nd4j.createFromArray(true, false), // another type: ND4J's own format
    };
    for (INDArray a : arrays) {
      INDArray back = roundTrip(a);
      assertEquals(a.dataType(), back.dataType());
      assertArrayEquals(a.shape(), back.shape());
      assertEquals(a, back, "round trip of " + a.shapeInfoToString());
    }
  }

  @Test
  void aRoundResultKeepsItsParametersAndAdamStateExactly() {
    INDArray params = Nd4j.randn(DataType.FLOAT, 1, 100_000);
    INDArray state = Nd4j.randn(DataType.FLOAT, 1, 200_000);
    ParameterAveragingTrainingResult back =
        roundTrip(new ParameterAveragingTrainingResult(params, state, 1.5, null, null, null));
    assertEquals(params, back.getParameters());
    assertEquals(state, back.getUpdaterState());
    assertEquals(1.5, back.getScore());
    // the driver averages in place on what came back
    INDArray sum = back.getParameters().addi(params).divi(2);
    assertEquals(params, sum);
    back.getUpdaterState().assign(state.mul(3));
    assertEquals(state.mul(3), back.getUpdaterState());
  }

  @Test
  void aCorruptedHeaderIsRefusedBeforeAllocating() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 3, 3);
    ByteBuffer bytes = kryo.serialize(a, ClassTag$.MODULE$.apply(Object.class));
    byte[] b = new byte[bytes.remaining()];
    bytes.get(b);
    // the class id, the format byte, then the type name (ASCII): break the format byte
    int format = indexOf(b, "FLOA".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) - 1;
    assertEquals(1, b[format]);
    b[format] = 7;
    Exception e =
        assertThrows(
            Exception.class,
            () -> kryo.deserialize(ByteBuffer.wrap(b), ClassTag$.MODULE$.apply(Object.class)));
    assertTrue(String.valueOf(e.getMessage()).contains("unknown array format 7"), e.toString());
  }

  private static int indexOf(byte[] b, byte[] part) {
    for (int i = 0; i + part.length <= b.length; i++) {
      if (java.util.Arrays.equals(b, i, i + part.length, part, 0, part.length)) return i;
    }
    throw new AssertionError("not found");
  }
}
