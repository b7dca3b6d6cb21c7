import Testing
@testable import Reference

@Suite struct MatmulTests {
  // Shapes cover full 6x16 (AVX2) and 8x32 (AVX-512) tiles, row and column edges of both, K not a multiple
  // of 8/16/256 (KC block), T=1 GEMV.
  static let shapes: [(t: Int, k: Int, n: Int)] = [
    (1, 37, 5), (1, 64, 33), (2, 300, 17), (6, 16, 16), (7, 33, 31), (13, 260, 40), (64, 70, 48), (1, 1, 1),
    // 8x32 tiles: one full tile; 9 = 5 + 4 rows and N = 65 (two panels and one column); 17 = 6 + 6 + 5
    // rows, 3 full panels, K over two KC blocks; K = 2; 4 panels of 32 so that 3 threads each get one.
    (8, 64, 32), (9, 40, 65), (17, 513, 96), (3, 2, 100), (16, 300, 128),
    // x block larger than 32K floats: K-outer order, several KC blocks, and (T > 192) two MC row blocks
    (40, 1000, 20), (200, 300, 17),
  ]

  @Test(arguments: shapes.indices)
  func fastMatchesReference(_ c: Int) {
    let (t, k, n) = Self.shapes[c]
    var rng = SeededRandom(UInt64(c + 1))
    let x = rng.tensor([t, k]), w = rng.tensor([n, k])
    let ref = matmulTransposedReference(x, w)
    let packed = PackedWeight(w)
    for threads in [1, 2, 3] {
      // Float sums of K products in a different order: allow ~K·ulp relative to the magnitude (≤ √K here).
      expectClose(
        matmulTransposed(x, packed, threads: threads), ref, atol: 1e-5 * Float(k).squareRoot(),
        "matmul T=\(t) K=\(k) N=\(n) threads=\(threads)")
    }
  }

  @Test func emptyShapes() {
    let w = PackedWeight(Tensor(zeros: [4, 3], value: 1))
    #expect(matmulTransposed(Tensor(zeros: [0, 3]), w).shape == [0, 4])
    let z = matmulTransposed(Tensor(zeros: [2, 0]), PackedWeight(Tensor(zeros: [3, 0])))
    #expect(z == Tensor(zeros: [2, 3]))
  }

  @Test func linearWithBias() {
    var rng = SeededRandom(9)
    let x = rng.tensor([5, 20]), w = rng.tensor([7, 20]), b = rng.tensor([7])
    expectClose(Linear(weight: w, bias: b)(x), linearReference(x, weight: w, bias: b), atol: 1e-5, "linear")
  }
}

@Suite struct ElementwiseTests {
  @Test func activationsMatchReferences() {
    var rng = SeededRandom(3)
    let x = rng.tensor([4, 24], scale: 12)
    // The fast paths use z/(1+e^−z), the references z·(1/(1+e^−z)): equal to an ulp or two.
    expectClose(silu(x), siluReference(x), atol: 1e-6, rtol: 1e-6, "silu")
    expectClose(sigmoid(x), sigmoidReference(x), atol: 1e-7, "sigmoid")
    expectClose(gelu(x), geluReference(x), atol: 1e-6, "gelu")
    let up = rng.tensor([4, 24], scale: 3)
    expectClose(swiglu(gate: x, up: up), swigluReference(gate: x, up: up), atol: 1e-6, rtol: 1e-6, "swiglu")
    expectClose(swigluOAI(x), swigluOAIReference(x), atol: 1e-6, rtol: 1e-6, "swigluOAI")
  }

  @Test func knownValues() {
    let x = Tensor(shape: [3], data: [0, 1, -2])
    expectClose(silu(x), Tensor(shape: [3], data: [0, 0.7310586, -0.23840584]), atol: 1e-6, "silu")
    expectClose(gelu(x), Tensor(shape: [3], data: [0, 0.8413447, -0.04550026]), atol: 1e-6, "gelu erf")
    expectClose(
      gelu(x, approximate: true), Tensor(shape: [3], data: [0, 0.8411920, -0.04540231]),
      atol: 1e-6, "gelu tanh")
    // swigluOAI: gate 10 -> 7 (clamped), up -9 -> -7 (clamped): (−7+1)·7·σ(11.914).
    let oai = swigluOAI(Tensor(shape: [1, 4], data: [10, -9, 1, 2]))
    expectClose(
      oai, Tensor(shape: [1, 2], data: [-6 * 7 * sigmoid(1.702 * 7), 3 * sigmoid(1.702)]),
      atol: 1e-5, "swigluOAI clamps")
  }

  @Test func rmsNormAndSoftmax() {
    var rng = SeededRandom(4)
    let x = rng.tensor([5, 37], scale: 3), w = rng.tensor([37])
    expectClose(
      rmsNorm(x, weight: w, eps: 1e-6), rmsNormReference(x, weight: w, eps: 1e-6),
      atol: 1e-6, rtol: 1e-6, "rmsNorm")
    let big = Tensor(shape: [2, 3], data: [1000, 1001, 1002, -5, 0, 5])
    let s = softmax(big)
    expectClose(s, softmaxReference(big), atol: 1e-7, "softmax")
    expectClose(
      s,
      Tensor(
        shape: [2, 3],
        data: [
          0.09003057, 0.24472847, 0.66524096,
          4.5094e-5, 6.6925491e-3, 0.99326236,
        ]), atol: 1e-6, "softmax values")
  }

  @Test func embeddingLookup() {
    var rng = SeededRandom(5)
    let table = rng.tensor([10, 6])
    let ids = [3, 0, 9, 3]
    #expect(embedding(ids: ids, table: table) == embeddingReference(ids: ids, table: table))
    #expect(embedding(ids: [], table: table).shape == [0, 6])
  }
}
