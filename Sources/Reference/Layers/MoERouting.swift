import Foundation

/// The experts chosen for each token and their weights.
public struct MoERouting: Sendable, Equatable {
  /// T.
  public let tokens: Int
  /// K.
  public let topK: Int
  /// [T, K] expert ids, row-major, in selection order (best first).
  public var ids: [Int]
  /// [T, K] weights matching `ids`.
  public var weights: Tensor
}

/// Routes every token: logits [T, E] -> (ids [T, K], weights [T, K]). See `MoEConfig` for the pipeline.
/// Scores are computed in Float with a max-subtracted softmax; ties break to the lower expert index.
public func route(logits: Tensor, config: MoEConfig) -> MoERouting {
  let e = config.numExperts, k = config.topK
  precondition(logits.rank == 2 && logits.shape[1] == e, "route: logits \(logits.shape) for \(e) experts")
  let t = logits.shape[0]
  var ids = [Int](repeating: 0, count: t * k)
  var weights = Tensor(zeros: [t, k])
  var scores = [Float](repeating: 0, count: e), choice = [Float](repeating: 0, count: e)
  var picked = [Int](repeating: 0, count: k)
  for r in 0..<t {
    let row = logits.data[r * e..<(r + 1) * e]
    // 1. scores (the weights come from these) and the choice values (scores + selection-only bias)
    switch config.scoring {
    case .softmax:
      scores.withUnsafeMutableBufferPointer { s in
        for j in 0..<e { s[j] = row[row.startIndex + j] }
        softmaxInPlace(s.baseAddress!, count: e)
      }
    case .sigmoid: for j in 0..<e { scores[j] = sigmoid(row[row.startIndex + j]) }
    case .softmaxOfTopK: for j in 0..<e { scores[j] = row[row.startIndex + j] }
    }
    for j in 0..<e { choice[j] = scores[j] + (config.correctionBias?.data[j] ?? 0) }
    // 2. group stage: keep the topkGroup groups with the largest top-2 sums, mask the others to −∞
    if config.nGroup > 1 { maskGroups(&choice, config: config) }
    // 3. top-k, ties to the lower index
    topKIndices(choice, k: k, into: &picked)
    // 4. weights from the unbiased scores
    var w = picked.map { scores[$0] }
    if config.scoring == .softmaxOfTopK {
      w.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: k) }
    }
    // 5. renormalise, then scale
    let sum = w.reduce(0, +)
    switch config.renormalize {
    case .none: break
    case .sum: w = w.map { $0 / sum }
    case .sumClampedBelow(let eps): w = w.map { $0 / max(sum, eps) }
    case .sumPlus(let eps): w = w.map { $0 / (sum + eps) }
    }
    for j in 0..<k {
      ids[r * k + j] = picked[j]
      weights.data[r * k + j] = w[j] * config.routedScalingFactor
    }
  }
  return MoERouting(tokens: t, topK: k, ids: ids, weights: weights)
}

/// The indices of the k largest values, best first; among equal values the lower index wins. −∞ and NaN
/// rank last (NaN never beats anything), so a fully masked row still yields k distinct indices.
func topKIndices(_ v: [Float], k: Int, into out: inout [Int]) {
  var taken = [Bool](repeating: false, count: v.count)
  for j in 0..<k {
    var best = -1
    for i in 0..<v.count where !taken[i] {
      if best < 0 || v[i] > v[best] { best = i }
    }
    taken[best] = true
    out[j] = best
  }
}

/// DeepSeek-V3 group-limited selection on the biased scores `choice` [E]: group g's score is the sum of its
/// two largest values (its only value if groups have one expert); the `topkGroup` best groups survive and
/// every expert of the other groups is set to −∞.
func maskGroups(_ choice: inout [Float], config: MoEConfig) {
  let g = config.nGroup, size = config.numExperts / g
  var groupScores = [Float](repeating: 0, count: g)
  for gi in 0..<g {
    let members = Array(choice[gi * size..<(gi + 1) * size])
    var top = [Int](repeating: 0, count: min(2, size))
    topKIndices(members, k: top.count, into: &top)
    groupScores[gi] = top.reduce(0) { $0 + members[$1] }
  }
  var kept = [Int](repeating: 0, count: config.topkGroup)
  topKIndices(groupScores, k: config.topkGroup, into: &kept)
  let keep = Set(kept)
  for gi in 0..<g where !keep.contains(gi) {
    for j in gi * size..<(gi + 1) * size { choice[j] = -.infinity }
  }
}
