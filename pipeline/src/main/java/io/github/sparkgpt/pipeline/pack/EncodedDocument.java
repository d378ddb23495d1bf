package io.github.sparkgpt.pipeline.pack;

import java.io.Serializable;

/** A document's token ids and the split it belongs to. */
public record EncodedDocument(String id, int[] tokens, boolean validation)
    implements Serializable {}
