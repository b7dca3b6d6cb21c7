import Foundation

// RMSNorm and softmax over the last dimension, each with a plain-loop reference and a fast path.

/// Reference RMSNorm over the last dim: y = w ⊙ x / sqrt(mean(x²) + eps). x [T, H], weight [H] -> [T, H].
/// The mean is reduced in Float, in index order.
public func rmsNormReference(_ x: Tensor, weight: Tensor, eps: Float) -> Tensor {
  let h = x.cols
  precondition(weight.count == h, "rmsNorm: weight \(weight.shape) for x \(x.shape)")
  var y = x
  for r in 0..<x.rows {
    var ss: Float = 0
    for j in 0..<h { ss += x.data[r * h + j] * x.data[r * h + j] }
    let inv = 1 / (ss / Float(h) + eps).squareRoot()
    for j in 0..<h { y.data[r * h + j] = weight.data[j] * (x.data[r * h + j] * inv) }
  }
  return y
}

/// RMSNorm, fast path: the sum of squares in 8 SIMD lanes. x [T, H], weight [H] -> [T, H].
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float) -> Tensor {
  let h = x.cols
  precondition(weight.count == h, "rmsNorm: weight \(weight.shape) for x \(x.shape)")
  var y = x
  y.data.withUnsafeMutableBufferPointer { yb in
    weight.data.withUnsafeBufferPointer { wb in
      guard let base = yb.baseAddress, let w = wb.baseAddress else { return }
      for r in 0..<x.rows {
        let row = base + r * h
        var acc = SIMD8<Float>()
        var j = 0
        while j + 8 <= h {
          let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
          acc = acc.addingProduct(v, v)
          j += 8
        }
        var ss = acc.sum()
        while j < h { ss += row[j] * row[j]; j += 1 }
        let inv = 1 / (ss / Float(h) + eps).squareRoot()
        for jj in 0..<h { row[jj] = w[jj] * (row[jj] * inv) }
      }
    }
  }
  return y
}

/// Reference softmax over the last dim, max-subtracted: y_j = e^(x_j − m) / Σ e^(x_i − m).
public func softmaxReference(_ x: Tensor) -> Tensor {
  let c = x.cols
  var y = x
  for r in 0..<x.rows where c > 0 {
    var m = -Float.infinity
    for j in 0..<c { m = max(m, x.data[r * c + j]) }
    var s: Float = 0
    for j in 0..<c { s += Foundation.exp(x.data[r * c + j] - m) }
    for j in 0..<c { y.data[r * c + j] = Foundation.exp(x.data[r * c + j] - m) / s }
  }
  return y
}

/// Softmax over the last dim, fast path (exponentials computed once, then scaled by 1/Σ).
public func softmax(_ x: Tensor) -> Tensor {
  var y = x
  let c = x.cols
  y.data.withUnsafeMutableBufferPointer { b in
    guard let base = b.baseAddress, c > 0 else { return }
    for r in 0..<x.rows { softmaxInPlace(base + r * c, count: c) }
  }
  return y
}

/// In-place max-subtracted softmax of `count` values.
func softmaxInPlace(_ p: UnsafeMutablePointer<Float>, count c: Int) {
  var m = -Float.infinity
  for j in 0..<c { m = max(m, p[j]) }
  var s: Float = 0
  for j in 0..<c { let e = Foundation.exp(p[j] - m); p[j] = e; s += e }
  let inv = 1 / s
  for j in 0..<c { p[j] *= inv }
}
