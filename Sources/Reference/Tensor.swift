// Dimension legend (used in every shape comment of this module):
//   T  tokens (rows of an activation; a batch of sequences is flattened into T)
//   H  hidden size (model dimension)
//   I  intermediate size of one expert or MLP
//   E  number of routed experts
//   K  top-k (experts per token); in matmul signatures K is the reduction length instead, as in BLAS
//   N  output features of a Linear layer
//   V  vocabulary size (embedding rows)
//
// Every buffer is Float32, row-major, densely packed. A Linear weight is stored [N, K] (out, in), the
// PyTorch nn.Linear layout, so y = x·Wᵀ.

/// A dense Float32 row-major tensor: 1-D [n], 2-D [rows, cols] (the main case) or 3-D [a, b, c].
public struct Tensor: Sendable, Equatable {
  /// The extents, outermost first. `[]` is a scalar holding one value.
  public var shape: [Int]
  /// The values, row-major; `data.count == shape.reduce(1, *)`.
  public var data: [Float]

  /// Wraps `data` as a tensor of `shape`; the element count must match.
  public init(shape: [Int], data: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      shape.reduce(1, *) == data.count,
      "shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  /// A tensor of `shape` filled with `value` (zero by default).
  public init(zeros shape: [Int], value: Float = 0) {
    self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
  }

  /// The number of values.
  public var count: Int { data.count }
  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// Rows of a 2-D tensor ([rows, cols]); for other ranks, the product of all but the last extent.
  public var rows: Int { shape.isEmpty ? 1 : shape.dropLast().reduce(1, *) }
  /// The last extent (1 for a scalar).
  public var cols: Int { shape.last ?? 1 }

  /// Element (i, j) of a 2-D tensor.
  public subscript(i: Int, j: Int) -> Float {
    get { data[i * cols + j] }
    set { data[i * cols + j] = newValue }
  }

  /// Rows `range` of a tensor viewed as [rows, cols], as a new [range.count, cols] tensor.
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of \(rows)")
    let c = cols
    return Tensor(shape: [range.count, c], data: Array(data[range.lowerBound * c..<range.upperBound * c]))
  }

  /// The same values viewed with another shape of equal element count.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }

  /// Concatenates 2-D tensors along rows; all must have `cols` columns.
  public static func concatRows(_ parts: [Tensor], cols: Int) -> Tensor {
    var out: [Float] = []
    out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for p in parts {
      precondition(p.count == 0 || p.cols == cols, "concatRows: \(p.shape) has not \(cols) columns")
      out += p.data
    }
    return Tensor(shape: [out.count / max(cols, 1), cols], data: out)
  }
}

/// Largest absolute difference between two tensors of equal shape, with its flat index and the two values.
/// Tests use it to report where a fast path and its reference disagree.
public func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> (diff: Float, index: Int, a: Float, b: Float) {
  precondition(a.shape == b.shape, "maxAbsDiff: shapes \(a.shape) and \(b.shape)")
  var best: (diff: Float, index: Int, a: Float, b: Float) = (0, -1, 0, 0)
  for i in 0..<a.count {
    let d = abs(a.data[i] - b.data[i])
    if d > best.diff || d.isNaN { best = (d, i, a.data[i], b.data[i]) }
  }
  return best
}

/// Lets raw buffer addresses cross into `DispatchQueue.concurrentPerform` closures. Each thread writes a
/// disjoint range, which is what makes this sound.
struct SendablePointer<Pointee>: @unchecked Sendable {
  let p: UnsafeMutablePointer<Pointee>
  init(_ p: UnsafeMutablePointer<Pointee>) { self.p = p }
}
