package io.github.sparkgpt.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors file format (Hugging Face): u64 little-endian header length, a JSON header mapping each tensor
 * name to dtype, shape and byte offsets, then the raw little-endian data. Float32 only.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /** Writes the tensors (in map order) as F32. */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) header.set("__metadata__", JSON.valueToTree(metadata));
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            long bytes = e.getValue().length() * 4;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            t.set("shape", JSON.valueToTree(e.getValue().shape()));
            t.set("data_offsets", JSON.valueToTree(new long[]{offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;                      // data starts 8-byte aligned
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

    /** Reads every F32 tensor of a safetensors file, in header order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        JsonNode header = JSON.readTree(new String(all, 8, headerLen, StandardCharsets.UTF_8));
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            if (!"F32".equals(e.getValue().path("dtype").asText())) throw new IOException(e.getKey() + ": only F32 is supported");
            long[] shape = JSON.treeToValue(e.getValue().path("shape"), long[].class);
            long start = e.getValue().path("data_offsets").get(0).asLong(), end = e.getValue().path("data_offsets").get(1).asLong();
            float[] v = new float[(int) ((end - start) / 4)];
            ByteBuffer.wrap(all, 8 + headerLen + (int) start, (int) (end - start)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            out.put(e.getKey(), Nd4j.create(v, shape, 'c'));
        }
        return out;
    }
}
