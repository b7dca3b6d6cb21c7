/// A Linear weight W [N, K] prepared once, at load time, for the fast matmul kernels.
///
/// It keeps two layouts of the same values:
/// - `panels`: W re-packed into ceil(N/P) column panels of width P = `panelWidth`, each [K][P] (panel p
///   holds output features Pp ..< Pp+P for every k, the missing features of the last panel zero-filled). The
///   GEMM micro-kernel streams one panel row (P floats) per k.
/// - `weight`: W itself, row-major [N, K], read by the dot-form GEMV used when T == 1 and by the references.
///
/// The packed copy costs one more W of memory; a class so that many layers can share one without copying.
public final class PackedWeight: @unchecked Sendable {
  /// Output features N.
  public let outFeatures: Int
  /// Input features K (the reduction length).
  public let inFeatures: Int
  /// The unpacked weight [N, K].
  public let weight: Tensor
  /// Number of panels, ceil(N / panelWidth).
  let panelCount: Int
  /// [panelCount][K][panelWidth], 64-byte aligned, owned by this object.
  let panels: UnsafeMutablePointer<Float>

  #if METALINT_AVX512
  /// Panel width: two SIMD16<Float> registers (the 8x32 AVX-512 micro-kernel).
  static let panelWidth = 32
  #else
  /// Panel width: two SIMD8<Float> registers (the 6x16 AVX2 micro-kernel).
  static let panelWidth = 16
  #endif

  /// Packs `weight` [N, K].
  public init(_ weight: Tensor) {
    precondition(weight.rank == 2, "PackedWeight needs a 2-D [N, K] weight, got \(weight.shape)")
    let n = weight.shape[0], k = weight.shape[1], pw = PackedWeight.panelWidth
    outFeatures = n
    inFeatures = k
    self.weight = weight
    panelCount = (n + pw - 1) / pw
    let count = max(panelCount * k * pw, 1)
    let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
    panels = raw.bindMemory(to: Float.self, capacity: count)
    panels.initialize(repeating: 0, count: count)
    weight.data.withUnsafeBufferPointer { w in
      for p in 0..<panelCount {
        let panel = panels + p * k * pw
        for j in 0..<min(pw, n - p * pw) {
          let row = w.baseAddress! + (p * pw + j) * k  // W[16p + j, :]
          for kk in 0..<k { panel[kk * pw + j] = row[kk] }
        }
      }
    }
  }

  deinit { panels.deallocate() }
}
