package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.HuggingFaceExporter;
import io.github.sparkgpt.model.Inference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Exports tiny models (random weights and trained, pre-LN and post-LN) to the Hugging Face layout
 * and checks that the PyTorch reference (bench/model/torch_gpt.py check) loading the export gives
 * the same logits (max abs diff below 1e-4). Usage: {@code bench/run ModelExportCheck
 * [workDir=bench/results/export-check]}
 */
public final class ModelExportCheck {

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/results/export-check");
    boolean allOk = true;
    for (String ln : new String[] {"pre", "post"}) {
      for (boolean trained : new boolean[] {false, true}) {
        GptConfig c = GptConfig.tiny().setLayerNorm(ln).setInitStd(trained ? 0.02 : 0.5);
        ComputationGraph net = GptModel.create(c, 1e-2, 5);
        Random r = new Random(5);
        if (trained) {
          int[][] seqs = new int[8][17];
          for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = r.nextInt(64);
          DataSet ds = GptBatch.fromSequences(seqs, 16);
          for (int i = 0; i < 100; i++) net.fit(ds);
        }
        Path dir = work.resolve(ln + (trained ? "-trained" : "-random"));
        HuggingFaceExporter.export(new Checkpoint(net, "{}".getBytes(), 64, null), dir);
        ObjectNode ref = new ObjectMapper().createObjectNode();
        ArrayNode cases = ref.putArray("cases");
        Inference inf = new Inference(net);
        for (int k = 0; k < 4; k++) {
          int len = 3 + r.nextInt(14);
          INDArray ids = Nd4j.create(DataType.FLOAT, 1, len);
          ObjectNode cs = cases.addObject();
          ArrayNode toks = cs.putArray("tokens");
          for (int i = 0; i < len; i++) {
            int t = r.nextInt(64);
            ids.putScalar(0, i, t);
            toks.add(t);
          }
          INDArray logits = inf.logits(ids).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
          ArrayNode rows = cs.putArray("logits");
          for (int i = 0; i < len; i++) {
            ArrayNode row = rows.addArray();
            for (float v : logits.getRow(i).toFloatVector()) row.add(v);
          }
        }
        Path json = dir.resolve("dl4j-logits.json");
        Files.writeString(json, ref.toString());
        Process p =
            new ProcessBuilder(
                    "/usr/bin/python3",
                    "bench/model/torch_gpt.py",
                    "check",
                    dir.toString(),
                    json.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        double diff = out.startsWith("CHECK") ? Double.parseDouble(out.split(" ")[2]) : Double.NaN;
        boolean ok = diff < 1e-4;
        allOk &= ok;
        System.out.printf(
            "%-5s %-8s max |logit diff| = %s  %s%n",
            ln,
            trained ? "trained" : "random",
            out.startsWith("CHECK") ? String.format("%.2e", diff) : out,
            ok ? "OK" : "FAIL");
      }
    }
    System.exit(allOk ? 0 : 1);
  }
}
