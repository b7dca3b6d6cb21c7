import Foundation

/// Builds `MoEConfig`s and `MoEBlock`s from HF `config.json` keys and checkpoint tensor names.
///
/// Families (`model_type`): qwen3_moe / qwen2_moe, deepseek_v3, glm4_moe, gpt_oss, ernie4_5_moe. The tensor
/// names are those of HF checkpoints under `prefix` (e.g. "model.layers.3.mlp."): `gate.weight`,
/// `gate.e_score_correction_bias`, `moe_statics.e_score_correction_bias`,
/// `experts.{e}.{gate,up,down}_proj.weight`,
/// `shared_experts.*` / `shared_expert.*` + `shared_expert_gate.weight`, and GPT-OSS `router.{weight,bias}`,
/// `experts.gate_up_proj[_bias]`, `experts.down_proj[_bias]`.
public enum HFMoELoader {
  /// The routing config of `family` from its HF config keys (aliases accepted: num_experts,
  /// num_local_experts, n_routed_experts, moe_num_experts; num_experts_per_tok, moe_k). The correction bias,
  /// a tensor, is filled in by `loadBlock`.
  public static func config(family: String, json: [String: Any]) throws -> MoEConfig {
    func int(_ keys: [String]) throws -> Int {
      for k in keys { if let v = json[k] as? Int { return v } }
      throw SafetensorsError("config.json: missing \(keys.joined(separator: " / "))")
    }
    func bool(_ key: String, _ fallback: Bool) -> Bool { json[key] as? Bool ?? fallback }
    func float(_ key: String, _ fallback: Float) -> Float {
      (json[key] as? NSNumber)?.floatValue ?? fallback
    }
    let e = try int(["num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts"])
    let k = try int(["num_experts_per_tok", "moe_k"])
    switch family {
    case "qwen3_moe", "qwen2_moe":
      return .qwen3(numExperts: e, topK: k, normTopkProb: bool("norm_topk_prob", false))
    case "deepseek_v3", "glm4_moe":
      return .deepseekV3(
        numExperts: e, topK: k, nGroup: (json["n_group"] as? Int) ?? 1,
        topkGroup: (json["topk_group"] as? Int) ?? 1, normTopkProb: bool("norm_topk_prob", true),
        routedScalingFactor: float("routed_scaling_factor", 1), correctionBias: nil)
    case "gpt_oss":
      return .gptOSS(numExperts: e, topK: k)
    case "ernie4_5_moe":
      var c = MoEConfig.ernie45(numExperts: e, topK: k, correctionBias: nil)
      c.renormalize = .sumClampedBelow(float("moe_norm_min", 1e-12))
      return c
    default:
      throw SafetensorsError("config.json: unsupported MoE model_type '\(family)'")
    }
  }

  /// The MoE block of `family` whose tensors sit under `prefix` in `weights` (F32, F16 or BF16).
  public static func loadBlock(
    family: String, json: [String: Any], weights: SafetensorsFile,
    prefix: String
  ) throws -> MoEBlock {
    var cfg = try config(family: family, json: json)
    func t(_ name: String) throws -> Tensor { try weights.tensor(prefix + name) }
    func has(_ name: String) -> Bool { weights.entries[prefix + name] != nil }
    let e = cfg.numExperts
    if family == "gpt_oss" {
      let experts = MoEExperts(
        gptOSSGateUp: try t("experts.gate_up_proj"), gateUpBias: try t("experts.gate_up_proj_bias"),
        down: try t("experts.down_proj"), downBias: try t("experts.down_proj_bias"))
      return MoEBlock(
        router: Linear(weight: try t("router.weight"), bias: try t("router.bias")), config: cfg,
        experts: experts)
    }
    for biasName in ["gate.e_score_correction_bias", "moe_statics.e_score_correction_bias"]
    where has(biasName) {
      cfg.correctionBias = try t(biasName).reshaped([e])
    }
    let experts = MoEExperts(
      gate: try (0..<e).map { try t("experts.\($0).gate_proj.weight") },
      up: try (0..<e).map { try t("experts.\($0).up_proj.weight") },
      down: try (0..<e).map { try t("experts.\($0).down_proj.weight") })
    var shared: SwiGLUMLP? = nil, sharedGate: Linear? = nil
    for name in ["shared_experts.", "shared_expert."] where has(name + "gate_proj.weight") {
      shared = SwiGLUMLP(
        gate: try t(name + "gate_proj.weight"), up: try t(name + "up_proj.weight"),
        down: try t(name + "down_proj.weight"))
    }
    if has("shared_expert_gate.weight") { sharedGate = Linear(weight: try t("shared_expert_gate.weight")) }
    return MoEBlock(
      router: Linear(weight: try t("gate.weight")), config: cfg, experts: experts,
      sharedExperts: shared, sharedExpertGate: sharedGate)
  }
}
