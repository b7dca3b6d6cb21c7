import Dispatch

// The routed-expert sum of a MoE block, x [T, H] -> y [T, H]:
//   y[t] = Σ_j w[t, j] · Expert_{ids[t, j]}(x[t])
// Two phase paths compute it (LANGUAGE.md §8 requires they agree within 1e-5 relative):
// - prefill: group tokens by expert; one matrix product per expert over its gathered tokens [n_e, H];
//   scatter-add by ascending expert id (HF's eager loop order).
// - decode: per token, its K experts (each a GEMV), added in ascending expert id.
// Both become a list of tasks (expert, rows, weights) run by `runExpertTasks`, which splits the tasks
// between threads, each accumulating into its own output buffer, and adds the buffers at the end.

/// Which MoE path runs (FastDeploy's `forward_meta` phase).
public enum MoEPhase: String, Sendable {
  /// Many tokens: grouped per expert.
  case prefill
  /// Few tokens: per token.
  case decode
}

/// Reference MoE with plain loops: routes, then for every token sums its experts in ascending id order,
/// each expert computed by `MoEExperts.expertReference` on that one row. x [T, H], logits [T, E] -> [T, H].
public func moeReference(_ x: Tensor, logits: Tensor, config: MoEConfig, experts: MoEExperts) -> Tensor {
  let h = experts.hidden, t = x.rows
  precondition(x.cols == h && logits.rows == t, "moe: x \(x.shape), logits \(logits.shape)")
  let routing = route(logits: logits, config: config)
  var y = Tensor(zeros: [t, h])
  for r in 0..<t {
    let slots = (0..<config.topK).sorted {
      routing.ids[r * config.topK + $0] < routing.ids[r * config.topK + $1]
    }
    for j in slots {
      let e = routing.ids[r * config.topK + j], w = routing.weights.data[r * config.topK + j]
      let out = experts.expertReference(e, x.rows(r..<r + 1))
      for c in 0..<h { y.data[r * h + c] += w * out.data[c] }
    }
  }
  return y
}

/// Routed experts on the `phase` path and `threads` workers: x [T, H], router logits [T, E] -> [T, H].
/// FastDeploy's `forward_normal`. Shared experts are not included (they are ordinary layers).
public func moeForward(
  _ x: Tensor, logits: Tensor, config: MoEConfig, experts: MoEExperts,
  phase: MoEPhase, threads: Int = 1
) -> Tensor {
  let routing = route(logits: logits, config: config)
  switch phase {
  case .prefill: return moePrefill(x, routing: routing, experts: experts, threads: threads)
  case .decode: return moeDecode(x, routing: routing, experts: experts, threads: threads)
  }
}

/// Prefill path: one task per expert that received tokens, ascending id, its tokens in ascending order.
public func moePrefill(_ x: Tensor, routing: MoERouting, experts: MoEExperts, threads: Int = 1) -> Tensor {
  var tokens = [[Int]](repeating: [], count: experts.numExperts)
  var weights = [[Float]](repeating: [], count: experts.numExperts)
  for r in 0..<routing.tokens {
    for j in 0..<routing.topK {
      let e = routing.ids[r * routing.topK + j]
      tokens[e].append(r)
      weights[e].append(routing.weights.data[r * routing.topK + j])
    }
  }
  let tasks = (0..<experts.numExperts).filter { !tokens[$0].isEmpty }
    .map { ExpertTask(expert: $0, tokens: tokens[$0], weights: weights[$0]) }
  return runExpertTasks(tasks, x: x, experts: experts, threads: threads)
}

/// Decode path: per token, one single-row task per selected expert, in ascending expert id.
public func moeDecode(_ x: Tensor, routing: MoERouting, experts: MoEExperts, threads: Int = 1) -> Tensor {
  var tasks: [ExpertTask] = []
  let k = routing.topK
  for r in 0..<routing.tokens {
    for j in (0..<k).sorted(by: { routing.ids[r * k + $0] < routing.ids[r * k + $1] }) {
      tasks.append(
        ExpertTask(expert: routing.ids[r * k + j], tokens: [r], weights: [routing.weights.data[r * k + j]]))
    }
  }
  return runExpertTasks(tasks, x: x, experts: experts, threads: threads)
}

/// One expert applied to some token rows, its outputs scatter-added with per-row weights.
struct ExpertTask {
  let expert: Int
  let tokens: [Int]
  let weights: [Float]
}

