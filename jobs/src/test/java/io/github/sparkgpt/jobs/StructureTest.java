package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of the README's Development section, checked on the sources of all three
 * modules: which module and package may import which, and the size limits that keep the jobs
 * readable.
 */
class StructureTest {
  static final int MAX_JOBS_CLASS_LINES = 250;
  static final int MAX_JOBS_METHOD_LINES = 60;

  /**
   * Packages of one job each: they share code through the common packages, never through each
   * other.
   */
  static final Set<String> JOB_PACKAGES =
      Set.of("pretrain", "finetune", "fewshot", "report", "sft", "dpo", "generate");

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Map<Path, CompilationUnit> SOURCES = new TreeMap<>();

  @BeforeAll
  static void parse() {
    StaticJavaParser.getParserConfiguration()
        .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
    for (String module : List.of("pipeline", "model", "jobs")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path f :
            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          SOURCES.put(ROOT.relativize(f), StaticJavaParser.parse(f));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertTrue(SOURCES.size() > 100, "found " + SOURCES.size() + " source files under " + ROOT);
  }

  @Test
  void pipelineKnowsNeitherTheNetworkNorTheJobs() {
    assertEquals(
        List.of(),
        importsMatching(
            "pipeline/",
            "io.github.sparkgpt.model.",
            "io.github.sparkgpt.jobs.",
            "org.deeplearning4j.",
            "org.nd4j."));
  }

  @Test
  void modelKnowsNeitherSparkNorTheDataPipelineNorTheJobs() {
    assertEquals(
        List.of(),
        importsMatching(
            "model/",
            "io.github.sparkgpt.pipeline.",
            "io.github.sparkgpt.jobs.",
            "org.apache.spark."));
  }

  @Test
  void jobPackagesDoNotImportEachOther() {
    List<String> found = new ArrayList<>();
    SOURCES.forEach(
        (file, unit) -> {
          String from =
              jobsSubpackage(unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse(""));
          if (!JOB_PACKAGES.contains(from)) return;
          for (ImportDeclaration imp : unit.getImports()) {
            String to = jobsSubpackage(imp.getNameAsString());
            if (JOB_PACKAGES.contains(to) && !to.equals(from))
              found.add(file + ": " + imp.getNameAsString());
          }
        });
    assertEquals(List.of(), found);
  }

  @Test
  void jobsClassesAndMethodsStayShort() {
    List<String> found = new ArrayList<>();
    SOURCES.forEach(
        (file, unit) -> {
          if (!file.startsWith("jobs")) return;
          int lines = unit.getRange().map(r -> r.end.line).orElse(0);
          if (lines > MAX_JOBS_CLASS_LINES) found.add(file + ": " + lines + " lines");
          for (CallableDeclaration<?> m : unit.findAll(CallableDeclaration.class)) {
            int length = m.getRange().map(r -> r.end.line - r.begin.line + 1).orElse(0);
            if (length > MAX_JOBS_METHOD_LINES)
              found.add(file + ": " + m.getNameAsString() + " " + length + " lines");
          }
        });
    assertEquals(
        List.of(),
        found,
        "limits: "
            + MAX_JOBS_CLASS_LINES
            + " lines a file, "
            + MAX_JOBS_METHOD_LINES
            + " a method");
  }

  /**
   * {@code io.github.sparkgpt.jobs.finetune[.TaskEncoder]} -> {@code finetune}; "" outside a jobs
   * subpackage.
   */
  static String jobsSubpackage(String name) {
    String prefix = "io.github.sparkgpt.jobs.";
    if (!name.startsWith(prefix)) return "";
    String rest = name.substring(prefix.length());
    int dot = rest.indexOf('.');
    String first = dot < 0 ? rest : rest.substring(0, dot);
    return first.isEmpty() || !Character.isLowerCase(first.charAt(0)) ? "" : first;
  }

  static List<String> importsMatching(String module, String... prefixes) {
    Set<String> found = new TreeSet<>();
    SOURCES.forEach(
        (file, unit) -> {
          if (!file.startsWith(module)) return;
          for (ImportDeclaration imp : unit.getImports()) {
            for (String prefix : prefixes) {
              if (imp.getNameAsString().startsWith(prefix))
                found.add(file + ": " + imp.getNameAsString());
            }
          }
        });
    return List.copyOf(found);
  }
}
