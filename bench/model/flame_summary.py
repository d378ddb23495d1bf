#!/usr/bin/python3
"""Summarises an async-profiler collapsed-stack file (frame;frame;...;leaf COUNT per line):
the share of samples per category (the first frame from the leaf up that matches one) and the top leaf frames.

  flame_summary.py PROFILE.collapsed [--top 20]
"""
import argparse, collections, re

# Checked leaf-first on every frame of a stack; the first category whose pattern matches takes the sample.
CATEGORIES = [
    ("BLAS (gemm)", r"gemm|gemv|openblas|blas_thread|cblas|dnnl|mkl"),
    ("softmax / cross-entropy / logits", r"softmax|SoftMax|cross_?entropy|CrossEntropy|logits"),
    ("layer norm", r"layer_?norm|LayerNorm|standardize|moments|variance"),
    ("gelu / tanh", r"gelu|Gelu|tanh|Tanh"),
    ("Adam / updater", r"[Aa]dam|[Uu]pdater|applyUpdate"),
    ("parameter averaging", r"[Aa]verag"),
    ("copies / permutes / reshapes", r"permute|Permute|assign|Assign|\bdup\b|\.dup|memcpy|memmove|reshape|Reshape|"
                                     r"transpose|Transpose|concat|Concat|tile|copy|Copy|strided|Strided"),
    ("other libnd4j ops", r"sd::|nd4j|libnd4j|functions::|simdOps|samediff|SameDiff"),
    ("GC", r"GC|G1|gc_|Garbage"),
    ("JIT compiler", r"Compile|C2Compiler|C1|compiler"),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("collapsed")
    p.add_argument("--top", type=int, default=20)
    a = p.parse_args()
    cats, leaves, total = collections.Counter(), collections.Counter(), 0
    compiled = [(name, re.compile(rx)) for name, rx in CATEGORIES]
    for line in open(a.collapsed):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        leaves[frames[-1]] += n
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
