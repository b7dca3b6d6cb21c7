import ModelDSL

extension Builtins {
  /// `moe_experts(x, logits, moe, phase)`: routes x [T, H] by logits [T, E] with the FusedMoE instance's
  /// routing configuration and runs its experts on the prefill (grouped per expert) or decode (per token)
  /// path -> [T, H].
  mutating func moeExperts(_ args: [Value], at r: SourceRange) throws -> Value {
    let x = try tensor(args[0], "x", r)
    let logits = try tensor(args[1], "logits", r)
    guard case .layer(let moe) = args[2] else { throw fail("moe must be a FusedMoE layer", r) }
    guard case .string(let phaseName) = args[3], let phase = MoEPhase(rawValue: phaseName) else {
      throw fail("the MoE phase must be \"prefill\" or \"decode\"", r)
    }
    let (config, experts) = try moeSetup(moe, at: r)
    guard x.cols == experts.hidden else {
      throw fail("MoE input has \(x.cols) features (shape \(x.shape)) but the experts expect \(experts.hidden)", r)
    }
    guard logits.cols == config.numExperts, logits.rows == x.rows else {
      throw fail("router logits have shape \(logits.shape); expected [\(x.rows), \(config.numExperts)]", r)
    }
    let x2 = x.reshaped([x.rows, x.cols])
    let routing = route(logits: logits.reshaped([logits.rows, logits.cols]), config: config)
    var hit = interpreter.expertsHit[moe.path] ?? []
    for id in routing.ids { hit.insert(id) }
    interpreter.expertsHit[moe.path] = hit
    interpreter.expertTotals[moe.path] = config.numExperts
    let threads = interpreter.threads
    let y = phase == .prefill ? moePrefill(x2, routing: routing, experts: experts, threads: threads)
                              : moeDecode(x2, routing: routing, experts: experts, threads: threads)
    return .tensor(TensorRef(y))
  }

  /// The routing configuration and packed experts of a FusedMoE instance, validated (the kernels' own
  /// preconditions would stop the process; a program's mistake must be a message).
  mutating func moeSetup(_ moe: LayerInstance, at r: SourceRange) throws -> (MoEConfig, MoEExperts) {
    if let cached = moeCache[ObjectIdentifier(moe)] { return cached }
    let names = interpreter.program.names
    func param(_ s: String) -> Value { moe.params[names.intern(s)] ?? .none }
    func int(_ s: String) throws -> Int {
      guard case .int(let i) = param(s) else { throw fail("FusedMoE parameter '\(s)' must be an Int", r) }
      return i
    }
    func str(_ s: String) -> String {
      if case .string(let v) = param(s) { return v }
      return ""
    }
    func bool(_ s: String) -> Bool {
      if case .bool(let b) = param(s) { return b }
      return false
    }
    let e = try int("num_experts"), k = try int("top_k"), g = try int("n_group"), kg = try int("topk_group")
    guard e > 0, k > 0, k <= e else { throw fail("FusedMoE: top_k \(k) of \(e) experts", r) }
    let groups = max(1, g)
    guard e % groups == 0 else { throw fail("FusedMoE: \(e) experts do not split into \(groups) groups", r) }
    if groups > 1 {
      guard kg > 0, kg <= groups, kg * (e / groups) >= k else {
        throw fail("FusedMoE: keeping \(kg) of \(groups) groups leaves fewer than \(k) experts", r)
      }
    }
    var bias: Tensor?
    if case .tensor(let b) = param("correction_bias") {
      guard b.tensor.count == e else { throw fail("FusedMoE: correction bias has \(b.tensor.count) values for \(e) experts", r) }
      bias = b.tensor.reshaped([e])
    }
    let scoring: MoEScoring
    switch str("scoring") {
    case "softmax": scoring = .softmax
    case "sigmoid": scoring = .sigmoid
    case "softmax_topk": scoring = .softmaxOfTopK
    case let other: throw fail("FusedMoE: unknown scoring \"\(other)\" (softmax, softmax_topk or sigmoid)", r)
    }
    let normMin = float(param("norm_min")) ?? 0
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
    func field(_ s: String) -> Value { moe.fields[names.intern(s)] ?? .none }
    func tensors(_ s: String) throws -> [Tensor] {
      guard case .list(let items) = field(s) else { throw fail("FusedMoE has no '\(s)' list", r) }
      return try items.map { try tensor($0, s, r) }
    }
    switch activation {
    case "swiglu":
      let gate = try tensors("gate_proj"), up = try tensors("up_proj"), down = try tensors("down_proj")
      guard gate.count == e, up.count == e, down.count == e else {
        throw fail("FusedMoE: \(gate.count) experts built for num_experts \(e)", r)
      }
      let i = gate[0].shape[0], h = gate[0].shape[1]
      for j in 0..<e where gate[j].shape != [i, h] || up[j].shape != [i, h] || down[j].shape != [h, i] {
        throw fail("expert \(j) has gate \(gate[j].shape), up \(up[j].shape), down \(down[j].shape)", r)
      }
      experts = MoEExperts(gate: gate, up: up, down: down)
    case "swiglu_oai":
      let gu = try tensor(field("gate_up_proj"), "gate_up_proj", r)
      let gub = try tensor(field("gate_up_proj_bias"), "gate_up_proj_bias", r)
      let d = try tensor(field("down_proj_fused"), "down_proj", r)
      let db = try tensor(field("down_proj_bias"), "down_proj_bias", r)
      guard gu.rank == 3, gu.shape[0] == e, gu.shape[2] % 2 == 0, d.shape == [e, gu.shape[2] / 2, gu.shape[1]],
            gub.shape == [e, gu.shape[2]], db.shape == [e, gu.shape[1]] else {
        throw fail("GPT-OSS experts have gate_up \(gu.shape), bias \(gub.shape), down \(d.shape), bias \(db.shape)", r)
      }
      experts = MoEExperts(gptOSSGateUp: gu, gateUpBias: gub, down: d, downBias: db)
    default:
      throw fail("FusedMoE: unknown activation \"\(activation)\" (swiglu or swiglu_oai)", r)
    }
    let config = MoEConfig(numExperts: e, topK: k, scoring: scoring, renormalize: renorm, correctionBias: bias,
                           nGroup: groups, topkGroup: groups > 1 ? kg : 1,
                           routedScalingFactor: float(param("routed_scaling_factor")) ?? 1,
                           activation: activation == "swiglu_oai" ? .swigluOAI : .swiglu)
    moeCache[ObjectIdentifier(moe)] = (config, experts)
    return (config, experts)
  }
}
