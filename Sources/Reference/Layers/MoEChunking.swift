// FastDeploy's two ways of running a MoE block over pieces of the batch, simulated on one process. Both must
// give the same result as `moeForward` on the whole batch (routing is per token).

/// Row ranges of `count` rows split into `parts` pieces as `paddle.tensor_split` / `numpy.array_split` do:
/// the first count % parts pieces get one extra row; pieces may be empty.
public func tensorSplitRanges(count: Int, parts: Int) -> [Range<Int>] {
  precondition(parts > 0, "tensorSplit: \(parts) parts")
  return (0..<parts).map { split(count, parts, $0) }
}

/// `forward_chunked_moe`: split the T tokens into this rank's `numChunks` chunks; loop i in
/// 0..<maxNumChunks (the maximum over ranks, so that every rank runs the same number of collective steps),
/// running a real chunk while i < numChunks and an empty 0-row chunk otherwise; concatenate the real
/// outputs. x [T, H], logits [T, E] -> [T, H].
public func moeForwardChunked(
  _ x: Tensor, logits: Tensor, config: MoEConfig, experts: MoEExperts,
  numChunks: Int, maxNumChunks: Int, phase: MoEPhase, threads: Int = 1
) -> Tensor {
  precondition(
    numChunks >= 1 && maxNumChunks >= numChunks, "chunked MoE: \(numChunks) of max \(maxNumChunks)")
  let ranges = tensorSplitRanges(count: x.rows, parts: numChunks)
  var outs: [Tensor] = []
  for i in 0..<maxNumChunks {
    if i < numChunks {
      outs.append(
        moeForward(
          x.rows(ranges[i]), logits: logits.rows(ranges[i]), config: config, experts: experts,
          phase: phase, threads: threads))
    } else {
      // The fake step: a 0-row chunk keeps this rank in step with ranks that have more chunks.
      let empty = moeForward(
        x.rows(0..<0), logits: logits.rows(0..<0), config: config, experts: experts,
        phase: phase, threads: threads)
      precondition(empty.rows == 0, "a 0-row chunk produced rows")
    }
  }
  return Tensor.concatRows(outs, cols: experts.hidden)
}

/// `forward_split_allgather` over a simulated tensor-parallel group of `tpSize` ranks: pad T up to a
/// multiple of tpSize (zero rows), give rank r rows [r·T/tp, (r+1)·T/tp) of the padded batch, run every
/// rank, all-gather (concatenate in rank order) and drop the padding. x [T, H], logits [T, E] -> [T, H].
public func moeForwardSplitAllgather(
  _ x: Tensor, logits: Tensor, config: MoEConfig, experts: MoEExperts,
  tpSize: Int, phase: MoEPhase, threads: Int = 1
) -> Tensor {
  precondition(tpSize >= 1, "split_allgather: tp size \(tpSize)")
  let t = x.rows, perRank = (t + tpSize - 1) / tpSize
  var gathered: [Tensor] = []
  for rank in 0..<tpSize {
    let lo = min(rank * perRank, t), hi = min((rank + 1) * perRank, t)
    var partX = Tensor(zeros: [perRank, x.cols]), partLogits = Tensor(zeros: [perRank, logits.cols])
    for r in lo..<hi {
      for c in 0..<x.cols { partX[r - lo, c] = x[r, c] }
      for c in 0..<logits.cols { partLogits[r - lo, c] = logits[r, c] }
    }
    gathered.append(
      moeForward(
        partX, logits: partLogits, config: config, experts: experts, phase: phase,
        threads: threads))
  }
  return Tensor.concatRows(gathered, cols: experts.hidden).rows(0..<t)
}
