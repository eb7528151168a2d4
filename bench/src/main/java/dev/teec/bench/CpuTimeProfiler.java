package dev.teec.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports throughput per CPU second of the benchmark JVM ({@code ·cpu.ops/s}), next to JMH's
 * wall-clock score. On a machine shared with other work the wall-clock score measures how much of
 * the core the benchmark got; the CPU-time figure measures the code. Enable with {@code -prof
 * dev.teec.bench.CpuTimeProfiler}.
 *
 * <p>The CPU time is the whole process's (every thread, JIT and GC included) between the start and
 * the end of each iteration, divided into every operation JMH counted in that iteration.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;
  private long wallAtStart;

  @Override
  public String getDescription() {
    return "operations per CPU second of the benchmark process";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    wallAtStart = System.nanoTime();
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    long wall = System.nanoTime() - wallAtStart;
    long ops = result.getMetadata().getAllOps();
    return List.of(
        new ScalarResult("·cpu.ops/s", ops * 1e9 / cpu, "ops/cpu-s", AggregationPolicy.AVG),
        new ScalarResult("·cpu.share", (double) cpu / wall, "cpu/wall", AggregationPolicy.AVG));
  }
}