/// Runs `tasks` for x [T, H] -> [T, H]. The tasks are cut into `threads` contiguous runs of about equal
/// rows; each worker accumulates its run, in order, into its own [T, H] buffer; the buffers are then added.
func runExpertTasks(_ tasks: [ExpertTask], x: Tensor, experts: MoEExperts, threads: Int) -> Tensor {
  let h = experts.hidden, t = x.rows
  precondition(x.rank == 2 && x.cols == h, "moe: x \(x.shape) for hidden size \(h)")
  let runs = splitByRows(tasks, parts: max(1, min(threads, tasks.count)))
  var y = Tensor(zeros: [t, h])
  if tasks.isEmpty || h == 0 { return y }
  if runs.count == 1 {
    y.data.withUnsafeMutableBufferPointer { yb in
      x.data.withUnsafeBufferPointer { xb in
        runTasks(tasks[runs[0]], x: xb.baseAddress!, experts: experts, out: yb.baseAddress!)
      }
    }
    return y
  }
  var partial = [Float](repeating: 0, count: (runs.count - 1) * t * h)  // buffers of workers 1...
  y.data.withUnsafeMutableBufferPointer { yb in
    partial.withUnsafeMutableBufferPointer { pb in
      x.data.withUnsafeBufferPointer { xb in
        let y0 = SendablePointer(yb.baseAddress!), p = SendablePointer(pb.baseAddress!)
        let xs = SendablePointer(UnsafeMutablePointer(mutating: xb.baseAddress!))
        DispatchQueue.concurrentPerform(iterations: runs.count) { w in
          runTasks(tasks[runs[w]], x: xs.p, experts: experts, out: w == 0 ? y0.p : p.p + (w - 1) * t * h)
        }
      }
      for w in 1..<runs.count {
        let src = pb.baseAddress! + (w - 1) * t * h
        for i in 0..<t * h { yb[i] += src[i] }
      }
    }
  }
  return y
}

/// Contiguous ranges of `tasks` with about equal total rows each (at most `parts`, none empty).
func splitByRows(_ tasks: [ExpertTask], parts: Int) -> [Range<Int>] {
  let total = tasks.reduce(0) { $0 + $1.tokens.count }
  var runs: [Range<Int>] = [], start = 0, done = 0
  for (i, task) in tasks.enumerated() {
    done += task.tokens.count
    // close run number runs.count once its share of the rows is reached
    if runs.count < parts - 1 && done * parts >= total * (runs.count + 1) {
      runs.append(start..<i + 1)
      start = i + 1
    }
  }
  if start < tasks.count || runs.isEmpty { runs.append(start..<tasks.count) }
  return runs
}

/// Runs tasks in order on one thread, accumulating out[t, :] += w · expert(x[t, :]).
private func runTasks(
  _ tasks: ArraySlice<ExpertTask>, x: UnsafePointer<Float>, experts: MoEExperts,
  out: UnsafeMutablePointer<Float>
) {
  let h = experts.hidden, i = experts.intermediate
  let maxRows = tasks.reduce(0) { max($0, $1.tokens.count) }
  // scratch: gathered x [n, H], gu [n, 2I], act [n, I], y [n, H]
  var scratch = [Float](repeating: 0, count: maxRows * (h + 2 * i + i + h))
  scratch.withUnsafeMutableBufferPointer { sb in
    let xe = sb.baseAddress!, gu = xe + maxRows * h, act = gu + maxRows * 2 * i, ye = act + maxRows * i
    for task in tasks {
      let n = task.tokens.count, e = task.expert
      for (r, tok) in task.tokens.enumerated() { (xe + r * h).update(from: x + tok * h, count: h) }
      matmulTransposed(out: gu, x: xe, rows: n, w: experts.gateUp[e], threads: 1)
      if let b = experts.gateUpBias?[e] { addRowBias(gu, rows: n, bias: b) }
      gatedActivation(out: act, gateUp: gu, rows: n, width: i, kind: experts.activation)
      matmulTransposed(out: ye, x: act, rows: n, w: experts.down[e], threads: 1)
      if let b = experts.downBias?[e] { addRowBias(ye, rows: n, bias: b) }
      for (r, tok) in task.tokens.enumerated() {
        let w = task.weights[r], dst = out + tok * h, src = ye + r * h
        for c in 0..<h { dst[c] += w * src[c] }
      }
    }
  }
}

/// p[r, :] += bias for r in 0..<rows.
private func addRowBias(_ p: UnsafeMutablePointer<Float>, rows: Int, bias: Tensor) {
  let n = bias.count
  bias.data.withUnsafeBufferPointer { b in
    for r in 0..<rows { for j in 0..<n { p[r * n + j] += b[j] } }
  }
}
