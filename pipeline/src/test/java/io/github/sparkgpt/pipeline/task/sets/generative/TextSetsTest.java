package io.github.sparkgpt.pipeline.task.sets.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.task.sets.TaskRow;
import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** perlfaq, debian-faq, man page and riddle sets on hand-written files in their real formats. */
class TextSetsTest {
  @TempDir Path dir;

  static void gzip(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> pairs(TaskSet s) {
    return s.rows().stream()
        .map(TaskRow::fields)
        .map(f -> f.get("id") + " | " + f.get("prompt") + " | " + f.get("response"))
        .toList();
  }

  private static List<String> reasons(TaskSet s) {
    return s.quarantined().stream().map(q -> q.id() + " " + q.reason()).toList();
  }

  @Test
  void perlfaqTakesTheFirstProseParagraphOfEachHead2() throws Exception {
    Path d = Files.createDirectories(dir.resolve("perl-doc"));
    Files.writeString(
        d.resolve("perlfaq4.pod"),
        "=head1 NAME\n\n"
            + "perlfaq4 - Data Manipulation\n\n"
            + "=head1 Data: Numbers\n\n"
            + "=head2 Why is int() broken?\n\n"
            + "Your C<int()> is most probably working just fine. See L<perlop/\"Floating-point"
            + " Arithmetic\">\n"
            + "and L<the manual|perlfunc>.\n\n"
            + "Second paragraph.\n\n"
            + "=head2 How do I round? X<round>\n\n"
            + "(contributed by brian d foy)\n\n"
            + "    printf \"%.2f\", 10/3;\n\n"
            + "Use C<< sprintf() >> with E<lt>formatE<gt>.\n\n"
            + "=head2 What is empty?\n\n"
            + "    code only\n\n"
            + "=head2 How do I print in color?\n\n"
            + "Use Term::ANSIColor:\n\n"
            + "    use Term::ANSIColor;\n\n"
            + "=cut\n");
    TaskSet s = new PerlFaqTask(d).build();
    assertEquals(
        List.of(
            "perlfaq4-1 | Why is int() broken? | Your int() is most probably working just fine."
                + " See perlop/Floating-point Arithmetic and the manual.",
            "perlfaq4-2 | How do I round? | Use sprintf() with <format>."),
        pairs(s));
    assertEquals(
        List.of("perlfaq4-3 perlfaq_empty_response", "perlfaq4-4 perlfaq_answer_continues"),
        reasons(s));
  }

  @Test
  void debianFaqReadsWrappedQuestionHeadingsAndNoBreakSpaceIndents() throws Exception {
    Path d = dir.resolve("debian-faq");
    gzip(
        d.resolve(DebianFaqTask.FILE),
        "Table of Contents\n\n1. Definitions and overview\n    1.1. What is this FAQ?\n\n"
            + "1. Definitions and overview\n\n"
            + "1.1.\u00a0What is this FAQ?\n\n"
            + "\u00a0\u00a0\u00a0 This document answers questions\n    frequently asked.\n\n"
            + "    A second paragraph.\n\n"
            + "1.2.\u00a0What is the difference between Debian and other Linux\n"
            + "distributions?\n\n    The packaging.\n\n"
            + "1.3.\u00a0Getting the FAQ\n\n    From the web.\n\n"
            + "1.4.\u00a0OK, what is Linux?!\n\n    A kernel.\n\n"
            + "1.5.\u00a0How do I list packages?\n\n    Run this:\n\n        dpkg -l\n\n"
            + "2. Next chapter\n\n2.1.\u00a0Is this empty?\n\n3. Another chapter\n");
    TaskSet s = new DebianFaqTask(d).build();
    assertEquals(
        List.of(
            "debian-faq-1.1 | What is this FAQ? | This document answers questions frequently"
                + " asked.",
            "debian-faq-1.2 | What is the difference between Debian and other Linux"
                + " distributions? | The packaging.",
            "debian-faq-1.4 | OK, what is Linux?! | A kernel."),
        pairs(s));
    assertEquals("1.1", s.rows().get(0).fields().get("section"));
    assertEquals(
        List.of(
            "debian-faq-1.3 debfaq_not_a_question",
            "debian-faq-1.5 debfaq_answer_continues",
            "debian-faq-2.1 debfaq_empty_response"),
        reasons(s));
  }

  @Test
  void manPagesGiveTheNameLineWithoutLinksOrRedirects() throws Exception {
    Path d = dir.resolve("manpages-dev");
    gzip(
        d.resolve("man2/open.2.gz"),
        ".\\\" SPDX-License-Identifier: Linux-man-pages-copyleft\n.TH open 2\n.SH NAME\n"
            + "open, openat, creat \\- open and possibly create a \\fIfile\\fP\n.SH LIBRARY\n"
            + "Standard C library\n");
    gzip(
        d.resolve("man3/printf.3.gz"),
        ".TH printf 3\n.SH \"NAME\"\nprintf, fprintf,\nvsnprintf \\- formatted output"
            + " conversion\\(emthe \\e family\n.SH SYNOPSIS\n");
    gzip(d.resolve("man3/fprintf.3.gz"), ".so man3/printf.3\n");
    gzip(d.resolve("man3/broken.3.gz"), ".TH broken 3\n.SH DESCRIPTION\nno name\n");
    Files.createSymbolicLink(d.resolve("man3/vsnprintf.3.gz"), d.resolve("man3/printf.3.gz"));
    TaskSet s = new ManPageTask(d).build();
    assertEquals(
        List.of(
            "man2/open.2 | What does open do? | open and possibly create a file",
            "man3/printf.3 | What does printf do? | formatted output conversion\u2014the \\"
                + " family"),
        pairs(s));
    assertEquals( // in this order on every run (a rerun writes the same bytes)
        List.of("id", "prompt", "response", "names", "licence"),
        List.copyOf(s.rows().get(0).fields().keySet()));
    assertEquals("open, openat, creat", s.rows().get(0).fields().get("names"));
    assertEquals("Linux-man-pages-copyleft", s.rows().get(0).fields().get("licence"));
    assertEquals("unknown", s.rows().get(1).fields().get("licence"));
    assertEquals(List.of("man3/broken.3 man_no_name_section"), reasons(s));
    assertTrue(s.info().get("derivation").toString().contains("1 .so redirect pages"));
  }

  @Test
  void riddlesPairQuestionsAndAnswersInEitherOrder() throws Exception {
    Path d = Files.createDirectories(dir.resolve("fortunes-min"));
    Files.writeString(
        d.resolve(RiddleTask.FILE),
        "FORTUNE PROVIDES QUESTIONS FOR THE GREAT ANSWERS: #15\n"
            + "A:\tThe Royal Canadian Mounted Police.\n"
            + "Q:\tWhat was the greatest achievement in taxidermy?\n%\n"
            + "Knock, knock!\n\tWho's there?\nSam.\n%\n"
            + "Q:\t\"What is the burning question on the mind of every dyslexic\n"
            + "\texistentialist?\"\nA:\t\"Is there a dog?\"\n%\n"
            + "Q:\tHow do you catch a unique rabbit?\nA:\tUnique up on it!\n\n"
            + "Q:\tHow do you catch a tame rabbit?\nA:\tThe tame way!\n%\n"
            + "Q:\tHow do you keep a moron in suspense?\n%\n");
    TaskSet s = new RiddleTask(d).build();
    assertEquals(
        List.of(
            "riddles-1 | What was the greatest achievement in taxidermy? | The Royal Canadian"
                + " Mounted Police.",
            "riddles-3 | \"What is the burning question on the mind of every dyslexic"
                + " existentialist?\" | \"Is there a dog?\"",
            "riddles-4-1 | How do you catch a unique rabbit? | Unique up on it!",
            "riddles-4-2 | How do you catch a tame rabbit? | The tame way!"),
        pairs(s));
    assertEquals(s.rows().get(2).key(), s.rows().get(3).key());
    assertEquals(
        List.of("riddles-2 riddle_no_question", "riddles-5 riddle_empty_response"), reasons(s));
  }

  @Test
  void aMissingPackageDirectoryIsNamed() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class, () -> new RiddleTask(dir.resolve("x")).build());
    assertTrue(e.getMessage().contains("no fetched data at"), e.getMessage());
  }
}
