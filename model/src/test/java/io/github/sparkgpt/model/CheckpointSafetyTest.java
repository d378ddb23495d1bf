package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

class CheckpointSafetyTest {

  private static final byte[] TOKENIZER =
      "{\"model\":{\"type\":\"BPE\"}}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Its readObject records that Java deserialization ran. */
  static final class Sentinel implements Serializable {
    static volatile boolean deserialized;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized = true;
    }
  }

  @BeforeEach
  void reset() {
    Sentinel.deserialized = false;
  }

  private static Path saved(Path dir) throws IOException {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-2, 5);
    new Checkpoint(net, TOKENIZER, 64, new TrainingState().setStep(1)).save(dir);
    return dir;
  }

  private static byte[] serialized(Object o) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  /** A serialized Sentinel renamed to a class of the same name length that does not exist. */
  private static byte[] serializedMissingClass() throws IOException {
    String real = Sentinel.class.getName();
    String missing = real.substring(0, real.length() - 8) + "Missing1";
    byte[] bytes = serialized(new Sentinel());
    String latin = new String(bytes, StandardCharsets.ISO_8859_1).replace(real, missing);
    return latin.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries()))
        m.put(e.getName(), z.getInputStream(e).readAllBytes());
    }
    return m;
  }

  private static void writeZip(Path zip, List<Map.Entry<String, byte[]>> entries)
      throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> e : entries) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }

  /** What someone who edits model.zip and also rewrites checkpoint.json's digests leaves behind. */
  private static void rerecordDigests(Path dir) throws IOException {
    ObjectNode meta = (ObjectNode) JSON.readTree(dir.resolve(Checkpoint.META).toFile());
    FileDigests.Digest d = FileDigests.of(dir.resolve(Checkpoint.MODEL));
    ((ObjectNode) meta.get("files").get(Checkpoint.MODEL))
        .put("size", d.size())
        .put("sha256", d.sha256());
    Files.writeString(dir.resolve(Checkpoint.META), JSON.writeValueAsString(meta));
  }

  private static void addEntry(Path dir, String name, byte[] bytes) throws IOException {
    List<Map.Entry<String, byte[]>> list =
        new ArrayList<>(entries(dir.resolve(Checkpoint.MODEL)).entrySet());
    list.add(Map.entry(name, bytes));
    writeZip(dir.resolve(Checkpoint.MODEL), list);
    rerecordDigests(dir);
  }

  private static IOException refused(Path dir) {
    return assertThrows(IOException.class, () -> Checkpoint.load(dir));
  }

  @Test
  void plantedPreprocessorIsRefusedWithoutBeingDeserialized(@TempDir Path tmp) throws IOException {
    for (byte[] planted :
        List.of(
            serialized(new Sentinel()),
            serialized(new HashMap<>(Map.of("a", 1))),
            serializedMissingClass())) {
      Path dir = saved(tmp.resolve("cp" + System.nanoTime()));
      addEntry(dir, "preprocessor.bin", planted);
      IOException e = refused(dir);
      assertEquals(
          "model.zip: entry 'preprocessor.bin' is not one this project writes (allowed:"
              + " configuration.json, coefficients.bin, updaterState.bin)",
          e.getMessage());
      assertFalse(Sentinel.deserialized);
    }
    // the test can fail: DL4J's own loader does deserialize the planted object
    Path dir = saved(tmp.resolve("dl4j"));
    addEntry(dir, "preprocessor.bin", serialized(new Sentinel()));
    try {
      ModelSerializer.restoreComputationGraph(dir.resolve(Checkpoint.MODEL).toFile(), true);
    } catch (RuntimeException expected) {
      // Sentinel is not a DataSetPreProcessor: the cast fails after readObject ran
    }
    assertTrue(Sentinel.deserialized, "ModelSerializer deserializes preprocessor.bin");
  }

  @Test
  void aChangedModelZipIsRefusedByItsDigestBeforeItIsOpened(@TempDir Path tmp) throws IOException {
    Path dir = saved(tmp);
    byte[] zip = Files.readAllBytes(dir.resolve(Checkpoint.MODEL));
    zip[zip.length / 2] ^= 1;
    Files.write(dir.resolve(Checkpoint.MODEL), zip);
    IOException e = refused(dir);
    assertTrue(
        e.getMessage()
            .startsWith(dir.resolve(Checkpoint.MODEL) + " does not match checkpoint.json"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    Path other = saved(tmp.resolve("other"));
    addEntry(other, "preprocessor.bin", serialized(new Sentinel()));
    Files.copy(
        other.resolve(Checkpoint.MODEL),
        dir.resolve(Checkpoint.MODEL),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(refused(dir).getMessage().contains("does not match"));
    assertFalse(Sentinel.deserialized);
  }

  @Test
  void everyListedFileIsVerified(@TempDir Path tmp) throws IOException {
    Path dir = saved(tmp);
    Files.writeString(
        dir.resolve(Checkpoint.CONFIG), Files.readString(dir.resolve(Checkpoint.CONFIG)) + " ");
    assertTrue(
        refused(dir).getMessage().startsWith(dir.resolve(Checkpoint.CONFIG) + " does not match"));

    Path traversal = saved(tmp.resolve("t"));
    ObjectNode meta = (ObjectNode) JSON.readTree(traversal.resolve(Checkpoint.META).toFile());
    ((ObjectNode) meta.get("files")).putObject("../x").put("size", 1).put("sha256", "00");
    Files.writeString(traversal.resolve(Checkpoint.META), JSON.writeValueAsString(meta));
    assertTrue(refused(traversal).getMessage().contains("'../x', which is not a plain file name"));
  }

  @Test
  void oversizeEntriesAreRefusedByTheBytesThatStreamNotTheHeader(@TempDir Path tmp)
      throws IOException {
    Path dir = saved(tmp);
    Map<String, byte[]> e = entries(dir.resolve(Checkpoint.MODEL));
    // 2 MiB of whitespace compresses to a few KB: only counting the inflated bytes catches it
    byte[] padded =
        (new String(e.get("configuration.json"), StandardCharsets.UTF_8) + " ".repeat(2 << 20))
            .getBytes(StandardCharsets.UTF_8);
    e.put("configuration.json", padded);
    writeZip(dir.resolve(Checkpoint.MODEL), new ArrayList<>(e.entrySet()));
    rerecordDigests(dir);
    assertEquals(
        "model.zip: entry 'configuration.json' is larger than its cap of 1048576 bytes",
        refused(dir).getMessage());

    Path big = saved(tmp.resolve("big"));
    Map<String, byte[]> b = entries(big.resolve(Checkpoint.MODEL));
    byte[] coeff = b.get("coefficients.bin");
    b.put(
        "coefficients.bin",
        java.util.Arrays.copyOf(coeff, coeff.length * 3)); // 3x the float parameters
    writeZip(big.resolve(Checkpoint.MODEL), new ArrayList<>(b.entrySet()));
    rerecordDigests(big);
    assertTrue(
        refused(big)
            .getMessage()
            .startsWith("model.zip: entry 'coefficients.bin' is larger than its cap"));
  }

  @Test
  void compressedBytesThatInflateToNothingAreCappedToo(@TempDir Path tmp) throws IOException {
    Path dir = saved(tmp);
    byte[] json = entries(dir.resolve(Checkpoint.MODEL)).get("configuration.json");
    // raw deflate: 250,000 empty stored blocks (5 bytes each, no output), then the real
    // configuration
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    byte[] empty = {0, 0, 0, (byte) 0xff, (byte) 0xff};
    for (int i = 0; i < 250_000; i++) data.write(empty);
    java.util.zip.Deflater d =
        new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(json);
    d.finish();
    byte[] buf = new byte[json.length + 1024];
    data.write(buf, 0, d.deflate(buf));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(json);
    byte[] name = "configuration.json".getBytes(StandardCharsets.US_ASCII);
    java.nio.ByteBuffer h =
        java.nio.ByteBuffer.allocate(30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    h.putInt(0x04034b50)
        .putShort((short) 20)
        .putShort((short) 0)
        .putShort((short) 8)
        .putShort((short) 0)
        .putShort((short) 0)
        .putInt((int) crc.getValue())
        .putInt(data.size())
        .putInt(json.length)
        .putShort((short) name.length)
        .putShort((short) 0);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    zip.write(h.array());
    zip.write(name);
    data.writeTo(zip);
    Files.write(dir.resolve(Checkpoint.MODEL), zip.toByteArray());
    rerecordDigests(dir);
    assertEquals(
        "model.zip: entry 'configuration.json' is larger than its compressed cap of "
            + (ModelZip.MAX_CONFIGURATION_BYTES + ModelZip.COMPRESSION_SLACK_BYTES)
            + " bytes",
        refused(dir).getMessage());
  }

  @Test
  void anArrayHeaderDeclaringMoreValuesIsRefusedBeforeAllocation(@TempDir Path tmp)
      throws IOException {
    Path dir = saved(tmp);
    Map<String, byte[]> e = entries(dir.resolve(Checkpoint.MODEL));
    byte[] coeff = e.get("coefficients.bin");
    // data buffer header: UTF "MIXED_DATA_TYPES", then the long length; the shape buffer is
    // 2+16+8+2+4+8*8 bytes
    int lengthAt = 2 + 16 + 8 + 2 + 4 + 64 + 2 + 16;
    java.nio.ByteBuffer.wrap(coeff).putLong(lengthAt, Long.MAX_VALUE / 16);
    writeZip(dir.resolve(Checkpoint.MODEL), new ArrayList<>(e.entrySet()));
    rerecordDigests(dir);
    String m = refused(dir).getMessage();
    assertTrue(
        m.startsWith("model.zip: entry 'coefficients.bin' declares 576460752303423487 values"), m);
  }

  @Test
  void aConfigurationDeclaringAHugeModelIsRefusedBeforeAnyArrayIsRead(@TempDir Path tmp)
      throws IOException {
    Path dir = saved(tmp);
    Map<String, byte[]> e = entries(dir.resolve(Checkpoint.MODEL));
    String json = new String(e.get("configuration.json"), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"wte\" : [ 64, 32 ]"));
    // the layer's cached parameter shapes decide the parameter count: 64e9 x 32 values
    e.put(
        "configuration.json",
        json.replace("\"wte\" : [ 64, 32 ]", "\"wte\" : [ 64000000000, 32 ]")
            .getBytes(StandardCharsets.UTF_8));
    writeZip(dir.resolve(Checkpoint.MODEL), new ArrayList<>(e.entrySet()));
    rerecordDigests(dir);
    String m = refused(dir).getMessage();
    assertTrue(
        m.startsWith("model.zip: configuration.json declares 2048000"), m); // exact, not wrapped
    assertTrue(m.contains("more than the 500000000 a checkpoint may have"), m);
  }

  @Test
  void duplicateAndPathTrickEntriesAreRefused(@TempDir Path tmp) throws IOException {
    Path dir = saved(tmp);
    Map<String, byte[]> e = entries(dir.resolve(Checkpoint.MODEL));
    List<Map.Entry<String, byte[]>> list = new ArrayList<>(e.entrySet());
    list.add(Map.entry("coefficients.biX", e.get("coefficients.bin")));
    writeZip(dir.resolve(Checkpoint.MODEL), list);
    // ZipOutputStream refuses duplicate names; rename the extra entry in place (local and central
    // headers)
    byte[] zip = Files.readAllBytes(dir.resolve(Checkpoint.MODEL));
    String latin =
        new String(zip, StandardCharsets.ISO_8859_1)
            .replace("coefficients.biX", "coefficients.bin");
    Files.write(dir.resolve(Checkpoint.MODEL), latin.getBytes(StandardCharsets.ISO_8859_1));
    rerecordDigests(dir);
    assertEquals("model.zip: entry 'coefficients.bin' occurs twice", refused(dir).getMessage());

    for (String trick :
        List.of("../configuration.json", "/coefficients.bin", "sub/updaterState.bin")) {
      Path d = saved(tmp.resolve("t" + System.nanoTime()));
      addEntry(d, trick, new byte[] {1});
      assertTrue(
          refused(d)
              .getMessage()
              .startsWith("model.zip: entry '" + trick + "' is not one this project writes"));
    }
  }

  @Test
  void configurationClassesOutsideTheAllowlistAreRefused(@TempDir Path tmp) throws IOException {
    String[][] cases = {
      {
        "\"org.nd4j.linalg.learning.config.Adam\"",
        "\"org.nd4j.linalg.learning.config.Nesterovs\"",
        "names class \"org.nd4j.linalg.learning.config.Nesterovs\""
      },
      {
        "\"preProcessor\" : null",
        "\"preProcessor\" : {\"@class\" : \"java.util.HashMap\"}",
        "$.vertices.lm.preProcessor names class \"java.util.HashMap\""
      },
      {
        "\"preProcessor\" : null",
        "\"preProcessor\" : {\"cnnToFeedForward\" : {}}",
        "$.vertices.lm.preProcessor names no @class"
      },
      {
        "\"outputVertex\" : false",
        "\"@type\" : \"x\", \"outputVertex\" : false",
        "$.vertices.lm has type field @type"
      },
      // DL4J would take the first @class, a tree the last: duplicates are refused
      {
        "\"@class\" : \"io.github.sparkgpt.model.GptLmLayer\"",
        "\"@class\" : \"java.util.HashMap\", \"@class\" : \"io.github.sparkgpt.model.GptLmLayer\"",
        "configuration.json is not valid JSON: Duplicate field '@class'"
      },
    };
    for (String[] c : cases) {
      Path dir = saved(tmp.resolve("c" + System.nanoTime()));
      Map<String, byte[]> e = entries(dir.resolve(Checkpoint.MODEL));
      String json = new String(e.get("configuration.json"), StandardCharsets.UTF_8);
      assertTrue(json.contains(c[0]), c[0]);
      e.put("configuration.json", json.replace(c[0], c[1]).getBytes(StandardCharsets.UTF_8));
      writeZip(dir.resolve(Checkpoint.MODEL), new ArrayList<>(e.entrySet()));
      rerecordDigests(dir);
      String m = refused(dir).getMessage();
      assertTrue(m.contains(c[2]), m);
    }
  }

  @Test
  void checkpointsWithoutDigestsLoadUnverifiedAndSaySo(@TempDir Path tmp) throws IOException {
    Path dir = saved(tmp);
    ComputationGraph original = Checkpoint.load(dir).network();
    // exactly what this class wrote before digests: format 1, no files, no lineage
    ObjectNode meta = (ObjectNode) JSON.readTree(dir.resolve(Checkpoint.META).toFile());
    meta.put("format", 1);
    meta.remove("files");
    meta.remove("lineage");
    Files.writeString(dir.resolve(Checkpoint.META), JSON.writeValueAsString(meta));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    Checkpoint cp;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      cp = Checkpoint.load(dir);
    } finally {
      System.setErr(old);
    }
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("checkpoint " + dir + ": unverified"),
        err.toString());
    assertFalse(cp.verified());
    INDArray x = GptBatch.fromSequences(new int[][] {{1, 2, 3}}, 8).getFeatures();
    assertEquals(original.outputSingle(x), cp.network().outputSingle(x));
    assertEquals(Checkpoint.digest(dir), cp.digest());

    // the zip checks still apply to them
    addEntryLegacy(dir, "preprocessor.bin", serialized(new Sentinel()));
    assertTrue(
        refused(dir).getMessage().contains("'preprocessor.bin' is not one this project writes"));
    assertFalse(Sentinel.deserialized);
  }

  private static void addEntryLegacy(Path dir, String name, byte[] bytes) throws IOException {
    List<Map.Entry<String, byte[]>> list =
        new ArrayList<>(entries(dir.resolve(Checkpoint.MODEL)).entrySet());
    list.add(Map.entry(name, bytes));
    writeZip(dir.resolve(Checkpoint.MODEL), list);
  }

  @Test
  void digestIsTheSha256sumListingOfTheThreeFilesAndLineageRoundTrips(@TempDir Path tmp)
      throws IOException {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-2, 5);
    Lineage lineage =
        new Lineage("pretrain")
            .withData("ab12", "/data/pre")
            .withParent("cd34", "/runs/a/step-000010")
            .withInput("task/train.jsonl", "ef56");
    Checkpoint cp = new Checkpoint(net, TOKENIZER, 64, null).withLineage(lineage);
    cp.save(tmp);
    StringBuilder listing = new StringBuilder();
    for (String f :
        new TreeMap<>(Map.of("config.json", 0, "model.zip", 0, "tokenizer.json", 0)).keySet()) {
      listing.append(FileDigests.sha256(tmp.resolve(f))).append("  ").append(f).append('\n');
    }
    String expected = FileDigests.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, cp.digest());
    assertEquals(expected, Checkpoint.digest(tmp));

    Checkpoint loaded = Checkpoint.load(tmp);
    assertTrue(loaded.verified());
    assertEquals(expected, loaded.digest());
    assertEquals("pretrain", loaded.lineage().producedBy());
    assertEquals("ab12", loaded.lineage().dataManifestSha256());
    assertEquals("/data/pre", loaded.lineage().data());
    assertEquals("cd34", loaded.lineage().parentCheckpointSha256());
    assertEquals(Map.of("task/train.jsonl", "ef56"), loaded.lineage().inputs());
    var files = JSON.readTree(tmp.resolve(Checkpoint.META).toFile()).get("files");
    assertEquals(Files.size(tmp.resolve("model.zip")), files.get("model.zip").get("size").asLong());
    assertEquals(
        FileDigests.sha256(tmp.resolve("model.zip")),
        files.get("model.zip").get("sha256").asText());
  }

  @Test
  void taskNetworksLoadThroughTheCheckedReader(@TempDir Path tmp) throws IOException {
    ComputationGraph lm = GptModel.create(GptConfig.tiny(), 1e-2, 5);
    ComputationGraph task =
        GptTaskModel.fromPretrained(
            lm,
            GptTaskLayer.Mode.values()[0],
            3,
            0.5,
            1,
            new org.nd4j.linalg.learning.config.Adam(1e-3),
            7);
    new Checkpoint(task, TOKENIZER, 64, null).save(tmp);
    Checkpoint loaded = Checkpoint.load(tmp);
    assertEquals(task.params(), loaded.network().params());
    assertEquals(
        task.getUpdater().getStateViewArray(), loaded.network().getUpdater().getStateViewArray());
  }
}
