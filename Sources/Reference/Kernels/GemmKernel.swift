// The packed GEMM: out[T, N] = x[T, K] · Wᵀ, W packed in 16-column panels [K][16] (PackedWeight).
// Blocking: rows in blocks of MC, K in blocks of KC (one panel block, KC·16 floats = 16 KiB, stays in L1
// while every 6-row tile of the row block passes over it), then a 6x16 register tile: 12 SIMD8 accumulators,
// enough independent FMA chains to hide the 4-cycle latency on Zen 3's two FMA pipes.

private let mr = 6
private let kc = 256
private let mc = 192

/// Computes output columns of `panels` for all rows. Each thread owns disjoint panels, so disjoint columns.
func gemmPacked(
  out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, rows t: Int,
  w: PackedWeight, panels: Range<Int>
) {
  let k = w.inFeatures, n = w.outFeatures, pw = PackedWeight.panelWidth
  var edge = [Float](repeating: 0, count: mr * pw)  // scratch C tile for partial tiles
  edge.withUnsafeMutableBufferPointer { eb in
    let scratch = eb.baseAddress!
    for i0 in stride(from: 0, to: t, by: mc) {
      let i1 = min(i0 + mc, t)
      for k0 in stride(from: 0, to: k, by: kc) {
        let kLen = min(kc, k - k0), first = k0 == 0
        for p in panels {
          let b = w.panels + p * k * pw + k0 * pw
          let col0 = p * pw, cols = min(pw, n - col0)
          for i in stride(from: i0, to: i1, by: mr) {
            let rowsHere = min(mr, i1 - i)
            // x rows past the end repeat the last row; their results land in scratch and are dropped.
            let a0 = x + i * k + k0
            let a1 = x + min(i + 1, t - 1) * k + k0, a2 = x + min(i + 2, t - 1) * k + k0
            let a3 = x + min(i + 3, t - 1) * k + k0, a4 = x + min(i + 4, t - 1) * k + k0
            let a5 = x + min(i + 5, t - 1) * k + k0
            if rowsHere == mr && cols == pw {
              kernel6x16(
                a0, a1, a2, a3, a4, a5, b: b, kLen: kLen, c: out + i * n + col0, ldc: n,
                accumulate: !first)
            } else {
              for r in 0..<mr {
                for j in 0..<pw {
                  scratch[r * pw + j] =
                    (!first && r < rowsHere && j < cols) ? out[(i + r) * n + col0 + j] : 0
                }
              }
              kernel6x16(a0, a1, a2, a3, a4, a5, b: b, kLen: kLen, c: scratch, ldc: pw, accumulate: true)
              for r in 0..<rowsHere {
                for j in 0..<cols { out[(i + r) * n + col0 + j] = scratch[r * pw + j] }
              }
            }
          }
        }
      }
    }
  }
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// c[6, 16] (row stride ldc) (+)= a[6 rows, kLen] · b[kLen][16]. Rows of a are given by six pointers.
@inline(__always)
private func kernel6x16(
  _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
  _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
  b: UnsafePointer<Float>, kLen: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
  var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
  var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
  if accumulate {
    c00 = load8(c); c01 = load8(c + 8)
    c10 = load8(c + ldc); c11 = load8(c + ldc + 8)
    c20 = load8(c + 2 * ldc); c21 = load8(c + 2 * ldc + 8)
    c30 = load8(c + 3 * ldc); c31 = load8(c + 3 * ldc + 8)
    c40 = load8(c + 4 * ldc); c41 = load8(c + 4 * ldc + 8)
    c50 = load8(c + 5 * ldc); c51 = load8(c + 5 * ldc + 8)
  }
  var bp = b
  for kk in 0..<kLen {
    let b0 = load8(bp), b1 = load8(bp + 8)
    var a = SIMD8<Float>(repeating: a0[kk])
    c00 = c00.addingProduct(a, b0); c01 = c01.addingProduct(a, b1)
    a = SIMD8<Float>(repeating: a1[kk])
    c10 = c10.addingProduct(a, b0); c11 = c11.addingProduct(a, b1)
    a = SIMD8<Float>(repeating: a2[kk])
    c20 = c20.addingProduct(a, b0); c21 = c21.addingProduct(a, b1)
    a = SIMD8<Float>(repeating: a3[kk])
    c30 = c30.addingProduct(a, b0); c31 = c31.addingProduct(a, b1)
    a = SIMD8<Float>(repeating: a4[kk])
    c40 = c40.addingProduct(a, b0); c41 = c41.addingProduct(a, b1)
    a = SIMD8<Float>(repeating: a5[kk])
    c50 = c50.addingProduct(a, b0); c51 = c51.addingProduct(a, b1)
    bp += 16
  }
  store8(c00, c); store8(c01, c + 8)
  store8(c10, c + ldc); store8(c11, c + ldc + 8)
  store8(c20, c + 2 * ldc); store8(c21, c + 2 * ldc + 8)
  store8(c30, c + 3 * ldc); store8(c31, c + 3 * ldc + 8)
  store8(c40, c + 4 * ldc); store8(c41, c + 4 * ldc + 8)
  store8(c50, c + 5 * ldc); store8(c51, c + 5 * ldc + 8)
}

/// GEMV, dot form on the unpacked W: out[n] = Σ_k x[k] · w[n, k] for n in `columns`. x [K], w [N, K].
/// Four rows of W at a time, two SIMD8 partial sums each (8 independent chains), summed horizontally.
func gemvDot(
  out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>, k: Int,
  columns: Range<Int>
) {
  let k16 = k & ~15
  var j = columns.lowerBound
  while j + 4 <= columns.upperBound {
    let w0 = w + j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k
    var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s10 = SIMD8<Float>(), s11 = SIMD8<Float>()
    var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s30 = SIMD8<Float>(), s31 = SIMD8<Float>()
    var kk = 0
    while kk < k16 {
      let xa = load8(x + kk), xb = load8(x + kk + 8)
      s00 = s00.addingProduct(xa, load8(w0 + kk)); s01 = s01.addingProduct(xb, load8(w0 + kk + 8))
      s10 = s10.addingProduct(xa, load8(w1 + kk)); s11 = s11.addingProduct(xb, load8(w1 + kk + 8))
      s20 = s20.addingProduct(xa, load8(w2 + kk)); s21 = s21.addingProduct(xb, load8(w2 + kk + 8))
      s30 = s30.addingProduct(xa, load8(w3 + kk)); s31 = s31.addingProduct(xb, load8(w3 + kk + 8))
      kk += 16
    }
    var r0 = (s00 + s01).sum(), r1 = (s10 + s11).sum(), r2 = (s20 + s21).sum(), r3 = (s30 + s31).sum()
    while kk < k {
      let xv = x[kk]
      r0 += xv * w0[kk]; r1 += xv * w1[kk]; r2 += xv * w2[kk]; r3 += xv * w3[kk]
      kk += 1
    }
    out[j] = r0; out[j + 1] = r1; out[j + 2] = r2; out[j + 3] = r3
    j += 4
  }
  while j < columns.upperBound {
    let wr = w + j * k
    var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
    var kk = 0
    while kk < k16 {
      s0 = s0.addingProduct(load8(x + kk), load8(wr + kk))
      s1 = s1.addingProduct(load8(x + kk + 8), load8(wr + kk + 8))
      kk += 16
    }
    var r = (s0 + s1).sum()
    while kk < k { r += x[kk] * wr[kk]; kk += 1 }
    out[j] = r
    j += 1
  }
}
