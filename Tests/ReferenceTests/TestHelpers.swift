import Foundation
import Testing
@testable import Reference

/// A tiny deterministic generator (SplitMix64) so tests need no global state.
struct SeededRandom {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [-scale, scale).
  mutating func float(_ scale: Float = 1) -> Float {
    (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
  }
  mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    var d = [Float](repeating: 0, count: n)
    for i in 0..<n { d[i] = float(scale) }
    return Tensor(shape: shape, data: d)
  }
}

/// Asserts |a − b| ≤ atol + rtol·|b| everywhere and reports the largest difference, where, and the
/// tolerance.
func expectClose(
  _ a: Tensor, _ b: Tensor, atol: Float, rtol: Float = 0, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(a.shape == b.shape, "\(what): shape \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
  guard a.shape == b.shape else { return }
  var worst: (excess: Float, index: Int) = (0, -1)
  for i in 0..<a.count {
    let excess = abs(a.data[i] - b.data[i]) - (atol + rtol * abs(b.data[i]))
    if excess > worst.excess || excess.isNaN { worst = (excess.isNaN ? .infinity : excess, i) }
  }
  let m = maxAbsDiff(a, b)
  let report =
    "\(what): max abs diff \(m.diff) at flat index \(m.index) (\(m.a) vs \(m.b)), "
    + "tolerance atol \(atol) rtol \(rtol), shape \(a.shape)"
  if ProcessInfo.processInfo.environment["REFERENCE_PRINT_DIFFS"] != nil { print("diff | " + report) }
  #expect(worst.index < 0, "\(report); worst excess at \(worst.index)", sourceLocation: sourceLocation)
}
