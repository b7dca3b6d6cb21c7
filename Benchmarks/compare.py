#!/usr/bin/env python3
"""Side-by-side speed of metalint-bench (Swift) against numpy and torch CPU on the same shapes, 1 and 2 threads.

    swift build -c release --product metalint-bench
    python3 Benchmarks/compare.py [--repeats N] [--rounds R] [--skip-swift]

numpy runs in a subprocess per thread count with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set before import;
torch (if importable) uses torch.set_num_threads. The torch MoE block is the HF-style eager loop (router
softmax, top-k, renormalise, per-expert gather / SwiGLU / index_add_), written out here so that the comparison
needs no transformers install; when transformers is importable the real Qwen3MoeSparseMoeBlock with
_experts_implementation = "eager" is timed too. All figures are best of N after a warm-up; with --rounds R the
whole set (Swift, numpy, torch) runs R times interleaved and each cell keeps its best round, so that a burst
of load from other work on the machine hits every column alike.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHAPES = [("gemm 64x2048x768", 64), ("gemv 1x2048x768", 1)]
MOE = dict(T=64, H=1024, I=512, E=16, K=2)

WORKER = r'''
import json, sys, time
lib, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
import numpy as np
def best(f):
    f(); b = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); b = min(b, time.perf_counter() - t0)
    return b
out = []
rng = np.random.default_rng(0)
T, H, I, E, K = 64, 1024, 512, 16, 2
moe_flops = lambda t: t * K * 6 * H * I + 2 * t * H * E
if lib == "numpy":
    W = (rng.standard_normal((768, 2048)) * 0.02).astype(np.float32)
    for name, t in (("gemm 64x2048x768", 64), ("gemv 1x2048x768", 1)):
        x = rng.standard_normal((t, 2048)).astype(np.float32)
        s = best(lambda: x @ W.T)
        out.append(dict(name=name, ms=s * 1e3, gflops=2 * t * 2048 * 768 / s / 1e9))
    Wg = (rng.standard_normal((E, H)) * 0.03).astype(np.float32)
    G = (rng.standard_normal((E, I, H)) * 0.03).astype(np.float32)
    U = (rng.standard_normal((E, I, H)) * 0.03).astype(np.float32)
    D = (rng.standard_normal((E, H, I)) * 0.03).astype(np.float32)
    def moe(x):
        logits = x @ Wg.T
        p = np.exp(logits - logits.max(-1, keepdims=True)); p /= p.sum(-1, keepdims=True)
        idx = np.argsort(-p, axis=-1)[:, :K]; w = np.take_along_axis(p, idx, -1); w /= w.sum(-1, keepdims=True)
        y = np.zeros_like(x)
        for e in range(E):
            tok, slot = np.nonzero(idx == e)
            if len(tok) == 0: continue
            xe = x[tok]; g = xe @ G[e].T; u = xe @ U[e].T
            h = g / (1 + np.exp(-g)) * u
            np.add.at(y, tok, (h @ D[e].T) * w[tok, slot, None])
        return y
    for name, t in (("moe T=64 H=1024 I=512 E=16", 64), ("moe_t1 (decode)", 1)):
        x = rng.standard_normal((t, H)).astype(np.float32)
        s = best(lambda: moe(x))
        out.append(dict(name=name, ms=s * 1e3, gflops=moe_flops(t) / s / 1e9))
else:
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    W = torch.randn(768, 2048, generator=g) * 0.02
    with torch.no_grad():
        for name, t in (("gemm 64x2048x768", 64), ("gemv 1x2048x768", 1)):
            x = torch.randn(t, 2048, generator=g)
            s = best(lambda: F.linear(x, W))
            out.append(dict(name=name, ms=s * 1e3, gflops=2 * t * 2048 * 768 / s / 1e9))
        Wg = torch.randn(E, H, generator=g) * 0.03
        GU = torch.randn(E, 2 * I, H, generator=g) * 0.03
        D = torch.randn(E, H, I, generator=g) * 0.03
        def moe(x):  # the HF v5 eager loop (Qwen3MoeTopKRouter + Qwen3MoeExperts)
            logits = F.linear(x, Wg)
            p = F.softmax(logits, dim=-1, dtype=torch.float)
            w, idx = torch.topk(p, K, dim=-1)
            w = w / w.sum(dim=-1, keepdim=True)
            y = torch.zeros_like(x)
            mask = F.one_hot(idx, num_classes=E).permute(2, 1, 0)
            hit = torch.greater(mask.sum(dim=(-1, -2)), 0).nonzero()
            for e in hit:
                e = e[0]
                slot, tok = torch.where(mask[e])
                gate, up = F.linear(x[tok], GU[e]).chunk(2, dim=-1)
                h = F.linear(F.silu(gate) * up, D[e]) * w[tok, slot, None]
                y.index_add_(0, tok, h)
            return y
        for name, t in (("moe T=64 H=1024 I=512 E=16", 64), ("moe_t1 (decode)", 1)):
            x = torch.randn(t, H, generator=g)
            s = best(lambda: moe(x))
            out.append(dict(name=name + " [torch eager loop]", ms=s * 1e3, gflops=moe_flops(t) / s / 1e9))
        try:
            from transformers import Qwen3MoeConfig
            from transformers.models.qwen3_moe.modeling_qwen3_moe import Qwen3MoeSparseMoeBlock
            cfg = Qwen3MoeConfig(hidden_size=H, moe_intermediate_size=I, num_experts=E, num_experts_per_tok=K,
                                 norm_topk_prob=True)
            cfg._experts_implementation = "eager"
            blk = Qwen3MoeSparseMoeBlock(cfg).eval()
            for p_ in blk.parameters(): p_.copy_(torch.randn(p_.shape, generator=g) * 0.03)
            for name, t in (("moe T=64 H=1024 I=512 E=16", 64), ("moe_t1 (decode)", 1)):
                x = torch.randn(1, t, H, generator=g)
                s = best(lambda: blk(x))
                out.append(dict(name=name + " [HF Qwen3MoeSparseMoeBlock]", ms=s * 1e3,
                                gflops=moe_flops(t) / s / 1e9))
        except ImportError:
            pass
print(json.dumps(out))
'''


def run_worker(lib, threads, repeats):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    r = subprocess.run([sys.executable, "-c", WORKER, lib, str(threads), str(repeats)], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"
    return json.loads(r.stdout.strip().splitlines()[-1]), None


def main():
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 20
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 1
    rows = {}   # (name, threads) -> {column: (ms, gflops)}

    def keep(key, column, ms, gflops):
        cell = rows.setdefault(key, {})
        if column not in cell or ms < cell[column][0]:
            cell[column] = (ms, gflops)

    for _ in range(rounds):
        if "--skip-swift" not in sys.argv:
            exe = os.path.join(ROOT, ".build", "release", "metalint-bench")
            r = subprocess.run([exe, "--json", "--repeats", str(repeats)], capture_output=True, text=True,
                               check=True)
            for d in json.loads(r.stdout):
                keep((d["name"], d["threads"]), "swift", d["ms"], d["gflops"])
        for lib in ("numpy", "torch"):
            for threads in (1, 2):
                res, err = run_worker(lib, threads, repeats)
                if res is None:
                    print(f"# {lib} with {threads} thread(s) skipped: {err}")
                    continue
                for d in res:
                    base, _, variant = d["name"].partition(" [")
                    column = lib if not variant else f"{lib} {variant.rstrip(']')}"
                    keep((base, threads), column, d["ms"], d["gflops"])
    columns = []
    for cols in rows.values():
        for c in cols:
            if c not in columns:
                columns.append(c)
    print(f"{'case':30} {'thr':>3}  " + "  ".join(f"{c:>30}" for c in columns))
    for (name, threads), cols in rows.items():
        cells = [f"{cols[c][0]:9.3f} ms {cols[c][1]:6.1f} GF/s" if c in cols else "-" for c in columns]
        print(f"{name:30} {threads:>3}  " + "  ".join(f"{c:>30}" for c in cells))
    for (name, threads), cols in rows.items():
        if "swift" in cols:
            for c, (ms, _) in cols.items():
                if c != "swift":
                    print(f"# {name} threads={threads}: swift is {ms / cols['swift'][0]:.2f}x the speed of {c}")


if __name__ == "__main__":
    main()
