package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** The scheduler files in deploy/ name the real main class, jar and arguments, and parse. */
class OrchestrationFilesTest {
  static final Path DEPLOY = Path.of("..", "deploy");
  static final String APP_JAR = "sparkgpt-jobs-" + Versions.PROJECT + "-app.jar";

  @Test
  void scheduledSparkApplicationRunsTheFinetuneJobWithValidArguments() throws Exception {
    FinetuneJob job = new FinetuneJob();
    scheduledApplication("finetune-scheduled.yaml", job);
    // and every configuration key those options set is known (the job would refuse it before Spark
    // starts)
    assertEquals(
        "classification", job.options.load(FinetuneJob.JOB, job.namedOptions()).getString("task"));
  }

  @Test
  void scheduledSparkApplicationRunsTheSftJobWithValidArguments() throws Exception {
    SftJob job = new SftJob();
    scheduledApplication("sft-scheduled.yaml", job);
    assertEquals(
        "response", job.options.load(SftJob.JOB, job.namedOptions()).getString("response_column"));
  }

  @Test
  void scheduledSparkApplicationRunsTheDpoJobOnThatDaysSftModel() throws Exception {
    DpoJob job = new DpoJob();
    scheduledApplication("dpo-scheduled.yaml", job);
    assertEquals("/data/sparkgpt/sft/{date}/model", job.checkpoint);
    assertEquals("{date}", job.runOptions.runId);
  }

  /** The manifest's application runs {@code job}'s class; its arguments parse into {@code job}. */
  @SuppressWarnings("unchecked")
  private static void scheduledApplication(String manifest, Object job) throws Exception {
    Map<String, Object> doc =
        new Yaml().load(Files.readString(DEPLOY.resolve("kubernetes").resolve(manifest)));
    assertEquals("ScheduledSparkApplication", doc.get("kind"));
    Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
    assertEquals("Forbid", spec.get("concurrencyPolicy"));
    Map<String, Object> app = (Map<String, Object>) spec.get("template");
    assertEquals(job.getClass().getName(), app.get("mainClass"));
    assertEquals("local:///opt/sparkgpt/" + APP_JAR, app.get("mainApplicationFile"));
    assertEquals("OnFailure", ((Map<String, Object>) app.get("restartPolicy")).get("type"));
    List<String> args = (List<String>) app.get("arguments");
    new CommandLine(job).parseArgs(args.toArray(String[]::new)); // throws on an unknown option
    assertTrue(args.contains("--run-id"));
  }

  @Test
  void airflowDagIsPythonAndNamesTheJarClassAndTemplatedRunId() throws Exception {
    Path dag = DEPLOY.resolve("airflow/sparkgpt_finetune.py");
    // Airflow is not installed here: parse the file and read its constants with Python's ast
    // module.
    String out = dag(dag, "print(c['MAIN_CLASS']); print(c['APP_JAR'])\n");
    List<String> lines = out.lines().toList();
    assertEquals(FinetuneJob.class.getName(), lines.get(0));
    assertTrue(lines.get(1).endsWith("/" + APP_JAR), lines.get(1));
    String src = Files.readString(dag);
    assertTrue(
        src.contains("SparkSubmitOperator") && src.contains("\"--run-id\", \"{{ ds }}\""),
        "run id templated");
    assertTrue(src.contains("\"retries\": 2"));
  }

