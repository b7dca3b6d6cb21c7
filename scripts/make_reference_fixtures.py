#!/usr/bin/env python3
"""Writes the MoE reference fixtures under fixtures/reference/ from the real HF transformers modules.

Needs torch and transformers (tested with torch 2.13.0+cpu, transformers 5.18.0) and numpy; the Swift tests
that read the files need neither. Run from the repository root:

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install torch==2.13.0+cpu transformers==5.18.0 numpy
    /tmp/fx/bin/python scripts/make_reference_fixtures.py

For each case it builds the family's MoE block and RMSNorm from a tiny config with random seeded weights,
runs x [T, H] -> normed = RMSNorm(x) -> block(normed), and writes
  <case>/weights_f32.safetensors   the layer's weights under HF checkpoint names (model.layers.0.…), F32
  <case>/weights_bf16.safetensors  the same weights rounded to BF16
  <case>/io.safetensors            input, normed, router_logits, topk_ids (as F32), topk_weights, output and
                                   output_bf16 (the block re-run on the BF16 weights widened to F32), for T = 4
                                   (names as listed) and T = 1 (suffix _t1)
  <case>/config.json               the HF config keys of the tiny model
A seed is rejected unless every top-k (and DeepSeek group) boundary has a margin of at least 1e-4, the T = 4
input leaves at least one expert without tokens, and, for GPT-OSS, both clamps fire.
The safetensors files are written by a small writer below (numpy has no bf16; torch rounds to bf16).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "reference")
H, I_MOE, T = 16, 8, 4
PREFIX = "model.layers.0."


def write_safetensors(path, tensors, metadata):
    """tensors: {name: (dtype "F32"|"BF16", np.ndarray of float32 or uint16 bits)}; header padded to 8 bytes."""
    items = sorted(tensors.items(), key=lambda kv: (-(4 if kv[1][0] == "F32" else 2), kv[0]))
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, (dtype, arr) in items:
        blob = np.ascontiguousarray(arr).astype("<f4" if dtype == "F32" else "<u2").tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def bf16_bits(t):
    return t.detach().to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)


def f32(t):
    return t.detach().to(torch.float32).numpy()


def margin(scores, k):
    """Smallest gap between the k-th and (k+1)-th largest value of each row."""
    s = -np.sort(-scores, axis=-1)
    return float(np.min(s[:, k - 1] - s[:, k])) if s.shape[-1] > k else 1.0


# ---------------------------------------------------------------------------------------------- the cases

def qwen3(norm):
    from transformers import Qwen3MoeConfig
    from transformers.models.qwen3_moe.modeling_qwen3_moe import Qwen3MoeRMSNorm, Qwen3MoeSparseMoeBlock
    cfg = Qwen3MoeConfig(hidden_size=H, moe_intermediate_size=I_MOE, num_experts=8, num_experts_per_tok=2,
                         norm_topk_prob=norm, rms_norm_eps=1e-6)
    return cfg, Qwen3MoeSparseMoeBlock(cfg), Qwen3MoeRMSNorm(H, eps=1e-6)


def deepseek(norm):
    from transformers import DeepseekV3Config
    from transformers.models.deepseek_v3.modeling_deepseek_v3 import DeepseekV3MoE, DeepseekV3RMSNorm
    cfg = DeepseekV3Config(hidden_size=H, moe_intermediate_size=I_MOE, n_routed_experts=16, num_experts_per_tok=4,
                           n_group=4, topk_group=2, n_shared_experts=2, routed_scaling_factor=2.5,
                           norm_topk_prob=norm, rms_norm_eps=1e-6)
    return cfg, DeepseekV3MoE(cfg), DeepseekV3RMSNorm(H, eps=1e-6)


def glm4():
    from transformers import Glm4MoeConfig
    from transformers.models.glm4_moe.modeling_glm4_moe import Glm4MoeMoE, Glm4MoeRMSNorm
    cfg = Glm4MoeConfig(hidden_size=H, moe_intermediate_size=I_MOE, n_routed_experts=8, num_experts_per_tok=2,
                        n_group=1, topk_group=1, n_shared_experts=1, routed_scaling_factor=1.0,
                        norm_topk_prob=True, rms_norm_eps=1e-5)
    return cfg, Glm4MoeMoE(cfg), Glm4MoeRMSNorm(H, eps=1e-5)


def gpt_oss():
    from transformers import GptOssConfig
    from transformers.models.gpt_oss.modeling_gpt_oss import GptOssMLP, GptOssRMSNorm
    cfg = GptOssConfig(hidden_size=H, intermediate_size=I_MOE, num_local_experts=4, num_experts_per_tok=2,
                       rms_norm_eps=1e-5)
    return cfg, GptOssMLP(cfg), GptOssRMSNorm(H, eps=1e-5)


def ernie():
    from transformers import Ernie4_5_MoeConfig
    from transformers.models.ernie4_5_moe.modeling_ernie4_5_moe import (Ernie4_5_MoeRMSNorm,
                                                                         Ernie4_5_MoeSparseMoeBlock)
    cfg = Ernie4_5_MoeConfig(hidden_size=H, moe_intermediate_size=I_MOE, moe_num_experts=8, moe_k=2,
                             moe_num_shared_experts=2, rms_norm_eps=1e-5)
    return cfg, Ernie4_5_MoeSparseMoeBlock(cfg), Ernie4_5_MoeRMSNorm(H, eps=1e-5)


CASES = {
    "qwen3_moe_norm": lambda: qwen3(True),
    "qwen3_moe_nonorm": lambda: qwen3(False),
    "deepseek_v3": lambda: deepseek(True),
    "deepseek_v3_nonorm": lambda: deepseek(False),
    "glm4_moe": glm4,
    "gpt_oss": gpt_oss,
    "ernie4_5_moe": ernie,
}


def fill(block, norm, gen, family):
    """Seeded values for every parameter and buffer: router ×0.5, experts ×0.3 (GPT-OSS ×1 so clamps fire)."""
    with torch.no_grad():
        for name, p in list(block.named_parameters()) + list(block.named_buffers()):
            r = torch.randn(p.shape, generator=gen, dtype=torch.float64)
            if "correction_bias" in name:
                scale = 0.1
            elif name.startswith(("gate.", "router.")):
                scale = 0.5
            elif family == "gpt_oss":
                scale = 1.0 if "gate_up" in name else 0.3
            else:
                scale = 0.3
            p.copy_((r * scale).to(p.dtype))
        norm.weight.copy_(1 + 0.1 * torch.randn(H, generator=gen, dtype=torch.float64))


def checkpoint_weights(block, norm, family, cfg):
    """The block's weights under HF checkpoint names (per-expert split for the v5 fused SwiGLU experts)."""
    sd, out = block.state_dict(), {PREFIX + "post_attention_layernorm.weight": norm.weight}
    m = PREFIX + "mlp."
    if family == "gpt_oss":
        for k in ("router.weight", "router.bias", "experts.gate_up_proj", "experts.gate_up_proj_bias",
                  "experts.down_proj", "experts.down_proj_bias"):
            out[m + k] = sd[k]
        return out
    out[m + "gate.weight"] = sd["gate.weight"]
    if "gate.e_score_correction_bias" in sd:
        out[m + "gate.e_score_correction_bias"] = sd["gate.e_score_correction_bias"]
    if "gate.moe_statics.e_score_correction_bias" in sd:   # Ernie's checkpoint name has no "gate."
        out[m + "moe_statics.e_score_correction_bias"] = sd["gate.moe_statics.e_score_correction_bias"]
    gu, down = sd["experts.gate_up_proj"], sd["experts.down_proj"]
    i = gu.shape[1] // 2
    for e in range(gu.shape[0]):
        out[m + f"experts.{e}.gate_proj.weight"] = gu[e, :i]
        out[m + f"experts.{e}.up_proj.weight"] = gu[e, i:]
        out[m + f"experts.{e}.down_proj.weight"] = down[e]
    for k in ("gate_proj", "up_proj", "down_proj"):
        if f"shared_experts.{k}.weight" in sd:
            out[m + f"shared_experts.{k}.weight"] = sd[f"shared_experts.{k}.weight"]
    return out


