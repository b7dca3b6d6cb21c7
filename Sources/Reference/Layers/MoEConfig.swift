/// How router logits become expert scores.
public enum MoEScoring: Sendable, Equatable {
  /// p = softmax(logits) over all E experts, then top-k (Qwen2/3-MoE, Ernie 4.5, Mixtral).
  case softmax
  /// s = σ(logits) per expert (DeepSeek-V3, GLM-4 MoE).
  case sigmoid
  /// Top-k of the logits, then softmax over only the k selected logits (GPT-OSS).
  case softmaxOfTopK
}

/// How the k selected weights are renormalised.
public enum MoERenormalization: Sendable, Equatable {
  /// Keep the weights as scored (Qwen3 with norm_topk_prob false).
  case none
  /// w / Σw, no epsilon (Qwen3 with norm_topk_prob true).
  case sum
  /// w / max(Σw, eps) (Ernie 4.5, `moe_norm_min` = 1e-12).
  case sumClampedBelow(Float)
  /// w / (Σw + eps) (DeepSeek-V3 / GLM-4 MoE with norm_topk_prob, eps = 1e-20).
  case sumPlus(Float)
}

/// Everything about a MoE block that is not a weight tensor: routing and the expert activation.
///
/// The routing pipeline (`route`): score the logits; add `correctionBias` for selection only; if `nGroup` >
/// 1, keep the `topkGroup` groups whose two best biased scores sum highest and mask the rest to −∞; take
/// the top-k (ties to the lower index); weight by the *unbiased* scores; renormalise; multiply by
/// `routedScalingFactor`.
public struct MoEConfig: Sendable, Equatable {
  /// E, routed experts.
  public var numExperts: Int
  /// K, experts per token.
  public var topK: Int
  /// Score function.
  public var scoring: MoEScoring
  /// Renormalisation of the selected weights.
  public var renormalize: MoERenormalization
  /// [E], added to the scores for the choice of experts only, never to the weights (DeepSeek-V3
  /// `e_score_correction_bias`, Ernie `moe_statics.e_score_correction_bias`).
  public var correctionBias: Tensor?
  /// Expert groups G for group-limited top-k (1 = no group stage). E must be a multiple of G.
  public var nGroup: Int
  /// Groups kept by the group stage.
  public var topkGroup: Int
  /// Multiplies the final weights, always (HF DeepSeek-V3 applies it in both renormalisation branches).
  public var routedScalingFactor: Float
  /// The expert MLP's gated activation.
  public var activation: ExpertActivation

  /// A config; the defaults describe plain softmax top-k routing with SwiGLU experts.
  public init(
    numExperts: Int, topK: Int, scoring: MoEScoring = .softmax, renormalize: MoERenormalization = .none,
    correctionBias: Tensor? = nil, nGroup: Int = 1, topkGroup: Int = 1, routedScalingFactor: Float = 1,
    activation: ExpertActivation = .swiglu
  ) {
    precondition(numExperts > 0 && topK > 0 && topK <= numExperts, "MoEConfig: top-\(topK) of \(numExperts)")
    precondition(
      nGroup > 0 && numExperts % nGroup == 0, "MoEConfig: \(numExperts) experts in \(nGroup) groups")
    precondition(
      nGroup == 1
        || (topkGroup > 0 && topkGroup <= nGroup
          && topkGroup * (numExperts / nGroup) >= topK),
      "MoEConfig: keeping \(topkGroup) of \(nGroup) groups leaves fewer than \(topK) experts")
    precondition(
      correctionBias == nil || correctionBias!.count == numExperts,
      "MoEConfig: correction bias \(correctionBias!.shape) for \(numExperts) experts")
    self.numExperts = numExperts
    self.topK = topK
    self.scoring = scoring
    self.renormalize = renormalize
    self.correctionBias = correctionBias
    self.nGroup = nGroup
    self.topkGroup = topkGroup
    self.routedScalingFactor = routedScalingFactor
    self.activation = activation
  }

  /// Qwen3-MoE / Qwen2-MoE: softmax, top-k, optional plain renormalisation (`norm_topk_prob`).
  public static func qwen3(numExperts: Int, topK: Int, normTopkProb: Bool) -> MoEConfig {
    MoEConfig(numExperts: numExperts, topK: topK, renormalize: normTopkProb ? .sum : .none)
  }

  /// DeepSeek-V3 and GLM-4 MoE: sigmoid, bias for choice, group-limited top-k, renorm with +1e-20 when
  /// `normTopkProb`, always × `routedScalingFactor`.
  public static func deepseekV3(
    numExperts: Int, topK: Int, nGroup: Int, topkGroup: Int, normTopkProb: Bool,
    routedScalingFactor: Float, correctionBias: Tensor?
  ) -> MoEConfig {
    MoEConfig(
      numExperts: numExperts, topK: topK, scoring: .sigmoid,
      renormalize: normTopkProb ? .sumPlus(1e-20) : .none, correctionBias: correctionBias,
      nGroup: nGroup, topkGroup: topkGroup, routedScalingFactor: routedScalingFactor)
  }

  /// GPT-OSS: softmax over the top-k of the (biased) router logits; clamped interleaved SwiGLU experts.
  public static func gptOSS(numExperts: Int, topK: Int) -> MoEConfig {
    MoEConfig(numExperts: numExperts, topK: topK, scoring: .softmaxOfTopK, activation: .swigluOAI)
  }

  /// Ernie 4.5 MoE: softmax, bias for choice, always renormalised with max(Σw, 1e-12).
  public static func ernie45(numExperts: Int, topK: Int, correctionBias: Tensor?) -> MoEConfig {
    MoEConfig(
      numExperts: numExperts, topK: topK, renormalize: .sumClampedBelow(1e-12),
      correctionBias: correctionBias)
  }
}
