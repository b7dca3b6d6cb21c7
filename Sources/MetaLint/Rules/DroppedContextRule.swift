import MetaCore

/// A call leaves a context parameter unfilled while the caller has a value of that type in scope, and the
/// parameter has no default or the callee uses it.
///
/// Flags `shared_experts(x)` inside a method that has `forwardMeta`, when `Qwen3MLP.forward` takes
/// `forwardMeta: ForwardMeta`; also a call whose arguments slid over the missing context (`layer(h)` for
/// `forward(forwardMeta, hidden_states)`). Fix: pass the value in scope.
let droppedContextRule = Rule(
  id: "dropped-context", defaultSeverity: .error,
  summary: "a call drops a context parameter that the caller has in scope",
  doc: RuleDoc(
    whatItDoes: """
      Reports a call that leaves a context parameter (a parameter whose type is a `context`, such as \
      `ForwardMeta`) unfilled while the calling method has a value of that type in scope, when the parameter \
      has no default or the callee uses it. Also reports arguments that slid over the missing context.
      """,
    whyItMatters: """
      The callee then runs without the per-step state: a missing required context fails at run time on a rare \
      path, and a defaulted one (`forwardMeta: ForwardMeta? = nil`) silently takes another code path. Arity \
      checkers miss the defaulted case entirely.
      """,
    example: """
      func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
        return experts(x, gate, forwardMeta) + shared_experts(x)   // drops forwardMeta
      }
      """,
    fix: "Pass the value in scope: `shared_experts(x, forwardMeta)`. Safe when exactly one value fits."),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .droppedContext(_, _, _, _, true) = $0 { return 0 }; return nil }) { a, group in
      guard case .droppedContext(let pi, let value, let ambiguous, let slid, _) = group[0].problem else { return }
      let t = pass.target(a, group[0].target)
      let p = pass.param(t, pi)
      let valueName = pass.str(value.name)
      var message = "call to '\(pass.targetName(a, group[0].target))' drops '\(pass.paramText(p))'"
      if pass.function(t.function).isCallable, pass.facts.uses(t.function, pi) {
        let chain = pass.facts.useChain(t.function, pi)
        if chain.count > 1 {
          message += ", which it uses (\(pass.chainText(t.function, pi)))"
        } else if p.hasDefault {
          message += ", which it uses"
        }
      }
      if slid != nil {
        message += "; the arguments after it slid into its place"
      }
      message += "; pass the '\(valueName)' in scope"
      message += pass.alternatives(a, failing: group.map { $0.target })
      let (intents, safe) = pass.passContextIntents(a, failing: group.map { $0.target }, parameter: pi, value: valueName,
                                                slid: slid)
      pass.report(at: pass.site(a).calleeNameRange, message, notes: [pass.declaredHere(p)],
                  fixIts: [FixIt(message: "pass '\(valueName)'", intents: intents, safety: safe && !ambiguous ? .safe : .unsafe)])
    }
  })
