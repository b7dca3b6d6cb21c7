/// How a MoE block splits its batch (FastDeploy `FusedMoE.forward` dispatch).
public enum MoEExecution: Sendable, Equatable {
  /// `forward_normal`: the whole batch at once.
  case normal
  /// `forward_chunked_moe`: this rank's chunk count and the maximum over ranks.
  case chunked(numChunks: Int, maxNumChunks: Int)
  /// `forward_split_allgather` over a simulated tensor-parallel group.
  case splitAllgather(tpSize: Int)
}

/// A whole MoE MLP block: router, routed experts, optional shared experts (and Qwen2-MoE's shared gate).
/// y = Σ_j w_j · Expert_{ids_j}(x) + [σ(x·w_sgᵀ) ·] Shared(x).
public struct MoEBlock: Sendable {
  /// Router [E, H], with a bias for GPT-OSS (`mlp.router`).
  public let router: Linear
  /// Routing and activation.
  public let config: MoEConfig
  /// The routed experts.
  public let experts: MoEExperts
  /// Shared experts as one SwiGLU MLP of width n_shared·I (DeepSeek-V3, GLM-4, Ernie, Qwen2-MoE).
  public let sharedExperts: SwiGLUMLP?
  /// Qwen2-MoE's `shared_expert_gate` [1, H]: the shared output is scaled by σ(x·wᵀ).
  public let sharedExpertGate: Linear?

  /// Assembles a block.
  public init(
    router: Linear, config: MoEConfig, experts: MoEExperts, sharedExperts: SwiGLUMLP? = nil,
    sharedExpertGate: Linear? = nil
  ) {
    precondition(
      router.outFeatures == config.numExperts && experts.numExperts == config.numExperts
        && router.inFeatures == experts.hidden,
      "MoEBlock: router [\(router.outFeatures), \(router.inFeatures)], \(experts.numExperts) experts")
    precondition(
      config.activation == experts.activation, "MoEBlock: config and experts disagree on activation")
    self.router = router
    self.config = config
    self.experts = experts
    self.sharedExperts = sharedExperts
    self.sharedExpertGate = sharedExpertGate
  }

  /// The router logits for x [T, H] -> [T, E] (computed in Float32).
  public func logits(_ x: Tensor, threads: Int = 1) -> Tensor { router(x, threads: threads) }

  /// x [T, H] -> [T, H].
  public func callAsFunction(
    _ x: Tensor, phase: MoEPhase = .prefill, execution: MoEExecution = .normal,
    threads: Int = 1
  ) -> Tensor {
    let l = logits(x, threads: threads)
    var y: Tensor
    switch execution {
    case .normal:
      y = moeForward(x, logits: l, config: config, experts: experts, phase: phase, threads: threads)
    case .chunked(let numChunks, let maxNumChunks):
      y = moeForwardChunked(
        x, logits: l, config: config, experts: experts, numChunks: numChunks,
        maxNumChunks: maxNumChunks, phase: phase, threads: threads)
    case .splitAllgather(let tpSize):
      y = moeForwardSplitAllgather(
        x, logits: l, config: config, experts: experts, tpSize: tpSize,
        phase: phase, threads: threads)
    }
    addShared(&y, x, threads: threads)
    return y
  }

  /// Reference: plain-loop router, routed experts and shared experts.
  public func reference(_ x: Tensor) -> Tensor {
    let l = linearReference(x, weight: router.weight.weight, bias: router.bias)
    var y = moeReference(x, logits: l, config: config, experts: experts)
    if let shared = sharedExperts {
      let g = matmulTransposedReference(x, shared.gate.weight.weight)
      let u = matmulTransposedReference(x, shared.up.weight.weight)
      let s = matmulTransposedReference(swigluReference(gate: g, up: u), shared.down.weight.weight)
      let scale = sharedExpertGate.map { sigmoidReference(matmulTransposedReference(x, $0.weight.weight)) }
      for r in 0..<y.rows {
        for c in 0..<y.cols { y[r, c] += (scale?.data[r] ?? 1) * s[r, c] }
      }
    }
    return y
  }

  private func addShared(_ y: inout Tensor, _ x: Tensor, threads: Int) {
    guard let shared = sharedExperts, x.rows > 0 else { return }
    let s = shared(x, threads: threads)
    let scale = sharedExpertGate.map { sigmoid($0(x, threads: threads)) }
    for r in 0..<y.rows {
      let g = scale?.data[r] ?? 1
      for c in 0..<y.cols { y.data[r * y.cols + c] += g * s.data[r * y.cols + c] }
    }
  }
}