def run(block, norm, family, x):
    """(normed, router_logits, topk_ids, topk_weights, output) for x [T, H]."""
    with torch.no_grad():
        normed = norm(x)
        router = block.router if family == "gpt_oss" else block.gate
        logits, weights, ids = router(normed.view(-1, H))
        y = block(normed.view(1, -1, H))
        y = y[0] if isinstance(y, tuple) else y
    return normed, logits, ids, weights, y.view(-1, H)


def acceptable(block, family, cfg, logits, ids, normed):
    """Routing margins ≥ 1e-4, an idle expert at T = 4, GPT-OSS clamps active."""
    l = logits.detach().double().numpy()
    k = ids.shape[1]
    if family in ("deepseek_v3", "glm4_moe"):
        s = 1 / (1 + np.exp(-l)) + block.gate.e_score_correction_bias.double().numpy()
        g = cfg.n_group
        if g > 1:
            grouped = -np.sort(-s.reshape(len(s), g, -1), axis=-1)[..., :2].sum(-1)
            if margin(grouped, cfg.topk_group) < 1e-4:
                return False
            keep = np.argsort(-grouped, axis=-1)[:, :cfg.topk_group]
            mask = np.full_like(s, -np.inf)
            for r in range(len(s)):
                for gi in keep[r]:
                    n = s.shape[1] // g
                    mask[r, gi * n:(gi + 1) * n] = 0
            s = s + mask
    elif family == "ernie4_5_moe":
        p = np.exp(l - l.max(-1, keepdims=True))
        s = p / p.sum(-1, keepdims=True) + block.gate.moe_statics.e_score_correction_bias.double().numpy()[0]
    else:
        s = l
    if margin(s, k) < 1e-4:
        return False
    if len(l) > 1 and len(set(ids.flatten().tolist())) == l.shape[1]:
        return False
    if family == "gpt_oss":
        with torch.no_grad():
            gu = torch.einsum("th,ehj->tej", normed.view(-1, H), block.experts.gate_up_proj) \
                + block.experts.gate_up_proj_bias
        if not (gu[..., ::2] > 7).any() or not (gu[..., 1::2].abs() > 7).any():
            return False
    return True


