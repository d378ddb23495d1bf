#!/usr/bin/python3
"""Reference GPT in PyTorch, the same architecture as io.github.sparkgpt.model (GptGraph).

  bench:  torch_gpt.py bench --config JSON --batch 16 --steps 10 --threads 2
          prints "RESULT <train tokens/s> <forward tokens/s> <best 1024^3 matmul GFLOP/s>"
  generate: torch_gpt.py generate --config JSON --batch 32 --prompt 64 --new 64 --threads 2
          greedy decoding with a key/value cache; prints "RESULT <new tokens/s>" (prefill included)
  check:  torch_gpt.py check EXPORT_DIR TOKENS_AND_LOGITS.json
          loads a Hugging Face export (config.json + model.safetensors, no transformers needed) and prints the
          max abs difference of its logits against the DL4J logits stored in the JSON file.
"""
import argparse, json, math, struct, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu_tanh(x):
    """GELU's tanh form, GptGraph's: PyTorch's fused op (its forward was 1.4x faster than the formula in ops)."""
    return F.gelu(x, approximate="tanh")


class Block(nn.Module):
    def __init__(s, c):
        super().__init__()
        d, f = c["dModel"], c["ffnSize"]
        s.pre, s.h = c["layerNorm"] == "PRE", c["heads"]
        s.ln_1, s.ln_2 = nn.LayerNorm(d, eps=c.get("eps", 0.0)), nn.LayerNorm(d, eps=c.get("eps", 0.0))
        s.c_attn, s.c_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        s.c_fc, s.mlp_proj = nn.Linear(d, f), nn.Linear(f, d)
        s.attn_drop, s.resid_drop = nn.Dropout(c["attentionDropout"]), nn.Dropout(c["residualDropout"])

    def attn(s, x, cache=None):
        b, t, d = x.shape
        q, k, v = s.c_attn(x).split(d, dim=2)
        q, k, v = [z.view(b, t, s.h, d // s.h).transpose(1, 2) for z in (q, k, v)]
        if cache is not None:                                           # [past keys, past values]
            if cache[0] is not None:
                k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
            cache[0], cache[1] = k, v
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // s.h)
        n = k.shape[2]
        mask = torch.ones(t, n, dtype=torch.bool).triu(n - t + 1)
        att = s.attn_drop(F.softmax(att.masked_fill(mask, -1e9), dim=-1))
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        return s.resid_drop(s.c_proj(y))

    def mlp(s, x):
        return s.resid_drop(s.mlp_proj(gelu_tanh(s.c_fc(x))))

    def forward(s, x, cache=None):
        if s.pre:
            x = x + s.attn(s.ln_1(x), cache)
            return x + s.mlp(s.ln_2(x))
        n = s.ln_1(x + s.attn(x, cache))
        return s.ln_2(n + s.mlp(n))


class GPT(nn.Module):
    def __init__(s, c):
        super().__init__()
        s.c = c
        s.wte = nn.Embedding(c["vocabSize"], c["dModel"])
        s.wpe = nn.Embedding(c["contextLength"], c["dModel"])
        s.drop = nn.Dropout(c["embeddingDropout"])
        s.blocks = nn.ModuleList([Block(c) for _ in range(c["layers"])])
        s.ln_f = nn.LayerNorm(c["dModel"], eps=c.get("eps", 0.0)) if c["layerNorm"] == "PRE" else None
        # same init as GptGraph.initializeParameters: N(0, std), residual projections / sqrt(2 L), biases 0
        std = c.get("initStd", 0.02)
        for name, p in s.named_parameters():
            if name.endswith("bias") or ".ln_" in name or name.startswith("ln_f"):
                continue
            scale = 1 / math.sqrt(2 * c["layers"]) if name.endswith("c_proj.weight") or name.endswith("mlp_proj.weight") else 1.0
            nn.init.normal_(p, 0.0, std * scale)
        for mod in s.modules():
            if isinstance(mod, nn.Linear):
                nn.init.zeros_(mod.bias)

    def forward(s, ids, targets=None, caches=None, start=0):
        t = ids.shape[1]
        x = s.drop(s.wte(ids) + s.wpe(torch.arange(start, start + t)))
        for i, b in enumerate(s.blocks):
            x = b(x, None if caches is None else caches[i])
        if s.ln_f is not None:
            x = s.ln_f(x)
        logits = x @ s.wte.weight.t()                                  # tied head
        if targets is None:
            return logits
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)


def warm_up(run, a):
    """At least --warmup-steps runs and --warmup-seconds, as ModelBench warms up the DL4J side."""
    t0, n = time.time(), 0
    while n < a.warmup_steps or time.time() - t0 < a.warmup_seconds:
        run()
        n += 1


def bench(a):
    torch.set_num_threads(a.threads)
    c = json.loads(a.config)
    torch.manual_seed(1)
    m = GPT(c)
    opt = torch.optim.Adam(m.parameters(), lr=3e-4)
    t = c["contextLength"]
    seq = torch.randint(0, c["vocabSize"], (a.batch, t + 1))
    x, y = seq[:, :-1], seq[:, 1:]
    def step():
        opt.zero_grad(set_to_none=True)
        loss = m(x, y)
        loss.backward()
        opt.step()
        return loss
    warm_up(step, a)
    t0 = time.time()
    for _ in range(a.steps):
        loss = step()
    train = a.steps * a.batch * t / (time.time() - t0)
    m.eval()
    with torch.no_grad():
        warm_up(lambda: m(x), a)
        t0 = time.time()
        for _ in range(a.steps):
            m(x)
        fwd = a.steps * a.batch * t / (time.time() - t0)
    print("NOTE torch %s threads=%d loss=%.3f" % (torch.__version__, torch.get_num_threads(), loss.item()))
    print("RESULT %f %f %f" % (train, fwd, matmul_gflops()))


def matmul_gflops():
    """The best of a few 1024^3 float32 matmuls: what BLAS reaches with these thread settings."""
    a, b, best = torch.rand(1024, 1024), torch.rand(1024, 1024), 0.0
    for _ in range(8):
        t0 = time.perf_counter()
        a @ b
        best = max(best, 2 * 1024 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def generate(a):
    """Greedy decoding with a key/value cache: one prefill pass, then one position per step."""
    torch.set_num_threads(a.threads)
    c = json.loads(a.config)
    torch.manual_seed(1)
    m = GPT(c).eval()
    prompt = torch.randint(0, c["vocabSize"], (a.batch, a.prompt))
    def run():
        caches = [[None, None] for _ in m.blocks]
        logits = m(prompt, caches=caches)[:, -1]
        for i in range(a.new):
            nxt = logits.argmax(-1, keepdim=True)                      # [B, 1]
            if i + 1 < a.new:
                logits = m(nxt, caches=caches, start=a.prompt + i)[:, -1]
    with torch.no_grad():
        run()                                                           # warm-up
        t0 = time.time()
        run()
        tps = a.batch * a.new / (time.time() - t0)
    print("torch %s threads=%d batch=%d" % (torch.__version__, torch.get_num_threads(), a.batch))
    print("RESULT %f" % tps)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] == "F32", name
        a, b = t["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(t["shape"])
    return out


def load_export(d):
    """Our reference model from a Hugging Face export directory (GPT-2 or OpenAI-GPT names)."""
    hf = json.load(open(d + "/config.json"))
    pre = hf["model_type"] == "gpt2"
    c = {"vocabSize": hf["vocab_size"], "contextLength": hf["n_positions"], "layers": hf["n_layer"],
         "dModel": hf["n_embd"], "heads": hf["n_head"], "ffnSize": hf.get("n_inner") or 4 * hf["n_embd"],
         "layerNorm": "PRE" if pre else "POST", "embeddingDropout": 0.0, "attentionDropout": 0.0,
         "residualDropout": 0.0, "eps": hf["layer_norm_epsilon"]}
    m = GPT(c)
    w = read_safetensors(d + "/model.safetensors")
    sd = {"wte.weight": w.pop("transformer.wte.weight" if pre else "transformer.tokens_embed.weight"),
          "wpe.weight": w.pop("transformer.wpe.weight" if pre else "transformer.positions_embed.weight")}
    if pre:
        sd["ln_f.weight"], sd["ln_f.bias"] = w.pop("transformer.ln_f.weight"), w.pop("transformer.ln_f.bias")
    rename = {"attn.c_attn": "c_attn", "attn.c_proj": "c_proj", "mlp.c_fc": "c_fc", "mlp.c_proj": "mlp_proj",
              "ln_1": "ln_1", "ln_2": "ln_2"}
    for i in range(c["layers"]):
        for hf_name, ours in rename.items():
            for kind in ("weight", "bias"):
                t = w.pop("transformer.h.%d.%s.%s" % (i, hf_name, kind))
                if kind == "weight" and not hf_name.startswith("ln"):
                    t = t.t()                                   # HF Conv1D [in, out] -> nn.Linear [out, in]
                sd["blocks.%d.%s.%s" % (i, ours, kind)] = t
    assert not w, "unexpected tensors: %s" % list(w)
    m.load_state_dict(sd)
    return m.eval()


def check(a):
    torch.set_num_threads(2)
    m = load_export(a.export_dir)
    ref = json.load(open(a.logits_json))
    worst = 0.0
    for case in ref["cases"]:
        with torch.no_grad():
            got = m(torch.tensor([case["tokens"]]))[0]
        want = torch.tensor(case["logits"])
        worst = max(worst, (got - want).abs().max().item())
    print("CHECK max_abs_diff %.3e over %d sequences" % (worst, len(ref["cases"])))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench")
    b.add_argument("--config", required=True)
    b.add_argument("--batch", type=int, default=16)
    b.add_argument("--steps", type=int, default=10)
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--warmup-steps", type=int, default=32)
    b.add_argument("--warmup-seconds", type=float, default=20)
    g = sub.add_parser("generate")
    g.add_argument("--config", required=True)
    g.add_argument("--batch", type=int, default=1)
    g.add_argument("--prompt", type=int, default=64)
    g.add_argument("--new", type=int, default=64)
    g.add_argument("--threads", type=int, default=2)
    c = sub.add_parser("check")
    c.add_argument("export_dir")
    c.add_argument("logits_json")
    a = p.parse_args()
    if a.cmd == "bench":
        bench(a)
    elif a.cmd == "generate":
        generate(a)
    else:
        check(a)
