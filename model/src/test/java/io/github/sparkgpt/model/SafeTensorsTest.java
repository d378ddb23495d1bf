package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The checked reader: every malformed header is one line naming the file and the tensor. */
class SafeTensorsTest {

  private static final long REAL = Long.MIN_VALUE;

  /**
   * A file with {@code header} as its JSON header (declared length {@code declared}, or {@link
   * #REAL}) and {@code dataBytes} zero bytes.
   */
  private static Path file(Path dir, String header, long declared, int dataBytes)
      throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(declared == REAL ? json.length : declared)
            .array());
    out.write(json);
    out.write(new byte[dataBytes]);
    Path f = dir.resolve("t" + System.nanoTime() + ".safetensors");
    Files.write(f, out.toByteArray());
    return f;
  }

  private static String refusal(Path f) {
    String m = assertThrows(IOException.class, () -> SafeTensors.read(f)).getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.startsWith(f.toString()), m);
    return m.substring(f.toString().length() + 2);
  }

  @Test
  void writeThenReadRoundTrips(@TempDir Path dir) throws IOException {
    Map<String, INDArray> t = new LinkedHashMap<>();
    t.put("a", Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 4));
    t.put("b", Nd4j.createFromArray(1f, 2f));
    SafeTensors.write(dir.resolve("x.safetensors"), t, Map.of("format", "pt"));
    Map<String, INDArray> back = SafeTensors.read(dir.resolve("x.safetensors"));
    assertEquals(t, back);
    assertEquals(0, SafeTensors.header(dir.resolve("x.safetensors")).get("a").begin());
  }

  @Test
  void headerTooBigOrPastTheEnd(@TempDir Path dir) throws IOException {
    assertEquals(
        "header length 200000000 is outside 2..100000000 bytes",
        refusal(file(dir, "{}", 200_000_000L, 0)));
    assertEquals(
        "header length 5000 runs past the end of the file (10 bytes)",
        refusal(file(dir, "{}", 5000, 0)));
    assertEquals(
        "header length 18446744073709551615 is outside 2..100000000 bytes",
        refusal(file(dir, "{}", -1L, 0)));
    assertTrue(refusal(file(dir, "[1]", REAL, 0)).equals("header is not a JSON object"));
  }

  @Test
  void offsetsOutsideTheFileOverlapsAndHoles(@TempDir Path dir) throws IOException {
    assertEquals(
        "tensor a: data_offsets [0, 64] lie outside the 16 data bytes",
        refusal(
            file(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":[0,64]}}",
                REAL,
                16)));
    assertEquals(
        "tensor a: data_offsets [-4, 0] lie outside the 16 data bytes",
        refusal(
            file(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}",
                REAL,
                16)));
    assertEquals(
        "tensor b overlaps a",
        refusal(
            file(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                REAL,
                12)));
    assertEquals(
        "bytes 0..4 of the data belong to no tensor",
        refusal(
            file(
                dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", REAL, 8)));
    assertEquals(
        "the tensors cover 4 of the 8 data bytes",
        refusal(
            file(
                dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", REAL, 8)));
  }

  @Test
  void wrongDtypeAndShapes(@TempDir Path dir) throws IOException {
    assertEquals(
        "tensor a has dtype F16, only F32 is supported",
        refusal(
            file(
                dir, "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", REAL, 4)));
    assertEquals(
        "tensor a: shape [3] needs 3 x 4 bytes but data_offsets hold 8",
        refusal(
            file(
                dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", REAL, 8)));
    assertEquals(
        "tensor a: shape [-1,-2] has a size that is not a non-negative integer",
        refusal(
            file(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1,-2],\"data_offsets\":[0,8]}}",
                REAL,
                8)));
    assertEquals(
        "tensor a: shape [4294967296,4294967296] is too large",
        refusal(
            file(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
                REAL,
                8)));
    assertEquals(
        "tensor a: data_offsets is not [begin, end]",
        refusal(file(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", REAL, 8)));
  }
}
