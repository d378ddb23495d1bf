package io.github.sparkgpt.pipeline.read;

import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The main text of an HTML page. Boilerplate elements (navigation, header, footer, sidebars,
 * scripts, styles, forms, hidden elements) are removed; the content root is {@code <main>} if the
 * page has one, else its single {@code <article>}, else {@code <body>}. Block elements become line
 * breaks and paragraph-like blocks blank lines, so paragraphs survive for the line-based quality
 * filters; whitespace inside {@code <pre>} is kept.
 */
public final class HtmlTextExtractor {
  private HtmlTextExtractor() {}

  /** Elements that are never main text. */
  public static final String BOILERPLATE =
      String.join(
          ", ",
          "script",
          "style",
          "noscript",
          "template",
          "iframe",
          "object",
          "embed",
          "svg",
          "canvas",
          "nav",
          "header",
          "footer",
          "aside",
          "menu",
          "dialog",
          "form",
          "button",
          "select",
          "input",
          "textarea",
          "label",
          "[hidden]",
          "[aria-hidden=true]",
          "[role=navigation]",
          "[role=banner]",
          "[role=contentinfo]",
          "[role=complementary]",
          "[role=search]",
          "[role=dialog]");

  /** Blocks separated by a blank line; other block elements get a single line break. */
  private static final Set<String> PARAGRAPHS =
      Set.of(
          "p",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "blockquote",
          "pre",
          "ul",
          "ol",
          "dl",
          "table",
          "figure",
          "section",
          "article",
          "main",
          "hr");

  /** Extract the main text; the page is modified (boilerplate removed). */
  public static String extract(Document page) {
    page.select(BOILERPLATE).remove();
    Element root = page.selectFirst("main, [role=main]");
    if (root == null) {
      Elements articles = page.select("article");
      root = articles.size() == 1 ? articles.first() : page.body();
    }
    if (root == null) root = page;
    StringBuilder out = new StringBuilder();
    NodeTraversor.traverse(new TextCollector(out), root);
    return tidy(out);
  }

  private static final class TextCollector implements NodeVisitor {
    private final StringBuilder out;
    private int preDepth;

    TextCollector(StringBuilder out) {
      this.out = out;
    }

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode t) {
        if (preDepth > 0) out.append(t.getWholeText());
        else appendCollapsed(t.getWholeText());
      } else if (node instanceof Element e) {
        if (e.normalName().equals("pre")) preDepth++;
        breakBefore(e);
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element e) {
        if (e.normalName().equals("pre")) preDepth--;
        if (!e.normalName().equals("br")) breakBefore(e);
      }
    }

    private void breakBefore(Element e) {
      String name = e.normalName();
      if (name.equals("br")) out.append('\n'); // <br><br> is a paragraph break, so br always counts
      else if (PARAGRAPHS.contains(name)) newlines(2);
      else if (e.isBlock()
          || name.equals("li")
          || name.equals("tr")
          || name.equals("td")
          || name.equals("th")) {
        newlines(1);
      }
    }

    /**
     * End the text so far with at least n line breaks: nested blocks don't add up to extra blank
     * lines.
     */
    private void newlines(int n) {
      int have = 0;
      for (int i = out.length() - 1; i >= 0 && have < n; i--) {
        char c = out.charAt(i);
        if (c == '\n') have++;
        else if (c != ' ') break;
      }
      for (; have < n; have++) out.append('\n');
    }

    /** HTML whitespace rules outside pre: any run of whitespace is one space. */
    private void appendCollapsed(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
          int n = out.length();
          if (n > 0 && out.charAt(n - 1) != ' ' && out.charAt(n - 1) != '\n') out.append(' ');
        } else {
          out.append(c);
        }
      }
    }
  }

  /** Strip line ends, keep at most one blank line between paragraphs, trim the whole text. */
  static String tidy(CharSequence raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    int blank = 0;
    for (String line : raw.toString().split("\n", -1)) {
      String l = line.stripTrailing(); // leading spaces can only come from <pre>: keep them
      if (l.isBlank()) {
        blank++;
        continue;
      }
      if (sb.length() > 0) sb.append(blank > 0 ? "\n\n" : "\n");
      sb.append(l);
      blank = 0;
    }
    return sb.toString();
  }
}
