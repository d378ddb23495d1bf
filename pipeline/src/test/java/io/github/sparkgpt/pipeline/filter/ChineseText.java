package io.github.sparkgpt.pipeline.filter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.Document;
import java.io.File;

/**
 * Hand-written Chinese documents (good prose and typical junk) and the project's quality
 * configuration.
 */
public final class ChineseText {
  private ChineseText() {}

  /** Five paragraphs of plain expository prose, one paragraph per line, sentences ending in 。. */
  public static final String PROSE =
      String.join(
          "\n\n",
          "预训练语言模型的第一步是收集大量的文本。我们从公开的网页、书籍和技术文档中挑选材料，并且尽量保留原文的段落结构。"
              + "每一份文档都要经过语言识别，然后再由质量规则决定是否保留。",
          "清洗数据的时候，最常见的问题是重复的内容和没有意义的模板。网页的导航栏、版权声明和广告往往出现在成千上万个页面上，"
              + "如果不把它们去掉，模型就会把这些句子背下来。所以我们先做精确去重，再用最小哈希找出几乎相同的文档。",
          "中文的词与词之间没有空格，这一点和英文很不一样。按照空格切分的话，一整句话会被当成一个词，平均词长就会变得非常大。"
              + "因此我们用词典分词器把句子切成词，再计算词数、平均词长和停用词的数量。",
          "分词以后，很多英文规则可以直接沿用，但是阈值需要重新设定。例如中文的平均词长通常在一到两个字之间，"
              + "而英文单词的平均长度大约是五个字母。我们采用了公开发表的逐语言阈值，并在配置文件里写明了它们的来源。",
          "最后，剩下的文本会被送去训练分词器，然后切成固定长度的序列。训练开始以前，我们还会检查验证集是否为空，" + "以免模型在没有评估数据的情况下运行。");

  /** Navigation-bar words separated by spaces: no sentence, no function word. */
  public static final String MENU =
      String.join(
          " ", "首页", "新闻", "体育", "财经", "科技", "汽车", "房产", "教育", "旅游", "健康", "游戏", "动漫", "音乐", "电影",
          "图片", "视频", "论坛", "博客", "邮箱", "地图", "天气", "彩票", "招聘", "二手", "团购", "家居", "时尚", "美食", "母婴",
          "宠物", "摄影", "读书", "历史", "军事", "国际", "社会", "娱乐", "明星", "综艺", "电视", "手机", "电脑", "数码", "家电",
          "相机", "平板", "耳机", "音箱", "手表", "鼠标", "键盘", "硬盘", "内存", "显卡", "主板", "电源");

  public static Document doc(String id, String text) {
    return new Document(id, "test", null, text, "zh", 0.99);
  }

  /** The {@code preprocess.quality} section of conf/preprocess.conf, as shipped. */
  public static Config quality() {
    return ConfigFactory.parseFile(new File("../conf/preprocess.conf"))
        .resolve()
        .getConfig("preprocess.quality");
  }
}
