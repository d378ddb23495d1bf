package io.github.sparkgpt.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("hdfs")
class MiniHdfsSmokeTest {
  @TempDir Path tmp;

  @Test
  void starts() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.toString());
    MiniDFSCluster c = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      FileSystem fs = c.getFileSystem();
      fs.mkdirs(new org.apache.hadoop.fs.Path("/x"));
      System.out.println("URI " + fs.getUri());
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/x")));
    } finally {
      c.shutdown();
    }
  }
}
