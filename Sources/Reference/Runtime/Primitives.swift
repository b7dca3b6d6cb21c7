import Foundation

/// A primitive's refusal (a shape that does not fit, a bad routing configuration): the caller adds where.
public struct PrimitiveError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The prelude's `extern func`s as Swift functions, shared by the interpreter and by compiled models so that
/// both run the same kernels in the same order (bit-identical results). Shapes are checked before any
/// kernel runs: a mismatch is a `PrimitiveError`, never a crash.
public enum Primitives {
  public static func linear(_ x: TensorRef, _ w: TensorRef, _ bias: TensorRef?, threads: Int) throws -> TensorRef {
    let x = x.tensor, wt = w.tensor
    guard wt.rank == 2 else { throw PrimitiveError("a Linear weight must be [out, in], got \(wt.shape)") }
    guard x.cols == wt.shape[1] else {
      throw PrimitiveError("input has \(x.cols) features per row (shape \(x.shape)) but the weight "
                           + "\(w.parameterName.map { "'\($0)' " } ?? "")expects \(wt.shape[1])")
    }
    var y = matmulTransposed(x.rank == 2 ? x : x.reshaped([x.rows, x.cols]), w.packed, threads: threads)
    if let b = bias?.tensor {
      guard b.count == wt.shape[0] else { throw PrimitiveError("bias has \(b.count) values for \(wt.shape[0]) outputs") }
      for row in 0..<y.rows { for c in 0..<y.cols { y.data[row * y.cols + c] += b.data[c] } }
    }
    return TensorRef(y)
  }

  public static func rmsNorm(_ x: TensorRef, _ w: TensorRef, _ eps: Double) throws -> TensorRef {
    let x = x.tensor, w = w.tensor
    guard w.count == x.cols else { throw PrimitiveError("RMSNorm over \(w.count) features applied to shape \(x.shape)") }
    return TensorRef(Reference.rmsNorm(x.rank == 2 ? x : x.reshaped([x.rows, x.cols]), weight: w, eps: Float(eps)))
  }

  public static func embedding(_ ids: TensorRef, _ table: TensorRef) throws -> TensorRef {
    let table = table.tensor
    guard table.rank == 2 else { throw PrimitiveError("an embedding table must be [V, H], got \(table.shape)") }
    var list: [Int] = []
    for v in ids.tensor.data {
      guard v.isFinite, Float(Int(v)) == v, Int(v) >= 0, Int(v) < table.shape[0] else {
        throw PrimitiveError("token id \(v) outside the vocabulary of \(table.shape[0])")
      }
      list.append(Int(v))
    }
    return TensorRef(Reference.embedding(ids: list, table: table))
  }

  public static func silu(_ x: TensorRef) -> TensorRef { TensorRef(Reference.silu(x.tensor)) }
  public static func gelu(_ x: TensorRef) -> TensorRef { TensorRef(Reference.gelu(x.tensor)) }
  public static func sigmoid(_ x: TensorRef) -> TensorRef { TensorRef(Reference.sigmoid(x.tensor)) }

  public static func softmax(_ x: TensorRef) -> TensorRef {
    let t = x.tensor
    return TensorRef(Reference.softmax(t.rank == 2 ? t : t.reshaped([t.rows, t.cols])))
  }

  public static func swigluOAI(_ x: TensorRef, alpha: Double, limit: Double) throws -> TensorRef {
    let t = x.tensor
    guard t.cols % 2 == 0 else { throw PrimitiveError("swiglu_oai needs an even number of columns, got \(t.shape)") }
    let x2 = t.reshaped([t.rows, t.cols])
    if Float(alpha) == SwiGLUOAI.alpha && Float(limit) == SwiGLUOAI.limit { return TensorRef(Reference.swigluOAI(x2)) }
    let a = Float(alpha), l = Float(limit)
    var y = Tensor(zeros: [x2.rows, x2.cols / 2])
    for r in 0..<x2.rows {
      for j in 0..<(x2.cols / 2) {
        let g = min(x2[r, 2 * j], l)
        let u = max(-l, min(x2[r, 2 * j + 1], l))
        y[r, j] = (u + 1) * g / (1 + Foundation.exp(-a * g))
      }
    }
    return TensorRef(y)
  }

  public static func rows(_ x: TensorRef) -> Int { x.tensor.rows }

