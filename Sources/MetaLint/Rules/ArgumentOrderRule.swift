import ModelDSL

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
      let t = a.site.targets[group[0].target]
      guard let pi = t.binding.firstIndex(where: { $0 == ai }), let label = a.site.arguments[ai].label else { return }
      // The first labelled argument it should precede.
      let later = a.site.arguments.indices.first { j in
        j < ai && a.site.arguments[j].label != nil && (t.binding.firstIndex(where: { $0 == j }) ?? -1) > pi
      }
      var message = "argument '\(pass.str(label))' must precede"
      if let later, let other = a.site.arguments[later].label { message += " argument '\(pass.str(other))'" }
      message += " in call to '\(pass.targetName(a, group[0].target))'" + pass.alternatives(a, failing: group.map { $0.target })
      let edits = FixBuilder.reorder(site: a.site, target: t, sources: pass.program.sources)
      // Into a union: safe when every alternative is out of order the same way (one rewrite fits all).
      let failing = Set(group.map { $0.target })
      let safe = failing == Set(a.site.targets.indices) && failing.allSatisfy {
        FixBuilder.reorder(site: a.site, target: a.site.targets[$0], sources: pass.program.sources) == edits
      }
      pass.report(at: a.site.arguments[ai].range, message, notes: [pass.declaredHere(t.params[pi])],
                  fixIts: edits.isEmpty ? [] : [FixIt(message: "reorder the labelled arguments", edits: edits,
                                                      safety: safe ? .safe : .unsafe)])
    }
  })