def make(case, make_modules):
    family = case.replace("_norm", "").replace("_nonorm", "")
    for seed in range(1000):
        cfg, block, norm = make_modules()
        cfg._experts_implementation = "eager"
        if hasattr(block, "experts"):
            block.experts.config = getattr(block.experts, "config", cfg)
        block.eval()
        gen = torch.Generator().manual_seed(1000 * (1 + list(CASES).index(case)) + seed)
        fill(block, norm, gen, family)
        x4 = torch.randn(T, H, generator=gen)
        x1 = torch.randn(1, H, generator=gen)
        r4, r1 = run(block, norm, family, x4), run(block, norm, family, x1)
        if acceptable(block, family, cfg, r4[1], r4[2], r4[0]) and acceptable(block, family, cfg, r1[1], r1[2], r1[0]):
            break
    else:
        sys.exit(f"{case}: no acceptable seed")
    weights = {k: v.detach().clone() for k, v in checkpoint_weights(block, norm, family, cfg).items()}
    # BF16: round every weight, re-run the block with the widened values.
    with torch.no_grad():
        for p in list(block.parameters()) + list(block.buffers()) + list(norm.parameters()):
            p.copy_(p.to(torch.bfloat16).to(p.dtype))
    b4, b1 = run(block, norm, family, x4), run(block, norm, family, x1)
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    meta = {"format": "pt", "case": case, "seed": str(seed), "generator": "scripts/make_reference_fixtures.py",
            "torch": torch.__version__}
    write_safetensors(os.path.join(d, "weights_f32.safetensors"),
                      {k: ("F32", f32(v)) for k, v in weights.items()}, meta)
    write_safetensors(os.path.join(d, "weights_bf16.safetensors"),
                      {k: ("BF16", bf16_bits(v)) for k, v in weights.items()}, meta)
    io = {}
    for suffix, x, r, b in (("", x4, r4, b4), ("_t1", x1, r1, b1)):
        normed, logits, ids, w, y = r
        io.update({f"input{suffix}": x, f"normed{suffix}": normed, f"router_logits{suffix}": logits,
                   f"topk_ids{suffix}": ids.to(torch.float32), f"topk_weights{suffix}": w, f"output{suffix}": y,
                   f"normed_bf16{suffix}": b[0], f"output_bf16{suffix}": b[4]})
    write_safetensors(os.path.join(d, "io.safetensors"), {k: ("F32", f32(v)) for k, v in io.items()}, meta)
    keys = {k: v for k, v in cfg.to_dict().items() if not k.startswith("_") and k not in ("transformers_version",)}
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(keys, f, indent=1, sort_keys=True, default=str)
        f.write("\n")
    print(f"{case}: seed {seed}, T=4 experts used {sorted(set(r4[2].flatten().tolist()))}")


if __name__ == "__main__":
    torch.manual_seed(0)
    for name, fn in CASES.items():
        make(name, fn)
