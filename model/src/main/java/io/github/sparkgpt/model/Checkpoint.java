package io.github.sparkgpt.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A trained model in one directory: {@code model.zip} (DL4J network with updater state: a language model or a
 * fine-tuned {@link GptTaskModel} network), {@code config.json}
 * ({@link GptConfig}), {@code tokenizer.json} (the tokenizer's bytes, opaque to this module) and
 * {@code checkpoint.json} (tokenizer sha256 and vocabulary size, training state).
 *
 * <p>{@link #load} validates that network, config and tokenizer agree (vocabulary size, context length,
 * tokenizer hash) and fails with a message naming the mismatch.
 */
public final class Checkpoint {

    public static final String MODEL = "model.zip";
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String META = "checkpoint.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ComputationGraph network;
    private final GptConfig config;
    private final byte[] tokenizer;
    private final int tokenizerVocabSize;
    private final TrainingState state;

    /**
     * @param tokenizer          the tokenizer file's bytes (a Hugging Face tokenizer.json)
     * @param tokenizerVocabSize its vocabulary size, which must equal the model's
     */
    public Checkpoint(ComputationGraph network, byte[] tokenizer, int tokenizerVocabSize, TrainingState state) {
        this.network = network;
        this.config = GptModel.decoderConfigOf(network);
        this.tokenizer = tokenizer.clone();
        this.tokenizerVocabSize = tokenizerVocabSize;
        this.state = state == null ? new TrainingState() : state;
        if (tokenizerVocabSize != config.getVocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizerVocabSize + " tokens but the model's vocab_size is "
                    + config.getVocabSize() + ": build the model with the tokenizer's vocabulary size");
        }
    }

    public ComputationGraph network() { return network; }
    public GptConfig config() { return config; }
    public byte[] tokenizer() { return tokenizer.clone(); }
    public String tokenizerSha256() { return sha256(tokenizer); }
    public int tokenizerVocabSize() { return tokenizerVocabSize; }
    public TrainingState state() { return state; }

    /** Writes the four files into {@code dir} (created if needed; existing files are replaced). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ModelSerializer.writeModel(network, dir.resolve(MODEL).toFile(), true);
        Files.writeString(dir.resolve(CONFIG), config.toJson());
        Files.write(dir.resolve(TOKENIZER), tokenizer);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("tokenizer_sha256", tokenizerSha256());
        meta.put("tokenizer_vocab_size", tokenizerVocabSize);
        meta.put("vocab_size", config.getVocabSize());
        meta.put("context_length", config.getContextLength());
        meta.set("training", JSON.valueToTree(state));
        Files.writeString(dir.resolve(META), JSON.writeValueAsString(meta));
    }

    /** Loads and validates a checkpoint directory; the network comes back with its updater state. */
    public static Checkpoint load(Path dir) throws IOException {
        for (String f : new String[]{MODEL, CONFIG, TOKENIZER, META}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("not a checkpoint: " + dir + " has no " + f);
            }
        }
        JsonNode meta = JSON.readTree(dir.resolve(META).toFile());
        if (meta.path("format").asInt() != FORMAT) {
            throw new IOException(dir.resolve(META) + ": unsupported checkpoint format " + meta.path("format"));
        }
        GptConfig config = GptConfig.fromJson(Files.readString(dir.resolve(CONFIG)));
        byte[] tokenizer = Files.readAllBytes(dir.resolve(TOKENIZER));
        String sha = sha256(tokenizer);
        String expected = meta.path("tokenizer_sha256").asText();
        if (!sha.equals(expected)) {
            throw new IOException(dir.resolve(TOKENIZER) + " is not the tokenizer this model was trained with (sha256 "
                    + sha + ", checkpoint says " + expected + ")");
        }
        int tokVocab = meta.path("tokenizer_vocab_size").asInt();
        require(tokVocab == config.getVocabSize(), dir, "tokenizer vocabulary " + tokVocab + " != config vocab_size " + config.getVocabSize());
        require(meta.path("vocab_size").asInt() == config.getVocabSize(), dir, "checkpoint.json vocab_size "
                + meta.path("vocab_size") + " != config.json vocab_size " + config.getVocabSize());
        require(meta.path("context_length").asInt() == config.getContextLength(), dir, "checkpoint.json context_length "
                + meta.path("context_length") + " != config.json context_length " + config.getContextLength());
        ComputationGraph net = ModelSerializer.restoreComputationGraph(dir.resolve(MODEL).toFile(), true);
        GptConfig netConfig = GptModel.decoderConfigOf(net);
        require(netConfig.equals(config), dir, "model.zip was built with " + netConfig + " but config.json says " + config);
        TrainingState state = JSON.treeToValue(meta.path("training"), TrainingState.class);
        return new Checkpoint(net, tokenizer, tokVocab, state);
    }

    private static void require(boolean ok, Path dir, String message) throws IOException {
        if (!ok) throw new IOException("inconsistent checkpoint " + dir + ": " + message);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
