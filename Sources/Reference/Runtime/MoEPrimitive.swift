/// A value of a FusedMoE layer's parameter or field, as the MoE primitive reads it.
public enum MoEValue: Sendable {
  case int(Int)
  case float(Double)
  case bool(Bool)
  case string(String)
  case tensor(TensorRef)
  case tensors([TensorRef])
  case none
}

/// Holds a FusedMoE layer's validated routing configuration and packed experts, built on first use.
public final class MoECacheBox: @unchecked Sendable {
  var value: (MoEConfig, MoEExperts)?
  public init() {}
}

/// What the MoE primitive needs of a FusedMoE layer, interpreted or compiled: its parameters and fields by
/// their ModelDSL names, and a place to cache the packed experts.
public protocol MoEFields: AnyObject {
  func moeField(_ name: String) -> MoEValue
  var moeCache: MoECacheBox { get }
}

/// `moe_experts(x, logits, moe, phase)`: routes x [T, H] by logits [T, E] with the layer's routing
/// configuration and runs its experts on the prefill (grouped per expert) or decode (per token) path ->
/// [T, H]. `hit` receives the ids of the experts that got tokens.
public enum MoEPrimitive {
  public static func run(_ x: TensorRef, _ logits: TensorRef, _ moe: MoEFields, phase: String, threads: Int,
                         hit: ((MoEConfig, [Int]) -> Void)? = nil) throws -> TensorRef {
    guard let phase = MoEPhase(rawValue: phase) else {
      throw PrimitiveError("the MoE phase must be \"prefill\" or \"decode\", not \"\(phase)\"")
    }
    let (config, experts) = try setup(moe)
    let x = x.tensor, logits = logits.tensor
    guard x.cols == experts.hidden else {
      throw PrimitiveError("MoE input has \(x.cols) features (shape \(x.shape)) but the experts expect \(experts.hidden)")
    }
    guard logits.cols == config.numExperts, logits.rows == x.rows else {
      throw PrimitiveError("router logits have shape \(logits.shape); expected [\(x.rows), \(config.numExperts)]")
    }
    let x2 = x.reshaped([x.rows, x.cols])
    let routing = route(logits: logits.reshaped([logits.rows, logits.cols]), config: config)
    hit?(config, routing.ids)
    return TensorRef(phase == .prefill ? moePrefill(x2, routing: routing, experts: experts, threads: threads)
                                       : moeDecode(x2, routing: routing, experts: experts, threads: threads))
  }

  /// The routing configuration and packed experts, validated (the kernels' own preconditions would stop the
  /// process; a program's mistake must be a message).
  public static func setup(_ moe: MoEFields) throws -> (MoEConfig, MoEExperts) {
    if let cached = moe.moeCache.value { return cached }
    func int(_ s: String) throws -> Int {
      guard case .int(let i) = moe.moeField(s) else { throw PrimitiveError("FusedMoE parameter '\(s)' must be an Int") }
      return i
    }
    func float(_ s: String) -> Double? {
      switch moe.moeField(s) {
      case .int(let i): return Double(i)
      case .float(let d): return d
      default: return nil
      }
    }
    func str(_ s: String) -> String {
      if case .string(let v) = moe.moeField(s) { return v }
      return ""
    }
    func bool(_ s: String) -> Bool {
      if case .bool(let b) = moe.moeField(s) { return b }
      return false
    }
    func tensor(_ s: String) throws -> Tensor {
      guard case .tensor(let t) = moe.moeField(s) else { throw PrimitiveError("FusedMoE has no tensor '\(s)'") }
      return t.tensor
    }
    func tensors(_ s: String) throws -> [Tensor] {
      guard case .tensors(let ts) = moe.moeField(s) else { throw PrimitiveError("FusedMoE has no '\(s)' list") }
      return ts.map { $0.tensor }
    }
    let e = try int("num_experts"), k = try int("top_k"), g = try int("n_group"), kg = try int("topk_group")
    guard e > 0, k > 0, k <= e else { throw PrimitiveError("FusedMoE: top_k \(k) of \(e) experts") }
    let groups = max(1, g)
    guard e % groups == 0 else { throw PrimitiveError("FusedMoE: \(e) experts do not split into \(groups) groups") }
    if groups > 1 {
      guard kg > 0, kg <= groups, kg * (e / groups) >= k else {
        throw PrimitiveError("FusedMoE: keeping \(kg) of \(groups) groups leaves fewer than \(k) experts")
      }
    }
    var bias: Tensor?
    if case .tensor(let b) = moe.moeField("correction_bias") {
      guard b.tensor.count == e else {
        throw PrimitiveError("FusedMoE: correction bias has \(b.tensor.count) values for \(e) experts")
      }
      bias = b.tensor.reshaped([e])
    }
    let scoring: MoEScoring
    switch str("scoring") {
    case "softmax": scoring = .softmax
    case "sigmoid": scoring = .sigmoid
    case "softmax_topk": scoring = .softmaxOfTopK
    case let other: throw PrimitiveError("FusedMoE: unknown scoring \"\(other)\" (softmax, softmax_topk or sigmoid)")
    }
    let normMin = Float(float("norm_min") ?? 0)
    let renorm: MoERenormalization
    if !bool("renormalize") || scoring == .softmaxOfTopK {
      renorm = .none
    } else if scoring == .sigmoid {
      renorm = .sumPlus(1e-20)
    } else if normMin > 0 {
      renorm = .sumClampedBelow(normMin)
    } else {
      renorm = .sum
    }
    let activation = str("activation")
    let experts: MoEExperts
    switch activation {
    case "swiglu":
      let gate = try tensors("gate_proj"), up = try tensors("up_proj"), down = try tensors("down_proj")
      guard gate.count == e, up.count == e, down.count == e else {
        throw PrimitiveError("FusedMoE: \(gate.count) experts built for num_experts \(e)")
      }
      let i = gate[0].shape[0], h = gate[0].shape[1]
      for j in 0..<e where gate[j].shape != [i, h] || up[j].shape != [i, h] || down[j].shape != [h, i] {
        throw PrimitiveError("expert \(j) has gate \(gate[j].shape), up \(up[j].shape), down \(down[j].shape)")
      }
      experts = MoEExperts(gate: gate, up: up, down: down)
    case "swiglu_oai":
      let gu = try tensor("gate_up_proj"), gub = try tensor("gate_up_proj_bias")
      let d = try tensor("down_proj_fused"), db = try tensor("down_proj_bias")
      guard gu.rank == 3, gu.shape[0] == e, gu.shape[2] % 2 == 0, d.shape == [e, gu.shape[2] / 2, gu.shape[1]],
            gub.shape == [e, gu.shape[2]], db.shape == [e, gu.shape[1]] else {
        throw PrimitiveError("GPT-OSS experts have gate_up \(gu.shape), bias \(gub.shape), down \(d.shape), bias \(db.shape)")
      }
      experts = MoEExperts(gptOSSGateUp: gu, gateUpBias: gub, down: d, downBias: db)
    default:
      throw PrimitiveError("FusedMoE: unknown activation \"\(activation)\" (swiglu or swiglu_oai)")
    }
    let config = MoEConfig(numExperts: e, topK: k, scoring: scoring, renormalize: renorm, correctionBias: bias,
                           nGroup: groups, topkGroup: groups > 1 ? kg : 1,
                           routedScalingFactor: Float(float("routed_scaling_factor") ?? 1),
                           activation: activation == "swiglu_oai" ? .swigluOAI : .swiglu)
    moe.moeCache.value = (config, experts)
    return (config, experts)
  }
}
