package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.filter.ChineseText;
import io.github.sparkgpt.pipeline.filter.PerLanguageStage;
import io.github.sparkgpt.pipeline.filter.QualityStages;
import org.junit.jupiter.api.Test;

/** The shipped Japanese block (FineWeb-2's jpn_Jpan values) keeps hand-written Japanese prose. */
class JapaneseQualityRulesTest {
  private static final String PROSE =
      String.join(
          "\n\n",
          "言語モデルの事前学習では、まず大量の文章を集める必要がある。ウェブページや書籍から文章を選び、段落の構造をできるだけ残す。",
          "日本語には単語の間に空白がないため、空白で区切ると一つの文全体が一語として数えられてしまう。そこで辞書を使って文を単語に分割し、" + "単語の数や平均の長さを計算する。",
          "分割した後は、英語のために作られた規則の多くをそのまま使えるが、しきい値は言語ごとに決め直す必要がある。"
              + "私たちは公開されている言語別の値を使い、その出典を設定ファイルに書いた。");

  @Test
  void japaneseProseIsKeptAndAListIsNot() {
    Document doc = new Document("ja", "test", null, PROSE, "ja", 0.99);
    for (String family : QualityStages.FAMILIES) {
      DocumentStage stage =
          QualityStages.build(
              ChineseText.quality(),
              family,
              switch (family) {
                case "gopher_quality" -> GopherQualityFilter::new;
                case "gopher_repetition" -> GopherRepetitionFilter::new;
                case "c4" -> C4QualityFilter::new;
                default -> FineWebQualityFilter::new;
              });
      assertTrue(stage.apply(doc, new StageCounters()).kept(), family);
    }
    DocumentStage gopher =
        ((PerLanguageStage)
                QualityStages.build(
                    ChineseText.quality(), "gopher_quality", GopherQualityFilter::new))
            .forLanguage("ja");
    String list = "東京 大阪 名古屋 札幌 福岡 仙台 広島 神戸 京都 横浜 千葉 埼玉 静岡 新潟 金沢 富山 長野 岐阜 奈良 和歌山 ".repeat(3);
    assertEquals(
        "gopher_enough_stop_words",
        gopher.apply(new Document("l", "t", null, list, "ja", 0.9), new StageCounters()).reason());
  }
}
