import Dispatch

// y[T, N] = x[T, K] · W[N, K]ᵀ  (nn.Linear layout). The reference is three plain loops; the fast path is the
// packed GEMM of GemmKernel.swift (6x16 SIMD8, or 8x32 SIMD16 in AVX-512 builds), or the dot-form GEMV when
// T == 1. MatmulTests prove them equal.

/// Reference: out[t, n] = Σ_k x[t, k] · w[n, k], accumulated in Float in k order. x [T, K], w [N, K] ->
/// [T, N].
public func matmulTransposedReference(_ x: Tensor, _ w: Tensor) -> Tensor {
  precondition(
    x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[1],
    "matmulTransposed: x \(x.shape) · w \(w.shape)ᵀ")
  let t = x.shape[0], k = x.shape[1], n = w.shape[0]
  var out = Tensor(zeros: [t, n])
  for i in 0..<t {
    for j in 0..<n {
      var acc: Float = 0
      for kk in 0..<k { acc += x.data[i * k + kk] * w.data[j * k + kk] }
      out.data[i * n + j] = acc
    }
  }
  return out
}

/// Fast path: x [T, K] · Wᵀ with W [N, K] packed -> [T, N]. Uses the GEMV when T == 1, else the packed GEMM,
/// split over `threads` workers by output panels.
public func matmulTransposed(_ x: Tensor, _ w: PackedWeight, threads: Int = 1) -> Tensor {
  precondition(
    x.rank == 2 && x.shape[1] == w.inFeatures,
    "matmulTransposed: x \(x.shape) · w [\(w.outFeatures), \(w.inFeatures)]ᵀ")
  let t = x.shape[0]
  var out = Tensor(zeros: [t, w.outFeatures])
  x.data.withUnsafeBufferPointer { xb in
    out.data.withUnsafeMutableBufferPointer { ob in
      guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }  // 0 rows or 0 features
      matmulTransposed(out: op, x: xp, rows: t, w: w, threads: threads)
    }
  }
  return out
}

/// Convenience: packs `w` [N, K] on the fly. Prefer a `PackedWeight` made once at load time.
public func matmulTransposed(_ x: Tensor, _ w: Tensor, threads: Int = 1) -> Tensor {
  matmulTransposed(x, PackedWeight(w), threads: threads)
}

/// out[T, N] = x[T, K] · Wᵀ on raw buffers (out is overwritten). The workhorse of the layers.
func matmulTransposed(
  out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, rows t: Int,
  w: PackedWeight, threads: Int
) {
  let n = w.outFeatures
  if t == 0 || n == 0 { return }
  if w.inFeatures == 0 { out.initialize(repeating: 0, count: t * n); return }
  let workers = max(1, min(threads, t == 1 ? (n + 63) / 64 : w.panelCount))
  if t == 1 {
    w.weight.data.withUnsafeBufferPointer { wb in
      let wp = wb.baseAddress!
      if workers == 1 { gemvDot(out: out, x: x, w: wp, k: w.inFeatures, columns: 0..<n); return }
      let o = SendablePointer(out), xs = SendablePointer(UnsafeMutablePointer(mutating: x))
      let ws = SendablePointer(UnsafeMutablePointer(mutating: wp))
      DispatchQueue.concurrentPerform(iterations: workers) { r in
        gemvDot(out: o.p, x: xs.p, w: ws.p, k: w.inFeatures, columns: split(n, workers, r))
      }
    }
    return
  }
  if workers == 1 { gemmPacked(out: out, x: x, rows: t, w: w, panels: 0..<w.panelCount); return }
  let o = SendablePointer(out), xs = SendablePointer(UnsafeMutablePointer(mutating: x))
  DispatchQueue.concurrentPerform(iterations: workers) { r in
    gemmPacked(out: o.p, x: xs.p, rows: t, w: w, panels: split(w.panelCount, workers, r))
  }
}

/// Part `r` of `count` items split into `parts` contiguous ranges whose sizes differ by at most one.
func split(_ count: Int, _ parts: Int, _ r: Int) -> Range<Int> {
  let base = count / parts, extra = count % parts
  let lo = r * base + min(r, extra)
  return lo..<lo + base + (r < extra ? 1 : 0)
}
