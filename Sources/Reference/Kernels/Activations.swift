import Foundation

// Elementwise activations. Each has a plain-loop reference on Tensor indices and a fast path on raw
// buffers (the form the layers call); ElementwiseTests (KernelTests.swift) prove them equal. The fast paths
// share scalar forms, so they differ from the references only in how they walk memory and in rounding.

/// σ(z) = 1 / (1 + e^(−z)).
@inline(__always) public func sigmoid(_ z: Float) -> Float { 1 / (1 + Foundation.exp(-z)) }
/// SiLU(z) = z·σ(z).
@inline(__always) public func silu(_ z: Float) -> Float { z / (1 + Foundation.exp(-z)) }
/// GELU, exact erf form (PyTorch `nn.GELU()` default, HF "gelu"): z/2 · (1 + erf(z/√2)).
@inline(__always) public func gelu(_ z: Float) -> Float {
  0.5 * z * (1 + Foundation.erf(z * 0.70710678118654752))
}
/// GELU, tanh approximation (HF "gelu_new"/"gelu_pytorch_tanh"): z/2 · (1 + tanh(√(2/π)(z + 0.044715 z³))).
@inline(__always) public func geluTanh(_ z: Float) -> Float {
  0.5 * z * (1 + Foundation.tanh(0.79788456080286536 * (z + 0.044715 * z * z * z)))
}

/// GPT-OSS expert gate constants (hard-coded in HF `GptOssExperts`).
public enum SwiGLUOAI {
  /// σ slope in glu = gate·σ(alpha·gate).
  public static let alpha: Float = 1.702
  /// Clamp: gate ≤ limit, −limit ≤ up ≤ limit.
  public static let limit: Float = 7.0
  /// (up+1)·gate·σ(1.702·gate) after the clamps.
  @inline(__always) public static func apply(gate g: Float, up u: Float) -> Float {
    let gate = min(g, limit), up = min(max(u, -limit), limit)
    return (up + 1) * gate * sigmoid(alpha * gate)
  }
}

// MARK: References (plain loops)

/// Reference SiLU, elementwise on any shape.
public func siluReference(_ x: Tensor) -> Tensor {
  var y = x
  for i in 0..<x.count { y.data[i] = x.data[i] * (1 / (1 + Foundation.exp(-x.data[i]))) }
  return y
}

/// Reference GELU (erf form), elementwise.
public func geluReference(_ x: Tensor) -> Tensor {
  var y = x
  for i in 0..<x.count {
    y.data[i] = 0.5 * x.data[i] * (1 + Foundation.erf(x.data[i] / Float(2).squareRoot()))
  }
  return y
}

/// Reference sigmoid, elementwise.
public func sigmoidReference(_ x: Tensor) -> Tensor {
  var y = x
  for i in 0..<x.count { y.data[i] = 1 / (1 + Foundation.exp(-x.data[i])) }
  return y
}

/// Reference SwiGLU: silu(gate) ⊙ up. gate, up [T, I] -> [T, I].
public func swigluReference(gate: Tensor, up: Tensor) -> Tensor {
  precondition(gate.shape == up.shape, "swiglu: gate \(gate.shape) vs up \(up.shape)")
  var y = gate
  for i in 0..<gate.count {
    y.data[i] = gate.data[i] * (1 / (1 + Foundation.exp(-gate.data[i]))) * up.data[i]
  }
  return y
}

/// Reference GPT-OSS SwiGLU on an interleaved x [T, 2I]: gate = even columns, up = odd columns,
/// gate = min(gate, 7), up = clamp(up, −7, 7), out = (up + 1)·gate·σ(1.702·gate). -> [T, I].
public func swigluOAIReference(_ x: Tensor) -> Tensor {
  precondition(x.rank == 2 && x.shape[1] % 2 == 0, "swigluOAI needs [T, 2I], got \(x.shape)")
  let t = x.shape[0], i2 = x.shape[1], n = i2 / 2
  var y = Tensor(zeros: [t, n])
  for r in 0..<t {
    for j in 0..<n {
      var gate = x.data[r * i2 + 2 * j], up = x.data[r * i2 + 2 * j + 1]
      gate = min(gate, 7)
      up = max(-7, min(up, 7))
      y.data[r * n + j] = (up + 1) * gate * (1 / (1 + Foundation.exp(-1.702 * gate)))
    }
  }
  return y
}

// MARK: Fast paths

/// Applies `f` to every element of `x`.
@inline(__always)
private func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
  var y = x
  y.data.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = f(b[i]) } }
  return y
}

/// SiLU, elementwise.
public func silu(_ x: Tensor) -> Tensor { map(x, silu) }
/// GELU, elementwise; `approximate: true` selects the tanh form, else the exact erf form.
public func gelu(_ x: Tensor, approximate: Bool = false) -> Tensor {
  approximate ? map(x, geluTanh) : map(x, gelu)
}
/// Sigmoid, elementwise.
public func sigmoid(_ x: Tensor) -> Tensor { map(x, sigmoid) }

/// SwiGLU: silu(gate) ⊙ up. gate, up [T, I] -> [T, I].
public func swiglu(gate: Tensor, up: Tensor) -> Tensor {
  precondition(gate.shape == up.shape, "swiglu: gate \(gate.shape) vs up \(up.shape)")
  var y = gate
  y.data.withUnsafeMutableBufferPointer { yb in
    up.data.withUnsafeBufferPointer { ub in
      for i in yb.indices { yb[i] = silu(yb[i]) * ub[i] }
    }
  }
  return y
}

/// GPT-OSS SwiGLU on an interleaved x [T, 2I] -> [T, I] (see `swigluOAIReference`).
public func swigluOAI(_ x: Tensor) -> Tensor {
  precondition(x.rank == 2 && x.shape[1] % 2 == 0, "swigluOAI needs [T, 2I], got \(x.shape)")
  var y = Tensor(zeros: [x.shape[0], x.shape[1] / 2])
  x.data.withUnsafeBufferPointer { xb in
    y.data.withUnsafeMutableBufferPointer { yb in
      guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
      gatedActivation(out: yp, gateUp: xp, rows: x.shape[0], width: x.shape[1] / 2, kind: .swigluOAI)
    }
  }
  return y
}

/// How an expert's fused gate/up projection [rows, 2I] turns into its hidden activation [rows, I].
public enum ExpertActivation: Sendable, Equatable {
  /// silu(gate)·up with gate = columns [0, I) and up = columns [I, 2I) (HF v5 fused `gate_up_proj`).
  case swiglu
  /// GPT-OSS: gate = even columns, up = odd columns, clamped; see `SwiGLUOAI`.
  case swigluOAI
}

/// out[rows, I] = activation(gateUp[rows, 2I]) on raw buffers.
func gatedActivation(
  out: UnsafeMutablePointer<Float>, gateUp: UnsafePointer<Float>, rows: Int, width i: Int,
  kind: ExpertActivation
) {
  for r in 0..<rows {
    let g = gateUp + r * 2 * i, o = out + r * i
    switch kind {
    case .swiglu: for j in 0..<i { o[j] = silu(g[j]) * g[i + j] }
    case .swigluOAI: for j in 0..<i { o[j] = SwiGLUOAI.apply(gate: g[2 * j], up: g[2 * j + 1]) }
    }
  }
}
