import Dispatch

/// Runs `body` over `count` indices on up to `workers` threads (striped: worker w takes w, w + workers, …)
/// and returns the results in index order, so output never depends on scheduling.
public func parallelMap<R>(count: Int, workers: Int, _ body: (Int) -> R) -> [R] {
  let w = max(1, min(workers, count))
  if w == 1 { return (0..<count).map(body) }
  return withoutActuallyEscaping(body) { body in
    let box = ParallelBox(count: count, body: body)
    DispatchQueue.concurrentPerform(iterations: w) { worker in
      var i = worker
      while i < count {
        box.results[i] = box.body(i)
        i += w
      }
    }
    return box.results.map { $0! }
  }
}

/// Per-worker state: `parallelMap` with a value made once per worker (a cache, a scratch buffer).
public func parallelMap<R, S>(count: Int, workers: Int, state: () -> S, _ body: (inout S, Int) -> R) -> [R] {
  let w = max(1, min(workers, count))
  var states = (0..<w).map { _ in state() }
  return states.withUnsafeMutableBufferPointer { statesBuffer in
    let s = UnsafeSendable(statesBuffer)
    return parallelMap(count: w, workers: w) { worker -> [(Int, R)] in
      var out: [(Int, R)] = []
      var i = worker
      while i < count {
        out.append((i, body(&s.value[worker], i)))
        i += w
      }
      return out
    }.flatMap { $0 }.sorted { $0.0 < $1.0 }.map { $0.1 }
  }
}

/// The shared slots of one `parallelMap`: each index is written by exactly one worker.
private final class ParallelBox<R>: @unchecked Sendable {
  var results: [R?]
  let body: (Int) -> R

  init(count: Int, body: @escaping (Int) -> R) {
    results = [R?](repeating: nil, count: count)
    self.body = body
  }
}

private struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
