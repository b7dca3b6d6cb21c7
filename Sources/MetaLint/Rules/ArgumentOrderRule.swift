import MetaCore

/// Labelled arguments out of declaration order.
///
/// Python accepts keywords in any order; the Swift we generate, and a reader, do not. Fix: reorder them.
let argumentOrderRule = Rule(
  id: "argument-order", defaultSeverity: .warning,
  summary: "labelled arguments are out of declaration order",
  doc: RuleDoc(
    whatItDoes: "Reports a labelled argument that comes before the labelled argument of an earlier parameter.",
    whyItMatters: """
      Out-of-order labels read as a different signature and break when the call is ported to Swift, where \
      labels must follow declaration order; the real review flagged exactly this.
      """,
    example: """
      extern func k(x: Tensor, n: Int = 2, m: M? = nil) -> Tensor
      k(x, m: m, n: 3)   // 'n' must precede 'm'
      """,
    fix: "Reorder the labelled arguments into declaration order. Safe: arguments have no side effects."),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .argumentOrder(let ai) = $0 { return ai }; return nil }) { a, group in
      guard case .argumentOrder(let ai) = group[0].problem else { return }
      let t = pass.target(a, group[0].target)
      let n = Int(pass.function(t.function).parameters.count)
      guard let pi = (0..<n).first(where: { pass.model.bound(t, $0) == ai }),
            let label = pass.argument(a, ai).label else { return }
      func paramOf(_ j: Int) -> Int { (0..<n).first { pass.model.bound(t, $0) == j } ?? -1 }
      // The first labelled argument it should precede.
      let later = (0..<ai).first { j in pass.argument(a, j).kind == .keyword && paramOf(j) > pi }
      var message = "argument '\(pass.str(label))' must precede"
      if let later, let other = pass.argument(a, later).label { message += " argument '\(pass.str(other))'" }
      message += " in call to '\(pass.targetName(a, group[0].target))'" + pass.alternatives(a, failing: group.map { $0.target })
      let intent = pass.reorderIntent(a, t)
      // Into a union: safe when every alternative is out of order the same way (one rewrite fits all).
      let failing = Set(group.map { $0.target })
      let safe = failing.count == Int(pass.site(a).targets.count) && failing.allSatisfy {
        pass.reorderIntent(a, pass.target(a, $0)) == intent
      }
      pass.report(at: pass.argument(a, ai).range, message, notes: [pass.declaredHere(pass.param(t, pi))],
                  fixIts: intent.map { [FixIt(message: "reorder the labelled arguments", intents: [$0],
                                              safety: safe ? .safe : .unsafe)] } ?? [])
    }
  })

extension Pass {
  /// Moves the keyword arguments of a call into declaration order, slot by slot; nil when nothing moves.
  func reorderIntent(_ a: CallAnalysis, _ t: ModelTarget) -> FixIntent? {
    let args = model.arguments(of: a.call)
    var paramOf = [Int?](repeating: nil, count: args.count)
    for pi in 0..<Int(function(t.function).parameters.count) { if let ai = model.bound(t, pi) { paramOf[ai] = pi } }
    let slots = (0..<args.count).filter { argument(a, $0).kind == .keyword && paramOf[$0] != nil }
    let sorted = slots.sorted { paramOf[$0]! < paramOf[$1]! }
    var from: [Int] = []
    var to: [Int] = []
    for (slot, source) in zip(slots, sorted) where slot != source {
      to.append(slot)
      from.append(source)
    }
    return to.isEmpty ? nil : .moveArguments(call: a.call, slots: to, sources: from)
  }
}
