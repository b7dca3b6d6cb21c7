/// Reference Linear: y = x·Wᵀ (+ b). x [T, K], weight [N, K], bias [N] -> [T, N].
public func linearReference(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
  var y = matmulTransposedReference(x, weight)
  if let bias {
    precondition(bias.count == y.cols, "linear: bias \(bias.shape) for output \(y.shape)")
    for r in 0..<y.rows { for j in 0..<y.cols { y.data[r * y.cols + j] += bias.data[j] } }
  }
  return y
}

/// A Linear layer (PyTorch nn.Linear): y = x·Wᵀ (+ b), W [N, K] packed once at construction.
public struct Linear: Sendable {
  /// The packed weight [N, K].
  public let weight: PackedWeight
  /// Optional bias [N].
  public let bias: Tensor?

  /// Packs `weight` [N, K]; `bias` [N] is optional.
  public init(weight: Tensor, bias: Tensor? = nil) {
    precondition(
      bias == nil || bias!.count == weight.shape[0], "Linear: bias \(bias!.shape) for \(weight.shape)")
    self.weight = PackedWeight(weight)
    self.bias = bias
  }

  /// Output features N.
  public var outFeatures: Int { weight.outFeatures }
  /// Input features K.
  public var inFeatures: Int { weight.inFeatures }

  /// x [T, K] -> [T, N] on `threads` workers.
  public func callAsFunction(_ x: Tensor, threads: Int = 1) -> Tensor {
    var y = matmulTransposed(x, weight, threads: threads)
    if let bias { addBias(&y, bias) }
    return y
  }
}

/// y[t, :] += bias for every row.
func addBias(_ y: inout Tensor, _ bias: Tensor) {
  let n = y.cols
  y.data.withUnsafeMutableBufferPointer { yb in
    bias.data.withUnsafeBufferPointer { bb in
      for r in 0..<(n == 0 ? 0 : yb.count / n) { for j in 0..<n { yb[r * n + j] += bb[j] } }
    }
  }
}

/// A dense SwiGLU MLP (every family's dense layer and its shared experts):
/// y = down( silu(gate(x)) ⊙ up(x) ). gate, up [I, H]; down [H, I]; no biases.
public struct SwiGLUMLP: Sendable {
  /// gate_proj [I, H].
  public let gate: Linear
  /// up_proj [I, H].
  public let up: Linear
  /// down_proj [H, I].
  public let down: Linear

  /// Builds the MLP from checkpoint weights gate_proj [I, H], up_proj [I, H], down_proj [H, I].
  public init(gate: Tensor, up: Tensor, down: Tensor) {
    precondition(
      gate.shape == up.shape && down.shape == [gate.shape[1], gate.shape[0]],
      "SwiGLUMLP: gate \(gate.shape), up \(up.shape), down \(down.shape)")
    self.gate = Linear(weight: gate)
    self.up = Linear(weight: up)
    self.down = Linear(weight: down)
  }

  /// x [T, H] -> [T, H].
  public func callAsFunction(_ x: Tensor, threads: Int = 1) -> Tensor {
    down(swiglu(gate: gate(x, threads: threads), up: up(x, threads: threads)), threads: threads)
  }
}
