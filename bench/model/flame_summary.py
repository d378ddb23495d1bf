#!/usr/bin/python3
"""Summarises an async-profiler collapsed-stack file (frame;frame;...;leaf COUNT per line):
the share of samples per category (the first frame from the leaf up that matches one) and the top leaf frames.

  flame_summary.py PROFILE.collapsed [--top 20]
Categories are by kernel name, so they are approximate: a sum reduction may serve layer norm or a bias gradient.
"""
import argparse, collections, re

# A stack from a JIT or GC thread is counted as such wherever the frame is.
THREADS = [
    ("JIT compiler", r"CompileBroker|C2Compiler|C1Compiler|Compile::Compile"),
    ("GC", r"GCTaskThread|G1[A-Z]|ConcurrentGCThread|GangWorker|WorkerThread::run"),
]
# Otherwise checked leaf-first on every frame; the first category whose pattern matches takes the sample.
# libnd4j's OpenMP workers carry no Java frames, so the op is known from its kernel name only: layer norm is
# built from variance (SummaryStats) and sum reductions, gelu from tanh and pow.
CATEGORIES = [
    ("BLAS (gemm)", r"gemm|gemv|openblas|blas_thread|cblas|dnnl|mkl"),
    ("softmax / cross-entropy / exp, log", r"softmax|SoftMax|cross_?entropy|CrossEntropy|logits|expf|logf|Exp<|Log<"),
    ("layer norm (variance)", r"layer_?norm|LayerNorm|standardize|moments|[Vv]ariance|SummaryStats"),
    ("gelu (tanh, pow)", r"gelu|Gelu|tanh|Tanh|powf|Pow<|xflowf"),
    ("Adam / updater", r"[Aa]dam|[Uu]pdater|applyUpdate"),
    ("parameter averaging", r"[Aa]verag"),
    ("copies / permutes / reshapes", r"permute|Permute|Assign|assign|\.dup|memcpy|memmove|reshape|Reshape|"
                                     r"transpose|Transpose|concat|Concat|tile|[Cc]opy|strided|Strided|memset"),
    ("sum / mean reductions (bias gradients, norms)", r"[Rr]educe|Sum<|Mean<"),
    ("element-wise and broadcast ops", r"PairWise|pairwise|[Bb]roadcast|[Ss]calar|Transform"),
    ("Java side: SameDiff sessions, op dispatch, DL4J", r"^(org|java|jdk|sun|com|io)/"),
    ("other libnd4j", r"sd::|nd4j|libnd4j|functions::|simdOps"),
    ("OpenMP / kernel scheduling", r"libgomp|gomp_|_\[k\]"),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("collapsed")
    p.add_argument("--top", type=int, default=20)
    a = p.parse_args()
    cats, leaves, total = collections.Counter(), collections.Counter(), 0
    compiled = [(name, re.compile(rx)) for name, rx in CATEGORIES]
    threads = [(name, re.compile(rx)) for name, rx in THREADS]
    for line in open(a.collapsed):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        leaves[frames[-1]] += n
        thread = next((name for name, rx in threads if any(rx.search(f) for f in frames)), None)
        if thread:
            cats[thread] += n
            continue
        for f in reversed(frames):
            hit = next((name for name, rx in compiled if rx.search(f)), None)
            if hit:
                cats[hit] += n
                break
        else:
            cats["other (Java, kernel, libc)"] += n
    print("%d samples" % total)
    print("by category (first matching frame from the leaf up):")
    for name, n in cats.most_common():
        print("  %5.1f%%  %s" % (100.0 * n / total, name))
    print("top %d leaf frames (self time):" % a.top)
    for f, n in leaves.most_common(a.top):
        print("  %5.1f%%  %s" % (100.0 * n / total, f[:150]))


if __name__ == "__main__":
    main()