  public static func splitRows(_ x: TensorRef, _ parts: Int) throws -> [TensorRef] {
    guard parts >= 1 else { throw PrimitiveError("split_rows needs at least one part, got \(parts)") }
    let t = x.tensor.reshaped([x.tensor.rows, x.tensor.cols])
    return tensorSplitRanges(count: t.rows, parts: parts).map { TensorRef(t.rows($0)) }
  }

  public static func concatRows(_ parts: [TensorRef]) throws -> TensorRef {
    guard let first = parts.first else { throw PrimitiveError("concat_rows needs a non-empty list") }
    let cols = first.tensor.cols
    guard parts.allSatisfy({ $0.tensor.cols == cols }) else {
      throw PrimitiveError("concat_rows of parts with different widths \(parts.map { $0.tensor.shape })")
    }
    return TensorRef(Tensor.concatRows(parts.map { $0.tensor.reshaped([$0.tensor.rows, cols]) }, cols: cols))
  }

  public static func emptyRows(_ like: TensorRef) -> TensorRef { TensorRef(Tensor(zeros: [0, like.tensor.cols])) }

  public static func toString(_ i: Int) -> String { String(i) }

  /// An empty `[lo, hi)` when hi < lo, as the interpreter iterates ranges.
  public static func range(_ lo: Int, _ hi: Int) -> Range<Int> { lo..<max(lo, hi) }

  /// Element-wise arithmetic with broadcasting (equal shapes, a row vector [C] over [R, C]).
  public static func elementwise(_ op: String, _ a: TensorRef, _ b: TensorRef) throws -> TensorRef {
    guard let out = TensorOps.elementwise(op, a.tensor, b.tensor) else {
      throw PrimitiveError("shapes \(a.tensor.shape) and \(b.tensor.shape) do not broadcast for '\(op)'")
    }
    return TensorRef(out)
  }

  public static func scalar(_ op: String, _ t: TensorRef, _ s: Double, tensorOnLeft: Bool) throws -> TensorRef {
    guard let out = TensorOps.scalar(op, t.tensor, Float(s), tensorOnLeft: tensorOnLeft) else {
      throw PrimitiveError("operator '\(op)' cannot be applied to a Tensor and a number")
    }
    return TensorRef(out)
  }

  public static func negate(_ t: TensorRef) -> TensorRef { TensorRef(TensorOps.scale(t.tensor, -1)) }
}

/// Element-wise tensor arithmetic with the broadcasting models need: equal shapes, a row vector [C] over
/// [R, C], and scalars. Operators are spelled as in ModelDSL (`+ - * /`).
enum TensorOps {
  static func apply(_ op: String, _ x: Float, _ y: Float) -> Float? {
    switch op {
    case "+": return x + y
    case "-": return x - y
    case "*": return x * y
    case "/": return x / y
    default: return nil
    }
  }

  static func elementwise(_ op: String, _ a: Tensor, _ b: Tensor) -> Tensor? {
    guard apply(op, 1, 1) != nil else { return nil }
    if a.shape == b.shape {
      var out = a
      out.data.withUnsafeMutableBufferPointer { o in
        b.data.withUnsafeBufferPointer { y in
          switch op {
          case "+": for i in 0..<o.count { o[i] += y[i] }
          case "-": for i in 0..<o.count { o[i] -= y[i] }
          case "*": for i in 0..<o.count { o[i] *= y[i] }
          default: for i in 0..<o.count { o[i] /= y[i] }
          }
        }
      }
      return out
    }
    if b.rank == 1 && a.cols == b.count {
      var out = a
      for r in 0..<a.rows { for c in 0..<a.cols { out.data[r * a.cols + c] = apply(op, a.data[r * a.cols + c], b.data[c])! } }
      return out
    }
    if a.rank == 1 && b.cols == a.count {
      var out = b
      for r in 0..<b.rows { for c in 0..<b.cols { out.data[r * b.cols + c] = apply(op, a.data[c], b.data[r * b.cols + c])! } }
      return out
    }
    return nil
  }

  static func scalar(_ op: String, _ t: Tensor, _ s: Float, tensorOnLeft: Bool) -> Tensor? {
    guard apply(op, 1, 1) != nil else { return nil }
    var out = t
    for i in 0..<out.data.count {
      out.data[i] = tensorOnLeft ? apply(op, t.data[i], s)! : apply(op, s, t.data[i])!
    }
    return out
  }

  static func scale(_ t: Tensor, _ s: Float) -> Tensor {
    var out = t
    for i in 0..<out.data.count { out.data[i] *= s }
    return out
  }
}
