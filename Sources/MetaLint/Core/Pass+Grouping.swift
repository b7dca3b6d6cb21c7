import ModelDSL

extension Pass {
  /// Calls the body once per group of selected problems. `select` returns a key (an argument index, or 0 for
  /// the whole call) or nil to skip. A call into a union value forms one group per rule, so it gets at most one
  /// finding per rule, naming the alternatives that fail.
  func eachGroup(_ select: (CallProblem) -> Int?,
                 _ body: (CallAnalysis, [(target: Int, problem: CallProblem)]) -> Void) {
    for a in calls where !a.problems.isEmpty {
      var order: [Int] = []
      var groups: [Int: [(target: Int, problem: CallProblem)]] = [:]
      for (ti, problem) in a.problems {
        guard var key = select(problem) else { continue }
        if a.site.targets.count > 1 { key = 0 }
        if groups[key] == nil { order.append(key) }
        groups[key, default: []].append((ti, problem))
      }
      for key in order { body(a, groups[key]!) }
    }
  }

  /// `` (alternative 'B' of 'A | B')`` when the call reaches several alternatives and only some fail.
  func alternatives(_ a: CallAnalysis, failing targets: [Int]) -> String {
    guard a.site.targets.count > 1 || a.site.receiverIsUnion else { return "" }
    var seen = Set<Int>()
    let failing = targets.filter { seen.insert($0).inserted }.compactMap { a.site.targets[$0].receiver }
    // When every alternative fails the same way, naming them adds nothing.
    guard !failing.isEmpty, Set(targets).count < a.site.targets.count else { return "" }
    let all = a.site.targets.compactMap { $0.receiver }.map { str($0.name) }
    let list = failing.map { "'\(str($0.name))'" }.joined(separator: ", ")
    return failing.count == 1 ? " (alternative \(list) of '\(all.joined(separator: " | "))')"
                              : " (alternatives \(list) of '\(all.joined(separator: " | "))')"
  }

  func targetName(_ a: CallAnalysis, _ ti: Int) -> String { CallAnalysis.targetName(a.site.targets[ti], program) }

  /// `'A.forward' → 'B.forward' → 'FusedMoE.forward'`, folded in the middle when longer than six links.
  func chainText(_ f: FuncDecl, _ parameter: Int) -> String {
    var chain = facts.useChain(f, parameter)
    if chain.count > 6 { chain = Array(chain.prefix(3)) + ["…"] + Array(chain.suffix(2)) }
    return chain.map { $0 == "…" ? $0 : "'\($0)'" }.joined(separator: " → ")
  }

  /// `forwardMeta: ForwardMeta`
  func paramText(_ p: ParamInfo) -> String { "\(str(p.name)): \(describe(p.type))" }

  /// A note pointing at a parameter's declaration.
  func declaredHere(_ p: ParamInfo) -> Note { Note("'\(str(p.name))' declared here", at: p.declRange) }

  /// A fix of a call into a union is safe only when every alternative fails the same way and gets the same
  /// edit: passing a value one alternative lacks would break that alternative.
  func sameFixForEveryAlternative(_ a: CallAnalysis, _ failing: [Int], _ edit: (Int) -> TextEdit) -> Bool {
    guard Set(failing) == Set(a.site.targets.indices) else { return false }
    let first = edit(failing[0])
    return failing.allSatisfy { edit($0) == first }
  }
}