  @Test
  void airflowSftTaskRunsTheSftJobWithArgumentsItsCliAccepts() throws Exception {
    Path dag = DEPLOY.resolve("airflow/sparkgpt_finetune.py");
    // the sft task's application_args: literals as written, Variable.get(name, default) as default
    String out =
        dag(
            dag,
            "print(c['SFT_CLASS'])\n"
                + "call=[n for n in ast.walk(t) if isinstance(n, ast.Call) and any(k.arg=='task_id'"
                + " and k.value.value=='sft' for k in n.keywords)][0]\n"
                + "args=[k.value for k in call.keywords if k.arg=='application_args'][0]\n"
                + "v=lambda e: e.value if isinstance(e, ast.Constant) else e.args[1].value if"
                + " isinstance(e, ast.Call) else '/data/sparkgpt/pretrain/latest'\n"
                + "print('\\n'.join(v(e) for e in args.elts))\n");
    List<String> lines = out.lines().toList();
    assertEquals(SftJob.class.getName(), lines.get(0));
    SftJob job = new SftJob();
    new CommandLine(job).parseArgs(lines.subList(1, lines.size()).toArray(String[]::new));
    assertEquals("{{ ds }}", lines.get(lines.indexOf("--run-id") + 1));
    assertEquals(
        "prompt", job.options.load(SftJob.JOB, job.namedOptions()).getString("prompt_column"));
  }

  @Test
  void airflowDpoTaskFollowsSftAndStartsFromItsRunWithTheSameRunId() throws Exception {
    Path dag = DEPLOY.resolve("airflow/sparkgpt_finetune.py");
    String out =
        dag(
            dag,
            "print(c['DPO_CLASS'])\n"
                + "call=[n for n in ast.walk(t) if isinstance(n, ast.Call) and any(k.arg=='task_id'"
                + " and k.value.value=='dpo' for k in n.keywords)][0]\n"
                + "args=[k.value for k in call.keywords if k.arg=='application_args'][0]\n"
                + "v=lambda e: e.value if isinstance(e, ast.Constant) else e.args[1].value\n"
                + "print('\\n'.join(v(e) for e in args.elts))\n");
    List<String> lines = out.lines().toList();
    assertEquals(DpoJob.class.getName(), lines.get(0));
    DpoJob job = new DpoJob();
    new CommandLine(job).parseArgs(lines.subList(1, lines.size()).toArray(String[]::new));
    assertEquals("{{ ds }}", job.runOptions.runId);
    assertEquals("/data/sparkgpt/sft/{{ ds }}/model", job.checkpoint);
    assertTrue(Files.readString(dag).contains("sft >> dpo"), "dpo runs after sft");
  }

  @Test
  void localScheduleCallsTheSameCommandAndRunIdsExpand() throws Exception {
    Path script = DEPLOY.resolve("schedule/finetune-daily");
    assertTrue(Files.isExecutable(script));
    assertEquals(
        0, new ProcessBuilder("bash", "-n", script.toString()).inheritIO().start().waitFor());
    assertTrue(Files.readString(script).contains("/deploy/submit\" \"${args[@]}\""));
    for (String f : List.of("sparkgpt-finetune.cron", "sparkgpt-finetune.service")) {
      assertTrue(
          Files.readString(DEPLOY.resolve("schedule/" + f))
              .contains("/opt/sparkgpt/deploy/schedule/finetune-daily"),
          f);
    }
    assertEquals(
        "daily-2026-11-23", TaskRunFiles.expandRunId("daily-{date}", LocalDate.of(2026, 11, 23)));
  }

  @Test
  void dockerfileCopiesFilesTheBuildProduces() throws Exception {
    String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertTrue(
        docker.contains("COPY --chown=spark:spark jobs/target/" + APP_JAR + " /opt/sparkgpt/"),
        docker);
    assertTrue(
        Files.isDirectory(Path.of("..", "conf"))
            && Files.exists(Path.of("..", "conf", "log4j2.properties")));
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(
        pom.contains("<shadedClassifierName>app</shadedClassifierName>"),
        "the app jar name comes from the shade classifier");
  }

  /**
   * Runs {@code code} on the parsed DAG file: {@code t} its syntax tree, {@code c} its top-level
   * constants.
   */
  private static String dag(Path dag, String code) throws IOException, InterruptedException {
    return python(
        "import ast,sys\n"
            + "t=ast.parse(open(sys.argv[1]).read())\n"
            + "c={n.targets[0].id: n.value.value for n in t.body if isinstance(n, ast.Assign)"
            + " and isinstance(n.value, ast.Constant)}\n"
            + code,
        dag.toString());
  }

  private static String python(String code, String arg) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c", code, arg).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
