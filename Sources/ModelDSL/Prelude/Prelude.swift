/// The prelude: ModelDSL source shipped inside the tool, parsed and checked with every program. Its
/// `extern func`s are implemented by the executor (`Reference`).
public enum Prelude {
  public static let path = "<prelude>"

  public static let source = #"""
// The MoE phase, chunking state and parallel layout of one forward step.
context ForwardMeta {
  moe_phase: String = "prefill"
  moe_num_chunk: Int = 1
  max_moe_num_chunk: Int = 1
}

// A learned tensor of the enclosing layer; its weight name is the layer's field path, a dot, and `name`.
extern func parameter(name: String, shape: [Int]) -> Tensor
extern func linear(x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor
extern func rms_norm(x: Tensor, weight: Tensor, eps: Float) -> Tensor
extern func embedding(ids: Tensor, table: Tensor) -> Tensor
extern func silu(x: Tensor) -> Tensor
extern func gelu(x: Tensor) -> Tensor
extern func sigmoid(x: Tensor) -> Tensor
extern func softmax(x: Tensor) -> Tensor
// GPT-OSS: gate = min(even columns, limit), up = clamp(odd columns, ±limit), (up + 1) · gate · σ(alpha · gate).
extern func swiglu_oai(x: Tensor, alpha: Float = 1.702, limit: Float = 7.0) -> Tensor
extern func rows(x: Tensor) -> Int
extern func split_rows(x: Tensor, parts: Int) -> [Tensor]
extern func concat_rows(parts: [Tensor]) -> Tensor
extern func empty_rows(like: Tensor) -> Tensor
extern func to_string(value: Int) -> String
// Routes the tokens of `x` by `logits` and runs `moe`'s experts: grouped per expert in the prefill phase,
// per token in the decode phase.
extern func moe_experts(x: Tensor, logits: Tensor, moe: FusedMoE, phase: String) -> Tensor

layer Linear(in_features: Int, out_features: Int, bias: Bool = false) {
  let weight = parameter("weight", [out_features, in_features])
  let bias = if bias { parameter("bias", [out_features]) } else { nil }

  func forward(x: Tensor) -> Tensor {
    return linear(x, weight, bias)
  }
}

layer RMSNorm(dim: Int, eps: Float = 1e-6) {
  let weight = parameter("weight", [dim])

  func forward(x: Tensor) -> Tensor {
    return rms_norm(x, weight, eps)
  }
}

layer Embedding(num_embeddings: Int, dim: Int) {
  let weight = parameter("weight", [num_embeddings, dim])

  func forward(x: Tensor) -> Tensor {
    return embedding(x, weight)
  }
}

// The fused MoE layer, dispatching as FastDeploy's does. Routing: `scoring` "softmax" (renormalised when
// `renormalize`, by max(sum, `norm_min`) when `norm_min` > 0; `correction_bias` affects selection only),
// "softmax_topk" (GPT-OSS: softmax over the k selected logits), or "sigmoid" (DeepSeek-V3, GLM-4 MoE:
// correction bias for selection, group-limited top-k over `n_group` groups keeping `topk_group`, weights
// renormalised with +1e-20 when `renormalize`, times `routed_scaling_factor`). Experts: `activation`
// "swiglu" (per-expert gate/up/down projections) or "swiglu_oai" (GPT-OSS fused, biased, interleaved).
// Chunked MoE runs when expert parallelism enables it or when the step's ForwardMeta asks for chunks.
layer FusedMoE(hidden: Int, intermediate: Int, num_experts: Int, top_k: Int,
               scoring: String = "softmax", renormalize: Bool = true, norm_min: Float = 0.0,
               correction_bias: Tensor? = nil, n_group: Int = 1, topk_group: Int = 1,
               routed_scaling_factor: Float = 1.0, activation: String = "swiglu", tp_size: Int = 1,
               use_ep: Bool = false, enable_chunked_moe: Bool = false) {
  // Expert weights under the names HF checkpoints use: `experts.3.gate_proj.weight` (SwiGLU) or the fused
  // GPT-OSS `experts.gate_up_proj` [E, H, 2I] (interleaved), `experts.down_proj` [E, I, H] and biases.
  let n_swiglu = if activation == "swiglu" { num_experts } else { 0 }
  let gate_proj = [parameter(to_string(e) + ".gate_proj.weight", [intermediate, hidden]) for e in 0..<n_swiglu]
  let up_proj = [parameter(to_string(e) + ".up_proj.weight", [intermediate, hidden]) for e in 0..<n_swiglu]
  let down_proj = [parameter(to_string(e) + ".down_proj.weight", [hidden, intermediate]) for e in 0..<n_swiglu]
  let oai = activation == "swiglu_oai"
  let gate_up_proj = if oai { parameter("gate_up_proj", [num_experts, hidden, 2 * intermediate]) } else { nil }
  let gate_up_proj_bias = if oai { parameter("gate_up_proj_bias", [num_experts, 2 * intermediate]) } else { nil }
  let down_proj_fused = if oai { parameter("down_proj", [num_experts, intermediate, hidden]) } else { nil }
  let down_proj_bias = if oai { parameter("down_proj_bias", [num_experts, hidden]) } else { nil }

  func forward(x: Tensor, gate: Linear, forwardMeta: ForwardMeta) -> Tensor {
    if tp_size > 1 && rows(x) >= tp_size {
      return forward_split_allgather(x, gate, forwardMeta)
    }
    if use_ep && enable_chunked_moe || forwardMeta.max_moe_num_chunk > 1 {
      return forward_chunked_moe(x, gate, forwardMeta)
    }
    return forward_normal(x, gate, forwardMeta)
  }

  // Each simulated tensor-parallel rank computes its slice of the tokens; the slices are gathered back.
  func forward_split_allgather(x: Tensor, gate: Linear, forwardMeta: ForwardMeta) -> Tensor {
    let parts = split_rows(x, tp_size)
    return concat_rows([forward_normal(parts[r], gate, forwardMeta) for r in 0..<tp_size])
  }

  // This rank's tokens in `moe_num_chunk` chunks, padded with empty chunks up to the maximum over ranks, as
  // expert parallelism needs every rank to run the same number of collectives.
  func forward_chunked_moe(x: Tensor, gate: Linear, forwardMeta: ForwardMeta) -> Tensor {
    let chunks = split_rows(x, forwardMeta.moe_num_chunk)
    let outs = [if c < forwardMeta.moe_num_chunk { forward_normal(chunks[c], gate, forwardMeta) }
                else { forward_normal(empty_rows(x), gate, forwardMeta) }
                for c in 0..<forwardMeta.max_moe_num_chunk]
    return concat_rows(outs)
  }

  func forward_normal(x: Tensor, gate: Linear, forwardMeta: ForwardMeta) -> Tensor {
    return moe_experts(x, gate(x), self, forwardMeta.moe_phase)
  }
}
"""#
}
