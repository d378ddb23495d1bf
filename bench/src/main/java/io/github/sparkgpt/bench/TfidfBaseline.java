package io.github.sparkgpt.bench;

import io.github.sparkgpt.jobs.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The classical baseline of a text classification task, all in Spark MLlib: lower-cased word
 * unigrams and bigrams, TF-IDF, multinomial logistic regression. The L2 strength is picked on the
 * validation split from a small grid, then the model is scored on the test split with the same
 * {@link ClassificationMetrics} as the finetune job.
 */
final class TfidfBaseline {
  record Result(
      double regParam,
      ClassificationMetrics validation,
      ClassificationMetrics test,
      double seconds) {}

  private static final double[] REG_PARAMS = {0.0, 0.001, 0.01, 0.1, 1.0};

  private TfidfBaseline() {}

  /** JSONL files with a text column and a label column (names or numbers). */
  static Result run(
      SparkSession spark,
      String train,
      String validation,
      String test,
      String textColumn,
      String labelColumn) {
    long t0 = System.nanoTime();
    Dataset<Row> tr = read(spark, train, textColumn, labelColumn).cache();
    Dataset<Row> va = read(spark, validation, textColumn, labelColumn).cache();
    Dataset<Row> te = read(spark, test, textColumn, labelColumn).cache();
    StringIndexerModel labels =
        new StringIndexer()
            .setInputCol("label_name")
            .setOutputCol("label")
            .setStringOrderType("alphabetAsc")
            .fit(tr);
    List<String> names = List.of(labels.labelsArray()[0]);

    Result best = null;
    for (double reg : REG_PARAMS) {
      PipelineModel model = pipeline(labels, reg).fit(tr);
      ClassificationMetrics v = score(model.transform(va), names);
      if (best == null || v.accuracy() > best.validation.accuracy()) {
        best = new Result(reg, v, score(model.transform(te), names), 0);
      }
      System.out.printf(
          Locale.ROOT, "tfidf+lr: regParam %-6s validation accuracy %.4f%n", reg, v.accuracy());
    }
    return new Result(best.regParam, best.validation, best.test, (System.nanoTime() - t0) / 1e9);
  }

  private static Pipeline pipeline(StringIndexerModel labels, double reg) {
    return new Pipeline()
        .setStages(
            new PipelineStage[] {
              labels,
              new RegexTokenizer()
                  .setInputCol("text")
                  .setOutputCol("words")
                  .setPattern("\\W+")
                  .setToLowercase(true),
              new NGram().setN(2).setInputCol("words").setOutputCol("bigrams"),
              new SQLTransformer()
                  .setStatement("SELECT *, concat(words, bigrams) AS terms FROM __THIS__"),
              new CountVectorizer().setInputCol("terms").setOutputCol("tf").setMinDF(1),
              new IDF().setInputCol("tf").setOutputCol("features"),
              new LogisticRegression()
                  .setRegParam(reg)
                  .setElasticNetParam(0.0)
                  .setMaxIter(200)
                  .setFamily("multinomial")
            });
  }

  private static Dataset<Row> read(
      SparkSession spark, String file, String textColumn, String labelColumn) {
    return spark
        .read()
        .json(file)
        .selectExpr(
            "cast(`" + textColumn + "` as string) AS text",
            "cast(`" + labelColumn + "` as string) AS label_name")
        .na()
        .drop();
  }

  private static ClassificationMetrics score(Dataset<Row> predicted, List<String> names) {
    ClassificationMetrics m = new ClassificationMetrics(names);
    for (Row r : predicted.select("label", "prediction").collectAsList()) {
      m.add((int) r.getDouble(0), (int) r.getDouble(1));
    }
    return m;
  }
}
