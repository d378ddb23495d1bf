package io.github.sparkgpt.model;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What a checkpoint came from, by content hash (the {@code lineage} object of {@code
 * checkpoint.json}): the job that wrote it, the sha256 of the data manifest it trained on, the
 * checkpoint digest ({@link Checkpoint#digest(java.nio.file.Path)}) it started from, and the sha256
 * of any other input files (task files, imported Hugging Face files). Paths are recorded as given,
 * for people; hashes identify.
 */
public final class Lineage {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String producedBy = "";
  private String dataManifestSha256;
  private String data;
  private String parentCheckpointSha256;
  private String parentCheckpoint;
  private final Map<String, String> inputs = new LinkedHashMap<>();

  public Lineage() {}

  public Lineage(String producedBy) {
    this.producedBy = producedBy;
  }

  public String producedBy() {
    return producedBy;
  }

  public String dataManifestSha256() {
    return dataManifestSha256;
  }

  public String data() {
    return data;
  }

  public String parentCheckpointSha256() {
    return parentCheckpointSha256;
  }

  public String parentCheckpoint() {
    return parentCheckpoint;
  }

  /** Input file name -> sha256, in insertion order. */
  public Map<String, String> inputs() {
    return Map.copyOf(inputs);
  }

  /**
   * The data manifest (preprocess output's manifest.json) trained on: its sha256 and where it was
   * read.
   */
  public Lineage withData(String manifestSha256, String where) {
    dataManifestSha256 = manifestSha256;
    data = where;
    return this;
  }

  /** The checkpoint training started from: its digest and where it was read. */
  public Lineage withParent(String checkpointDigest, String where) {
    parentCheckpointSha256 = checkpointDigest;
    parentCheckpoint = where;
    return this;
  }

  public Lineage withInput(String name, String sha256) {
    inputs.put(name, sha256);
    return this;
  }

  public ObjectNode toJson() {
    ObjectNode j = JSON.createObjectNode();
    j.put("produced_by", producedBy);
    if (dataManifestSha256 != null) {
      j.put("data_manifest_sha256", dataManifestSha256);
      j.put("data", data);
    }
    if (parentCheckpointSha256 != null) {
      j.put("parent_checkpoint_sha256", parentCheckpointSha256);
      j.put("parent_checkpoint", parentCheckpoint);
    }
    if (!inputs.isEmpty()) {
      ObjectNode in = j.putObject("inputs_sha256");
      inputs.forEach(in::put);
    }
    return j;
  }

  /**
   * From checkpoint.json's lineage object; an absent object (older checkpoints) gives an empty
   * lineage.
   */
  public static Lineage fromJson(JsonNode j) {
    Lineage l = new Lineage(j.path("produced_by").asText(""));
    if (j.hasNonNull("data_manifest_sha256")) {
      l.withData(j.get("data_manifest_sha256").asText(), j.path("data").asText(""));
    }
    if (j.hasNonNull("parent_checkpoint_sha256")) {
      l.withParent(
          j.get("parent_checkpoint_sha256").asText(), j.path("parent_checkpoint").asText(""));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = j.path("inputs_sha256").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      l.withInput(e.getKey(), e.getValue().asText());
    }
    return l;
  }

  public boolean isEmpty() {
    return producedBy.isEmpty()
        && dataManifestSha256 == null
        && parentCheckpointSha256 == null
        && inputs.isEmpty();
  }
}
