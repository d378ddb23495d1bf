package io.github.sparkgpt.pipeline.task.sets.generative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The examples of LanguageTool's English rule files ({@code grammar.xml}, {@code style.xml}), read
 * as data: every {@code <example>} with a {@code <marker>} or a {@code correction} attribute, the
 * sentence split around the marker, the corrections ({@code |}-separated) and the rule it belongs
 * to. A rule inside a {@code <rulegroup>} takes the group's id, so a split by id keeps a group's
 * variants together.
 */
final class LanguageToolRules {
  static final List<String> FILES = List.of("grammar.xml", "style.xml");

  /**
   * One example: {@code before + marked + after} is the sentence as written; {@code corrections}
   * are the non-empty replacements of {@code marked}, in the rule's order; {@code problem} names
   * what is wrong with the markup, or is null.
   */
  record Example(
      String file,
      String rule,
      int index,
      String hint,
      String before,
      String marked,
      String after,
      List<String> corrections,
      String problem) {
    String written() {
      return Text.collapse(before + marked + after);
    }

    String corrected(String correction) {
      return Text.collapse(before + correction + after);
    }

    String id() {
      return rule + "-" + index;
    }
  }

  private LanguageToolRules() {}

  static List<Example> read(Path dir) {
    List<Example> out = new ArrayList<>();
    int found = 0;
    for (String name : FILES) {
      Path f = dir.resolve(name);
      if (!Files.isRegularFile(f)) continue;
      found++;
      Element root = parse(f).getDocumentElement();
      NodeList rules = root.getElementsByTagName("rule");
      int[] counter = new int[1];
      String previous = null;
      for (int i = 0; i < rules.getLength(); i++) {
        Element rule = (Element) rules.item(i);
        String id = ruleId(rule);
        if (!id.equals(previous)) counter[0] = 0;
        previous = id;
        String hint = text(rule, "short");
        NodeList examples = rule.getElementsByTagName("example");
        for (int j = 0; j < examples.getLength(); j++) {
          Example e = example(name, id, counter, hint, (Element) examples.item(j));
          if (e != null) out.add(e);
        }
      }
    }
    if (found == 0) throw new IllegalArgumentException("no " + FILES + " in " + dir);
    return out;
  }

  private static String ruleId(Element rule) {
    Node parent = rule.getParentNode();
    if (parent instanceof Element g && g.getTagName().equals("rulegroup") && g.hasAttribute("id"))
      return g.getAttribute("id");
    return rule.hasAttribute("id") ? rule.getAttribute("id") : "unnamed";
  }

  private static String text(Element rule, String tag) {
    NodeList l = rule.getElementsByTagName(tag);
    return l.getLength() == 0 ? "" : Text.collapse(l.item(0).getTextContent());
  }

  /** The example, or null for a correct-usage example (no marker, no correction). */
  private static Example example(String file, String rule, int[] n, String hint, Element ex) {
    NodeList markers = ex.getElementsByTagName("marker");
    boolean hasCorrection = ex.hasAttribute("correction");
    if (markers.getLength() == 0 && !hasCorrection) return null;
    StringBuilder[] parts = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    int part = 0;
    for (Node c = ex.getFirstChild(); c != null; c = c.getNextSibling()) {
      boolean marker = c instanceof Element el && el.getTagName().equals("marker");
      if (marker) part = Math.min(part + 1, 2);
      parts[part].append(c.getTextContent());
      if (marker) part = 2;
    }
    List<String> corrections =
        Arrays.stream(ex.getAttribute("correction").split("\\|"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    String problem =
        markers.getLength() != 1
            ? "marker_count_" + markers.getLength()
            : corrections.isEmpty() ? "no_correction" : null;
    return new Example(
        file,
        rule,
        ++n[0],
        hint,
        parts[0].toString(),
        parts[1].toString(),
        parts[2].toString(),
        corrections,
        problem);
  }

  private static org.w3c.dom.Document parse(Path f) {
    try {
      DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
      // The rule files declare their entities inline; nothing external is ever loaded.
      dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      dbf.setExpandEntityReferences(true);
      return dbf.newDocumentBuilder().parse(f.toFile());
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalArgumentException("cannot parse " + f + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }
}
