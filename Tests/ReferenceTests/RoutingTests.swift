import Foundation
import Testing
@testable import Reference

@Suite struct RoutingTests {
  func softmaxRow(_ v: [Float]) -> [Float] {
    let m = v.max()!, e = v.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
    return e.map { $0 / s }
  }

  @Test func softmaxTopKWithAndWithoutRenorm() {
    let logits = Tensor(shape: [1, 4], data: [1, 3, 2, 0])
    let p = softmaxRow([1, 3, 2, 0])
    let plain = route(logits: logits, config: .qwen3(numExperts: 4, topK: 2, normTopkProb: false))
    #expect(plain.ids == [1, 2])
    expectClose(plain.weights, Tensor(shape: [1, 2], data: [p[1], p[2]]), atol: 1e-7, "qwen3 norm off")
    let norm = route(logits: logits, config: .qwen3(numExperts: 4, topK: 2, normTopkProb: true))
    let s = p[1] + p[2]
    expectClose(
      norm.weights, Tensor(shape: [1, 2], data: [p[1] / s, p[2] / s]), atol: 1e-7, "qwen3 norm on")
  }

  @Test func tiesBreakToTheLowerIndex() {
    let logits = Tensor(shape: [2, 5], data: [0.5, 0.9, 0.9, 0.1, 0.9, 1, 1, 1, 1, 1])
    #expect(
      route(logits: logits, config: .qwen3(numExperts: 5, topK: 2, normTopkProb: false)).ids == [1, 2, 0, 1])
  }

  @Test func correctionBiasChoosesButDoesNotWeigh() {
    // Expert 3 has the lowest probability but a bias that makes it win the choice (Ernie).
    let logits = Tensor(shape: [1, 4], data: [2, 1, 0, -1])
    let bias = Tensor(shape: [4], data: [0, 0, 0, 1])
    let r = route(logits: logits, config: .ernie45(numExperts: 4, topK: 2, correctionBias: bias))
    let p = softmaxRow([2, 1, 0, -1])
    #expect(r.ids == [3, 0])
    let s = p[3] + p[0]
    expectClose(r.weights, Tensor(shape: [1, 2], data: [p[3] / s, p[0] / s]), atol: 1e-7, "ernie weights")
  }

  @Test func ernieRenormClampsTheSumBelowAt1e12() {
    // The bias picks two experts whose probabilities are ~e^-40: their sum is < 1e-12, so w = p / 1e-12.
    let logits = Tensor(shape: [1, 3], data: [0, 0, 40])
    let bias = Tensor(shape: [3], data: [5, 5, 0])
    let r = route(logits: logits, config: .ernie45(numExperts: 3, topK: 2, correctionBias: bias))
    let p = softmaxRow([0, 0, 40])
    #expect(r.ids == [0, 1])
    #expect(p[0] + p[1] < 1e-12)
    expectClose(
      r.weights, Tensor(shape: [1, 2], data: [p[0] / 1e-12, p[1] / 1e-12]), atol: 0, rtol: 1e-6,
      "ernie clamp")
  }

  @Test func deepseekGroupLimitedTopK() {
    // E=8 in 4 groups of 2, keep 2 groups, top-2. Expert 0 has the single best score, but group 0's top-2
    // sum is low, so the kept groups are 1 (experts 2,3) and 3 (6,7).
    let s: [Float] = [0.95, 0.05, 0.7, 0.6, 0.5, 0.1, 0.8, 0.45]
    let logits = Tensor(shape: [1, 8], data: s.map { Foundation.log($0 / (1 - $0)) })  // σ⁻¹
    let bias = Tensor(zeros: [8])
    let cfg = MoEConfig.deepseekV3(
      numExperts: 8, topK: 2, nGroup: 4, topkGroup: 2, normTopkProb: true,
      routedScalingFactor: 2.5, correctionBias: bias)
    let r = route(logits: logits, config: cfg)
    #expect(r.ids == [6, 2])
    let sum: Float = 0.8 + 0.7
    expectClose(
      r.weights, Tensor(shape: [1, 2], data: [0.8 / (sum + 1e-20) * 2.5, 0.7 / (sum + 1e-20) * 2.5]),
      atol: 1e-6, "deepseek norm on")
    var off = cfg
    off.renormalize = .none
    expectClose(
      route(logits: logits, config: off).weights, Tensor(shape: [1, 2], data: [0.8 * 2.5, 0.7 * 2.5]),
      atol: 1e-6, "deepseek norm off: still scaled")
  }

  @Test func deepseekMaskIsMinusInfinityNotZero() {
    // All biased scores negative: with a 0.0 mask (HF v4, mlx) a masked expert would win; with −∞ it cannot.
    let logits = Tensor(shape: [1, 4], data: [0, 0, 0, 3])
    let bias = Tensor(shape: [4], data: [-2, -2.1, -3, -3.5])  // group 0 = {0,1}, group 1 = {2,3}
    let cfg = MoEConfig.deepseekV3(
      numExperts: 4, topK: 1, nGroup: 2, topkGroup: 1, normTopkProb: false,
      routedScalingFactor: 1, correctionBias: bias)
    // group sums: g0 = (0.5−2)+(0.5−2.1) = −3.1; g1 = (0.5−3)+(0.953−3.5) = −5.05 → keep g0; pick expert 0
    let r = route(logits: logits, config: cfg)
    #expect(r.ids == [0])
    expectClose(r.weights, Tensor(shape: [1, 1], data: [0.5]), atol: 1e-7, "unbiased sigmoid weight")
  }

  @Test func gptOSSSoftmaxOverSelectedLogits() {
    let logits = Tensor(shape: [1, 4], data: [0.3, -1, 2, 1.5])
    let r = route(logits: logits, config: .gptOSS(numExperts: 4, topK: 2))
    #expect(r.ids == [2, 3])
    let w = softmaxRow([2, 1.5])
    expectClose(r.weights, Tensor(shape: [1, 2], data: w), atol: 1e-7, "gpt-oss weights")
  }

  @Test func glmSingleGroupIsPlainSigmoidTopK() {
    var rng = SeededRandom(11)
    let logits = rng.tensor([6, 8], scale: 2), bias = rng.tensor([8], scale: 0.1)
    let cfg = MoEConfig.deepseekV3(
      numExperts: 8, topK: 3, nGroup: 1, topkGroup: 1, normTopkProb: true,
      routedScalingFactor: 1, correctionBias: bias)
    let r = route(logits: logits, config: cfg)
    for t in 0..<6 {
      let c: [Float] = (0..<8).map { j in sigmoid(logits[t, j]) + bias.data[j] }
      let order: [Int] = (0..<8).sorted { a, b in c[a] > c[b] || (c[a] == c[b] && a < b) }
      #expect(Array(r.ids[t * 3..<t * 3 + 3]) == Array(order.prefix(3)))
    }
  }

  @Test func tensorSplitMatchesNumpy() {
    // numpy.array_split(range(7), 3) -> sizes 3, 2, 2; (2, 4) -> 1, 1, 0, 0
    #expect(tensorSplitRanges(count: 7, parts: 3) == [0..<3, 3..<5, 5..<7])
    #expect(tensorSplitRanges(count: 2, parts: 4) == [0..<1, 1..<2, 2..<2, 2..<2])
  }
}
