package io.github.sparkgpt.pipeline;

import com.typesafe.config.Config;
import io.github.sparkgpt.pipeline.dedup.ExactDedup;
import io.github.sparkgpt.pipeline.dedup.MinHashDedup;
import io.github.sparkgpt.pipeline.filter.QualityStages;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import io.github.sparkgpt.pipeline.normalise.TextNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The filtering stages of a preprocess run, in order, built from the {@code preprocess}
 * configuration section and validated: per-document stages (normalise, language, whatever corpus
 * stages need before quality, quality, PII) run as one {@link DocumentChain}; then the corpus
 * stages (exact, then near-duplicate removal). A stage is in the plan when its section says {@code
 * enabled = true}; its other keys are bound onto its setters.
 */
public final class StagePlan {
  private final Config config;
  private final List<DocumentStage> documentStages = new ArrayList<>();
  private final List<CorpusStage> corpusStages = new ArrayList<>();

  public StagePlan(Config config) {
    this.config = config;
    addDocumentStage("normalise", TextNormalizer::new);
    addDocumentStage("language", LanguageFilter::new);
    addCorpusStage("dedup.exact", ExactDedup::new);
    addCorpusStage("dedup.minhash", MinHashDedup::new);
    corpusStages.forEach(c -> documentStages.addAll(c.beforeQuality()));
    QualityStages.checkLanguageBlocks(config.getConfig("quality"));
    addQualityStage("gopher_quality", GopherQualityFilter::new);
    addQualityStage("gopher_repetition", GopherRepetitionFilter::new);
    addQualityStage("c4", C4QualityFilter::new);
    addQualityStage("fineweb", FineWebQualityFilter::new);
    addDocumentStage("pii", PiiRedactor::new);
  }

  public List<DocumentStage> documentStages() {
    return List.copyOf(documentStages);
  }

  public List<CorpusStage> corpusStages() {
    return List.copyOf(corpusStages);
  }

  private boolean enabled(String path) {
    return config.getBoolean(path + ".enabled");
  }

  private <T extends Stage> T bound(String path, Supplier<T> factory) {
    T stage = ConfigBinder.bind(factory.get(), config.getConfig(path), path, "enabled");
    stage.validate();
    return stage;
  }

  private void addDocumentStage(String path, Supplier<? extends DocumentStage> factory) {
    if (enabled(path)) documentStages.add(bound(path, factory));
  }

  private void addCorpusStage(String path, Supplier<? extends CorpusStage> factory) {
    if (enabled(path)) corpusStages.add(bound(path, factory));
  }

  private void addQualityStage(String family, Supplier<? extends DocumentStage> factory) {
    DocumentStage stage = QualityStages.build(config.getConfig("quality"), family, factory);
    if (stage != null) documentStages.add(stage);
  }
}
