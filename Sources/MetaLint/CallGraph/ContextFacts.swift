import MetaCore

/// Per-function facts about context parameters, computed to a fixed point over the call graph (go/analysis
/// facts): a parameter is **used** when the front end says the body uses it directly (a field read, a store,
/// a test...), or when it is passed to a call whose bound parameter is used. Every context parameter of an
/// external primitive is used.
public final class ContextFacts: @unchecked Sendable {
  /// Why a parameter counts as used: the first witness found.
  public enum Witness: Sendable {
    /// The body uses it here.
    case read(SourceRange)
    /// An external primitive takes it.
    case external
    /// It is passed to `callee`'s parameter `parameter` at `call`.
    case passed(call: CallID, callee: FunctionID, parameter: Int)
  }

  public let graph: CallGraph
  private let model: CheckedModel
  /// One slot per parameter of the model (`model.parameters`' indices).
  private var witnesses: [Witness?]

  public init(model: CheckedModel, graph: CallGraph) {
    self.model = model
    self.graph = graph
    witnesses = [Witness?](repeating: nil, count: model.parameters.count)
    compute()
  }

  private func slot(_ f: FunctionID, _ i: Int) -> Int { Int(model.functions[f.index].parameters.start) + i }

  /// Whether `f` uses its parameter `index`.
  public func uses(_ f: FunctionID, _ index: Int) -> Bool { witnesses[slot(f, index)] != nil }

  public func witness(_ f: FunctionID, _ index: Int) -> Witness? { witnesses[slot(f, index)] }

  func isContextParam(_ f: FunctionID, _ i: Int) -> Bool {
    i >= 0 && i < Int(model.functions[f.index].parameters.count) && model.parameter(f, i).context != nil
  }

  /// Worklist propagation: when a callee's parameter becomes used, its callers are revisited. Each (function,
  /// parameter) becomes used at most once, so the work is linear in the number of call edges.
  private func compute() {
    var worklist: [FunctionID] = []
    var hasUse = [Bool](repeating: false, count: model.functions.count)
    for u in model.directUses where isContextParam(u.function, Int(u.parameter)) {
      let s = slot(u.function, Int(u.parameter))
      if witnesses[s] == nil { witnesses[s] = .read(u.range) }
      hasUse[u.function.index] = true
    }
    for (i, f) in model.functions.enumerated() {
      let id = FunctionID(i)
      if f.kind == .external {
        for p in 0..<Int(f.parameters.count) where isContextParam(id, p) { witnesses[slot(id, p)] = .external }
        worklist.append(id)
      } else if f.kind == .method && hasUse[i] {
        worklist.append(id)
      }
    }
    while let callee = worklist.popLast() {
      let n = Int(model.functions[callee.index].parameters.count)
      guard (0..<n).contains(where: { witnesses[slot(callee, $0)] != nil }) else { continue }
      for edge in graph.callers(of: callee) {
        let call = model.calls[edge.call.index]
        guard let caller = call.caller else { continue }
        let t = model.targets[Int(call.targets.start + edge.target)]
        for pi in 0..<n {
          guard let ai = model.bound(t, pi), witnesses[slot(callee, pi)] != nil,
                let q = model.argument(edge.call, ai).rootParameter.map(Int.init),
                isContextParam(caller, q), witnesses[slot(caller, q)] == nil else { continue }
          witnesses[slot(caller, q)] = .passed(call: edge.call, callee: callee, parameter: pi)
          worklist.append(caller)
        }
      }
    }
  }

  /// The chain from `f` down to where parameter `index` is actually used:
  /// `['Qwen3MoeBlock.forward', 'FusedMoE.forward', 'FusedMoE.forward_chunked_moe']`.
  public func useChain(_ f: FunctionID, _ index: Int) -> [String] {
    var chain = [model.functions[f.index].displayName]
    var current = f
    var param = index
    var seen = Set<FunctionID>([f])
    while case .passed(_, let callee, let p)? = witness(current, param), !seen.contains(callee) {
      seen.insert(callee)
      chain.append(model.functions[callee.index].displayName)
      current = callee
      param = p
    }
    return chain
  }
}
