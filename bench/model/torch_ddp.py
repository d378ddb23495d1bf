#!/usr/bin/python3
"""Data-parallel pretraining throughput of the reference GPT (torch_gpt.py) with DistributedDataParallel
(gloo, CPU): WORLD processes x 1 thread, BATCH sequences per process per step, gradients all-reduced every step,
AdamW (weight decay 0.01) and global-norm clipping 1.0 as the pretrain job configures them.

  torch_ddp.py DATA_DIR [--world 2] [--batch 16] [--steps 20] [--warmup 5] [--steady S]
  DATA_DIR: train.i32 + meta.json from `bench/run ShardExport` (the same sequences the DL4J side trains on)
  prints "RESULT <train tokens/s over the steps after warm-up>", and with --steady "STEADY <tokens/s over the steps
  after the first S>" (S counts the warm-up steps, as the DL4J side counts its steps)
Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 (bench/whole-machine sets them): the threads are fixed at start.
"""
import argparse, json, os, sys, time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_gpt import GPT  # noqa: E402


def worker(rank, a):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=a.world)
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    c = meta["config"]
    rows = np.fromfile(os.path.join(a.data, "train.i32"), dtype="<i4").reshape(meta["rows"], meta["sequenceLength"])
    mine = rows[rank::a.world]                                    # each process its own slice, like Spark's
    need = (a.warmup + a.steps) * a.batch
    if len(mine) < need:
        mine = np.resize(mine, (need, mine.shape[1]))             # wrap around, as a second epoch would
    torch.manual_seed(1)                                          # same initial weights on every rank
    model = DistributedDataParallel(GPT(c))
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or ".ln_" in n or "ln_f" in n]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or ".ln_" in n or "ln_f" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=6e-4)
    t = c["contextLength"]

    def step(i):
        seq = torch.from_numpy(mine[i * a.batch:(i + 1) * a.batch].astype(np.int64))
        opt.zero_grad(set_to_none=True)
        loss = model(seq[:, :t], seq[:, 1:t + 1])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for i in range(a.warmup):
        step(i)
    dist.barrier()
    t0 = time.perf_counter()
    ts = None
    for i in range(a.warmup, a.warmup + a.steps):
        if i == a.steady:
            dist.barrier()
            ts = time.perf_counter()
        loss = step(i)
    dist.barrier()
    end = time.perf_counter()
    secs = end - t0
    if rank == 0:
        print("NOTE torch %s world=%d threads=%d batch=%d/process T=%d steps=%d (after %d warm-up) loss=%.3f"
              % (torch.__version__, a.world, torch.get_num_threads(), a.batch, t, a.steps, a.warmup, loss))
        print("RESULT %f" % (a.world * a.batch * t * a.steps / secs))
        if ts is not None:
            print("STEADY %f" % (a.world * a.batch * t * (a.warmup + a.steps - a.steady) / (end - ts)))
    dist.destroy_process_group()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--world", type=int, default=2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steady", type=int, default=-1)
    p.add_argument("--port", type=int, default=int(os.environ.get("SPARKGPT_DDP_PORT", "29517")))
    a = p.parse_args()
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ["MASTER_PORT"] = str(a.port)
    mp.spawn(worker, args=(a,), nprocs=a.world, join=True)
