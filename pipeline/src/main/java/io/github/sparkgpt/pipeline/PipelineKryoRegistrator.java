package io.github.sparkgpt.pipeline;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.github.sparkgpt.pipeline.pack.EncodedDocument;
import io.github.sparkgpt.pipeline.pack.WindowSplit;
import io.github.sparkgpt.pipeline.read.InputFile;
import io.github.sparkgpt.pipeline.write.ParquetPartitionWriter;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets the pipeline run where {@code spark.serializer} is Kryo (a common cluster default): the Kryo
 * 4 that Spark 3.5 ships cannot serialize Java records ("can't get field offset on a record
 * class"), so the records that cross task boundaries fall back to Java serialization. Jobs add this
 * registrator automatically when Kryo is on.
 */
public final class PipelineKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    JavaSerializer java = new JavaSerializer();
    for (Class<?> c :
        new Class<?>[] {
          DocumentChain.Item.class,
          RejectedDocument.class,
          InputFile.class,
          EncodedDocument.class,
          ShardInfo.class,
          ParquetPartitionWriter.WrittenFile.class,
          WindowSplit.Window.class,
          io.github.sparkgpt.pipeline.stats.StageStats.Flagged.class
        }) {
      kryo.register(c, java);
    }
  }
}
