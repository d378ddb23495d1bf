package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PartitionBalancerTest {
  @Test
  void configuredCountWinsOtherwiseFilesCappedByCores() {
    assertEquals(5, PartitionBalancer.partitions(5, 100, 2));
    assertEquals(3, PartitionBalancer.partitions(0, 3, 2), "never more partitions than files");
    assertEquals(8, PartitionBalancer.partitions(0, 100, 2), "4 per core");
    assertEquals(1, PartitionBalancer.partitions(0, 0, 2), "at least one");
  }
}
