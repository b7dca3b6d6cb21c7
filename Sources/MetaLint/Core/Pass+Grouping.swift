import MetaCore

extension Pass {
  /// Calls the body once per group of selected problems. `select` returns a key (an argument index, or 0 for
  /// the whole call) or nil to skip. A call into a union value forms one group per rule, so it gets at most one
  /// finding per rule, naming the alternatives that fail.
  func eachGroup(_ select: (CallProblem) -> Int?,
                 _ body: (CallAnalysis, [(target: Int, problem: CallProblem)]) -> Void) {
    for a in calls where !a.problems.isEmpty {
      let many = model.calls[a.call.index].targets.count > 1
      var order: [Int] = []
      var groups: [Int: [(target: Int, problem: CallProblem)]] = [:]
      for (ti, problem) in a.problems {
        guard var key = select(problem) else { continue }
        if many { key = 0 }
        if groups[key] == nil { order.append(key) }
        groups[key, default: []].append((ti, problem))
      }
      for key in order { body(a, groups[key]!) }
    }
  }

  func site(_ a: CallAnalysis) -> ModelCall { model.calls[a.call.index] }
  func target(_ a: CallAnalysis, _ ti: Int) -> ModelTarget { model.targets[Int(site(a).targets.start) + ti] }
  func argument(_ a: CallAnalysis, _ ai: Int) -> ModelArgument { model.argument(a.call, ai) }
  func param(_ t: ModelTarget, _ pi: Int) -> ModelParameter { model.parameter(t.function, pi) }
  func function(_ f: FunctionID) -> ModelFunction { model.functions[f.index] }

  /// `` (alternative 'B' of 'A | B')`` when the call reaches several alternatives and only some fail.
  func alternatives(_ a: CallAnalysis, failing targets: [Int]) -> String {
    let s = site(a)
    guard s.targets.count > 1 || s.receiverIsUnion else { return "" }
    var seen = Set<Int>()
    let failing = targets.filter { seen.insert($0).inserted }.compactMap { target(a, $0).receiver }
    // When every alternative fails the same way, naming them adds nothing.
    guard !failing.isEmpty, Set(targets).count < Int(s.targets.count) else { return "" }
    let all = model.targets(of: a.call).compactMap { $0.receiver }.map { str(model.classes[$0.index].name) }
    let list = failing.map { "'\(str(model.classes[$0.index].name))'" }.joined(separator: ", ")
    return failing.count == 1 ? " (alternative \(list) of '\(all.joined(separator: " | "))')"
                              : " (alternatives \(list) of '\(all.joined(separator: " | "))')"
  }

  func targetName(_ a: CallAnalysis, _ ti: Int) -> String { function(target(a, ti).function).displayName }

  /// `'A.forward' → 'B.forward' → 'FusedMoE.forward'`, folded in the middle when longer than six links.
  func chainText(_ f: FunctionID, _ parameter: Int) -> String {
    var chain = facts.useChain(f, parameter)
    if chain.count > 6 { chain = Array(chain.prefix(3)) + ["…"] + Array(chain.suffix(2)) }
    return chain.map { $0 == "…" ? $0 : "'\($0)'" }.joined(separator: " → ")
  }

  /// `forwardMeta: ForwardMeta`
  func paramText(_ p: ModelParameter) -> String { "\(str(p.name)): \(model.typeText(p.typeText))" }

  /// A note pointing at a parameter's declaration.
  func declaredHere(_ p: ModelParameter) -> Note { Note("'\(str(p.name))' declared here", at: p.nameRange) }

  /// The context type's name.
  func contextName(_ c: ContextID) -> String { str(model.contexts[c.index].name) }

  /// Whether `f`'s body calls something that needs a context `c` it cannot pass (an unthreaded call).
  func needsContext(_ f: FunctionID, _ c: ContextID) -> Bool {
    shared.needsContext.contains(SharedAnalysis.FunctionContext(function: f, context: c))
  }
}
