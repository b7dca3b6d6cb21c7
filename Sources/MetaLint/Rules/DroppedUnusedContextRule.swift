import MetaCore

/// A call leaves a defaulted context parameter unfilled while the caller has a value in scope, and the
/// callee never uses it.
///
/// Flags `shared_experts(x)` when `DeepSeekV3MLP.forward(x, forwardMeta: ForwardMeta? = nil)` ignores the
/// parameter: harmless today, wrong as soon as the callee starts reading it. Fix: pass the value in scope.
let droppedUnusedContextRule = Rule(
  id: "dropped-unused-context", defaultSeverity: .warning,
  summary: "a call drops a defaulted context parameter the callee does not use (yet)",
  doc: RuleDoc(
    whatItDoes: """
      Reports a call that leaves a context parameter with a default unfilled, while the caller has a value \
      of that type in scope and the callee never uses the parameter.
      """,
    whyItMatters: """
      Nothing breaks today, but the day the callee starts reading the context, every such call silently \
      passes the default instead. This is the review finding that stayed in the real code for months.
      """,
    example: """
      layer MLP(h: Int) { func forward(x: Tensor, forwardMeta: ForwardMeta? = nil) -> Tensor { return x } }
      // in a method with forwardMeta in scope:
      let y = shared_experts(x)   // warning: drops the unused 'forwardMeta'
      """,
    fix: "Pass the value in scope. Safe: the callee ignores it today."),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .droppedContext(_, _, _, _, false) = $0 { return 0 }; return nil }) { a, group in
      guard case .droppedContext(let pi, let value, let ambiguous, let slid, _) = group[0].problem else { return }
      let t = pass.target(a, group[0].target)
      let p = pass.param(t, pi)
      let valueName = pass.str(value.name)
      let message = "call to '\(pass.targetName(a, group[0].target))' drops '\(pass.paramText(p))'; unused "
        + "by the callee today, but pass the '\(valueName)' in scope" + pass.alternatives(a, failing: group.map { $0.target })
      let (intents, safe) = pass.passContextIntents(a, failing: group.map { $0.target }, parameter: pi, value: valueName,
                                                slid: slid)
      pass.report(at: pass.site(a).calleeNameRange, message, notes: [pass.declaredHere(p)],
                  fixIts: [FixIt(message: "pass '\(valueName)'", intents: intents, safety: safe && !ambiguous ? .safe : .unsafe)])
    }
  })
