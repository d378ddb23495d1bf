package io.github.sparkgpt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * CPU profile of training steps with async-profiler (its Java API; the native library comes out of
 * its jar): started after warm-up, so graph building and JIT are left out. Writes PREFIX.collapsed
 * (one stack per line with its sample count, for bench/model/flame_summary.py) and PREFIX.html (the
 * flame graph).
 */
final class TrainingProfile {
  private TrainingProfile() {}

  static void run(ComputationGraph net, DataSet ds, double seconds, Path prefix)
      throws IOException {
    Files.createDirectories(prefix.toAbsolutePath().getParent());
    AsyncProfiler profiler = AsyncProfiler.getInstance();
    // cpu = perf_events cpu-clock, native frames included (BLAS, libnd4j); itimer if the kernel
    // refuses.
    String event = System.getProperty("bench.profile.event", "cpu");
    profiler.execute("start,event=" + event + ",interval=5ms,cstack=vm");
    long t0 = System.nanoTime();
    int steps = 0;
    while (System.nanoTime() - t0 < seconds * 1e9) {
      net.fit(ds);
      steps++;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    profiler.execute("stop,collapsed,file=" + prefix + ".collapsed");
    profiler.execute("dump,flamegraph,file=" + prefix + ".html");
    System.out.printf(
        "NOTE profiled %d training steps in %.1f s (event %s, %d samples): %s.{collapsed,html}%n",
        steps, secs, event, profiler.getSamples(), prefix);
  }
}
