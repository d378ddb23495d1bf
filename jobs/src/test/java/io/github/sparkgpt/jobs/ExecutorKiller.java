package io.github.sparkgpt.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * A SparkListener (registered through spark.extraListeners) that SIGKILLs one executor JVM
 * mid-stage: when the {@code nth} stage whose name matches {@link #arm}'s pattern starts its first
 * task, it waits {@code delayMs} and kills the JVM of the executor running that task. The
 * executor's pid is found in /proc: the CoarseGrainedExecutorBackend process whose command line
 * names this application and executor id and this driver's RPC port (other engineers' clusters on
 * the machine have other drivers).
 *
 * <p>It also records what Spark saw: tasks lost with their executor, executors added and removed.
 * State is static (Spark instantiates the listener by class name); {@link #arm} resets it.
 */
public final class ExecutorKiller extends SparkListener {
  private static volatile Pattern stagePattern;
  private static volatile int nth;
  private static volatile long delayMs;

  static volatile String appId;
  static final Map<Integer, String> STAGES =
      new ConcurrentHashMap<>(); // stage id -> name, every stage seen
  private static final AtomicInteger matched = new AtomicInteger();
  private static volatile int targetStage = -1;
  static volatile String killedExecutor;
  static final AtomicLong killedPid = new AtomicLong(-1);
  static volatile String killedStage;
  static final AtomicInteger lostTasks =
      new AtomicInteger(); // tasks that ended with ExecutorLostFailure
  static final AtomicInteger failedTasks = new AtomicInteger();
  static final AtomicInteger executorsAdded = new AtomicInteger();
  static final AtomicInteger executorsRemoved = new AtomicInteger();

  /**
   * The shortest successful task of the matching stages: how much time a kill has to land in one.
   */
  static final AtomicLong matchedTaskMillis = new AtomicLong(Long.MAX_VALUE);

  private static volatile CountDownLatch killed = new CountDownLatch(1);

  /**
   * Kill at the {@code nth} (1-based) stage whose name finds {@code stage}, {@code delayMs} after
   * its first task starts.
   */
  static void arm(String stage, int nth, long delayMs) {
    stagePattern = Pattern.compile(stage);
    ExecutorKiller.nth = nth;
    ExecutorKiller.delayMs = delayMs;
    appId = null;
    STAGES.clear();
    matched.set(0);
    targetStage = -1;
    killedExecutor = null;
    killedPid.set(-1);
    killedStage = null;
    lostTasks.set(0);
    failedTasks.set(0);
    executorsAdded.set(0);
    executorsRemoved.set(0);
    matchedTaskMillis.set(Long.MAX_VALUE);
    killed = new CountDownLatch(1);
  }

  /** True once an executor was killed (waits up to {@code seconds}). */
  static boolean awaitKill(long seconds) throws InterruptedException {
    return killed.await(seconds, TimeUnit.SECONDS);
  }

  static String describe() {
    return String.format(
        "killed executor %s (pid %d) in stage '%s' %d ms after its first task started (the shortest"
            + " task of such stages took %d ms); %d task(s) lost with it, %d failed; executors"
            + " added %d, removed %d",
        killedExecutor,
        killedPid.get(),
        killedStage,
        delayMs,
        matchedTaskMillis.get(),
        lostTasks.get(),
        failedTasks.get(),
        executorsAdded.get(),
        executorsRemoved.get());
  }

  @Override
  public void onApplicationStart(SparkListenerApplicationStart start) {
    if (start.appId().isDefined()) appId = start.appId().get();
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted s) {
    String name = s.stageInfo().name();
    STAGES.put(s.stageInfo().stageId(), name);
    Pattern p = stagePattern;
    if (p != null
        && targetStage < 0
        && s.stageInfo().attemptNumber() == 0
        && p.matcher(name).find()
        && matched.incrementAndGet() == nth) {
      targetStage = s.stageInfo().stageId();
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart start) {
    if (start.stageId() != targetStage || killedExecutor != null) return;
    String executor = start.taskInfo().executorId();
    killedExecutor = executor;
    killedStage = STAGES.get(start.stageId());
    String driverPort = SparkEnv.get().conf().get("spark.driver.port");
    String app = appId;
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(delayMs);
                OptionalLong pid = executorPid(app, executor, driverPort);
                if (pid.isEmpty())
                  throw new IllegalStateException(
                      "no JVM found for executor " + executor + " of " + app);
                ProcessHandle.of(pid.getAsLong())
                    .ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                killedPid.set(pid.getAsLong());
                System.out.println(
                    "ExecutorKiller: SIGKILL executor "
                        + executor
                        + " (pid "
                        + pid.getAsLong()
                        + ") in '"
                        + killedStage
                        + "'");
              } catch (Exception e) {
                System.out.println("ExecutorKiller: " + e);
              } finally {
                killed.countDown();
              }
            },
            "executor-killer");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo() == null) return;
    Pattern p = stagePattern;
    String stage = STAGES.get(end.stageId());
    if (end.taskInfo().successful() && p != null && stage != null && p.matcher(stage).find()) {
      matchedTaskMillis.accumulateAndGet(end.taskInfo().duration(), Math::min);
    }
    if (!end.taskInfo().failed()) return;
    failedTasks.incrementAndGet();
    if (end.reason() instanceof ExecutorLostFailure) lostTasks.incrementAndGet();
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    executorsAdded.incrementAndGet();
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    executorsRemoved.incrementAndGet();
  }

  /**
   * The pid of the CoarseGrainedExecutorBackend JVM of {@code executor} in {@code app} serving
   * {@code driverPort}.
   */
  static OptionalLong executorPid(String app, String executor, String driverPort)
      throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        List<String> args;
        try {
          args =
              List.of(
                  new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                      .split("\0"));
        } catch (IOException gone) {
          continue; // exited while we looked, or not ours to read
        }
        if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
            && after(args, "--app-id").equals(app)
            && after(args, "--executor-id").equals(executor)
            && after(args, "--driver-url").endsWith(":" + driverPort)) {
          return OptionalLong.of(Long.parseLong(p.getFileName().toString()));
        }
      }
    }
    return OptionalLong.empty();
  }

  private static String after(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
  }
}
