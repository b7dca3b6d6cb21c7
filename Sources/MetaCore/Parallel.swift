import Foundation

/// How many threads the parallel paths use.
public enum Parallel {
  /// `METALINT_WORKERS` when it is a positive integer, else `proposed`. Every `parallelMap` passes its
  /// `workers` through here, so one variable forces a single worker or several on every path, whatever its
  /// size threshold: the seam for tests that compare one worker with many (and for measuring scaling).
  public static func workerCount(default proposed: Int) -> Int { forced ?? proposed }

  /// Read once: the environment does not change during a run.
  static let forced: Int? = ProcessInfo.processInfo.environment["METALINT_WORKERS"].flatMap { Int($0) }
    .flatMap { $0 > 0 ? $0 : nil }
}

/// Runs `body` over `count` indices on up to `workers` threads (striped: worker w takes w, w + workers, …)
/// and returns the results in index order, so output never depends on scheduling. `METALINT_WORKERS`
/// overrides `workers` (`Parallel.workerCount(default:)`).
///
/// Workers are threads with `stackSize` bytes of stack, not Dispatch's 512 KiB workers: the parser and the
/// checker recurse as deep as the input nests (up to `Parser.maxDepth` levels).
public func parallelMap<R>(count: Int, workers: Int, stackSize: Int = 64 << 20, _ body: (Int) -> R) -> [R] {
  let w = max(1, min(Parallel.workerCount(default: workers), count))
  return withoutActuallyEscaping(body) { body in
    let box = ParallelBox(count: count, body: body)
    let done = DispatchGroup()
    for worker in 0..<w {
      done.enter()
      let thread = Thread {
        var i = worker
        while i < count {
          box.results[i] = box.body!(i)
          i += w
        }
        done.leave()
      }
      thread.stackSize = stackSize
      thread.start()
    }
    done.wait()
    // The finished threads may still hold the box; the closure must not outlive this call.
    box.body = nil
    return box.results.map { $0! }
  }
}

/// Per-worker state: `parallelMap` with a value made once per worker (a cache, a scratch buffer).
public func parallelMap<R, S>(count: Int, workers: Int, state: () -> S, _ body: (inout S, Int) -> R) -> [R] {
  let w = max(1, min(Parallel.workerCount(default: workers), count))
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
  var body: ((Int) -> R)?

  init(count: Int, body: @escaping (Int) -> R) {
    results = [R?](repeating: nil, count: count)
    self.body = body
  }
}

private struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

/// Runs `body` on a thread with `stackSize` bytes of stack and waits for it: the front end recurses as deep
/// as the input nests, and a caller's thread (a Swift concurrency or Dispatch worker) may have only 512 KiB.
public func withLargeStack<R>(stackSize: Int = 64 << 20, _ body: () -> R) -> R {
  parallelMap(count: 1, workers: 1, stackSize: stackSize) { _ in body() }[0]
}

/// How many threads parallel work may use by default: the active cores (`METALINT_WORKERS` overrides it
/// inside `parallelMap`). Output never depends on it.
public func workerCount() -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
