package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.ChineseText;
import io.github.sparkgpt.pipeline.filter.PerLanguageStage;
import io.github.sparkgpt.pipeline.filter.QualityStages;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each quality family on hand-written Chinese documents, with the shipped configuration
 * (quality.by_language.zh).
 */
class ChineseQualityRulesTest {
  private static final Config QUALITY = ChineseText.quality();

  private static DocumentStage zh(String family, Supplier<? extends DocumentStage> factory) {
    return ((PerLanguageStage) QualityStages.build(QUALITY, family, factory)).forLanguage("zh");
  }

  private static Verdict run(DocumentStage stage, Document doc, StageCounters c) {
    return stage.apply(doc, c);
  }

  private static Document untagged(String text) {
    return Document.of(
        "en-rules", "test", text); // no language recorded: whitespace words, English rules
  }

  @Test
  void gopherQualityKeepsChineseProseAndDropsAMenu() {
    DocumentStage gopher = zh("gopher_quality", GopherQualityFilter::new);
    assertTrue(run(gopher, ChineseText.doc("p", ChineseText.PROSE), new StageCounters()).kept());
    // Without segmentation a "word" is a whole clause: five paragraphs are five words, each far
    // above 10 chars.
    assertEquals(
        "gopher_short_doc",
        new GopherQualityFilter().apply(untagged(ChineseText.PROSE), new StageCounters()).reason());
    assertEquals(
        "gopher_above_avg_threshold",
        new GopherQualityFilter()
            .setMinDocWords(1)
            .apply(untagged(ChineseText.PROSE), new StageCounters())
            .reason());
    assertEquals(
        "gopher_enough_stop_words",
        run(gopher, ChineseText.doc("m", ChineseText.MENU), new StageCounters()).reason());
    assertEquals(
        "gopher_short_doc",
        run(gopher, ChineseText.doc("s", "我们今天去公园。"), new StageCounters()).reason());
  }

  @Test
  void gopherRepetitionKeepsProseAndDropsRepeatedLines() {
    DocumentStage rep = zh("gopher_repetition", GopherRepetitionFilter::new);
    assertTrue(run(rep, ChineseText.doc("p", ChineseText.PROSE), new StageCounters()).kept());
    String spam =
        ChineseText.PROSE.substring(0, ChineseText.PROSE.indexOf("\n"))
            + "\n"
            + "欢迎光临本店，全场商品八折优惠，请点击下方链接购买。\n".repeat(8);
    assertEquals(
        "gopher_dup_line_frac", run(rep, ChineseText.doc("r", spam), new StageCounters()).reason());
    // Repeated word 5..10-grams are found between segmented words, with no spaces in the text.
    String loop = "我们的产品质量很好价格也很便宜欢迎大家购买".repeat(6) + "。";
    assertTrue(
        run(rep, ChineseText.doc("l", loop), new StageCounters()).reason().startsWith("gopher_"));
  }

  @Test
  void c4KnowsChineseSentenceEndsAndRemovesNavigationLines() {
    // Off for Chinese by default (FineWeb-2 does not apply C4); switched on it segments and knows
    // 。！？.
    assertNull(zh("c4", C4QualityFilter::new));
    C4QualityFilter c4 = new C4QualityFilter();
    String page = "首页 | 新闻 | 联系我们\n" + ChineseText.PROSE + "\n版权所有 保留一切权利";
    StageCounters c = new StageCounters();
    Verdict v = c4.apply(ChineseText.doc("p", page), c);
    assertTrue(v.kept(), v.reason());
    assertEquals(ChineseText.PROSE, v.document().text());
    assertEquals(2, c.get("c4_removed_line_no_terminal_punct"));
    assertTrue(c.get("c4_removed_bytes_no_terminal_punct") > 0);
    // As English, no line ends in . ? ! " ' and the document is dropped.
    assertEquals("c4_too_few_sentences", c4.apply(untagged(page), new StageCounters()).reason());
    // Five sentences, the last one ending in an ellipsis, on one line.
    String five = "今天天气很好，阳光明媚。我们一起去公园散步吧！你想和我们一起来吗？好的，我马上就出发。路上一定要小心……";
    assertTrue(c4.apply(ChineseText.doc("f", five), new StageCounters()).kept());
    assertEquals(
        "c4_too_few_sentences",
        c4.apply(ChineseText.doc("t", "今天天气很好，阳光明媚。我们一起去公园散步吧！"), new StageCounters()).reason());
    // A line of fewer than three words is removed: 你好。 is two words (你好, 。 is punctuation).
    StageCounters few = new StageCounters();
    c4.apply(ChineseText.doc("w", "你好。\n" + ChineseText.PROSE), few);
    assertEquals(1, few.get("c4_removed_line_too_few_words"));
  }

  @Test
  void fineWebKeepsProseAndDropsHeadlineLists() {
    DocumentStage fw = zh("fineweb", FineWebQualityFilter::new);
    assertTrue(run(fw, ChineseText.doc("p", ChineseText.PROSE), new StageCounters()).kept());
    String headlines =
        String.join(
            "\n",
            "国内油价下周或将上调",
            "多地发布高温预警信号",
            "新款手机发布会定于下月举行",
            "城市地铁新线路今日开通",
            "专家解读最新经济数据",
            "假期出行人数创下新高",
            "本周电影票房排行榜出炉",
            "中小学开学时间公布",
            "今年第一场雪即将到来",
            "两支球队明晚争夺冠军");
    assertEquals(
        "fineweb_line_punct_ratio",
        run(fw, ChineseText.doc("h", headlines), new StageCounters()).reason());
    // A list where words are few per line: one short item per line.
    String list = String.join("。\n", ChineseText.MENU.split(" ")) + "。";
    assertEquals(
        "fineweb_list_ratio", run(fw, ChineseText.doc("l", list), new StageCounters()).reason());
  }

  @Test
  void otherLanguagesSkipC4AndTheEnglishStopWords() {
    DocumentStage c4 = QualityStages.build(QUALITY, "c4", C4QualityFilter::new);
    StageCounters c = new StageCounters();
    Document german = new Document("de", "test", null, "kurz", "de", 0.9);
    assertTrue(c4.apply(german, c).kept());
    assertEquals(1, c.get("skipped_language_de"));
    // English keeps the published C4 rules.
    assertEquals(
        "c4_too_few_sentences",
        c4.apply(new Document("en", "t", null, "Hello there.", "en", 0.9), c).reason());
    GopherQualityFilter other =
        (GopherQualityFilter)
            ((PerLanguageStage)
                    QualityStages.build(QUALITY, "gopher_quality", GopherQualityFilter::new))
                .forLanguage("de");
    String deProse = "Der Hund läuft über die Wiese und sucht einen Stock. ".repeat(8);
    assertTrue(
        other.apply(new Document("d", "t", null, deProse, "de", 0.9), new StageCounters()).kept());
  }

  @Test
  void unknownFamiliesAndBlocksInByLanguageAreRejected() {
    Config typo =
        ConfigFactory.parseString("by_language { zh { c4_quality { enabled = false } } }")
            .withFallback(QUALITY);
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> QualityStages.build(typo, "c4", C4QualityFilter::new));
    assertTrue(e.getMessage().contains("quality.by_language.zh.c4_quality"), e.getMessage());
    Config badKey =
        ConfigFactory.parseString("by_language { zh { gopher_quality { min_doc_word = 1 } } }")
            .withFallback(QUALITY);
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> QualityStages.build(badKey, "gopher_quality", GopherQualityFilter::new));
    assertTrue(e.getMessage().contains("min_doc_words"), e.getMessage());
  }
}
