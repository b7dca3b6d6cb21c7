import MetaCore

/// Every call edge of the program, by callee: from a call (whose caller may be nil: a field initializer, a
/// model, module code) to each function one of its targets reaches. Union receivers contribute one edge per
/// alternative. Stored as one array sorted by callee with an offset per function (built by counting).
public final class CallGraph: @unchecked Sendable {
  public struct Edge: Sendable {
    public let call: CallID
    /// Index into the call's targets.
    public let target: Int32
  }

  private var edges: [Edge] = []
  private var offsets: [Int32] = []

  public init(model: CheckedModel) {
    var counts = [Int32](repeating: 0, count: model.functions.count + 1)
    for t in model.targets { counts[t.function.index + 1] += 1 }
    for i in 1..<counts.count { counts[i] += counts[i - 1] }
    offsets = counts
    var next = counts
    edges = [Edge](repeating: Edge(call: CallID(0), target: 0), count: model.targets.count)
    for (ci, c) in model.calls.enumerated() {
      for (k, t) in model.targets[c.targets.range].enumerated() {
        edges[Int(next[t.function.index])] = Edge(call: CallID(ci), target: Int32(k))
        next[t.function.index] += 1
      }
    }
  }

  /// The edges into `f`, in program order.
  public func callers(of f: FunctionID) -> ArraySlice<Edge> {
    edges[Int(offsets[f.index])..<Int(offsets[f.index + 1])]
  }
}
