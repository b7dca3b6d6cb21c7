import MetaCore

/// A call passes a newly built or unrelated context (`ForwardMeta()`, a field, a layer parameter, something
/// rooted at `self`) while the method's own context parameter of that type is in scope.
let freshContextRule = Rule(
  id: "fresh-context", defaultSeverity: .warning,
  summary: "a call passes a fresh or unrelated context instead of the one in scope",
  doc: RuleDoc(
    whatItDoes: """
      Reports a context argument that is built on the spot or comes from a field, a layer parameter or \
      `self`, in a method that has its own parameter of that context type.
      """,
    whyItMatters: """
      The callee then sees default or stale per-step state (the wrong MoE phase, chunk counts of another \
      step): the real code once wrote the MoE phase to the wrong object for three months.
      """,
    example: """
      func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
        return experts(x, gate, ForwardMeta())   // fresh context
      }
      """,
    fix: "Pass the method's own parameter (unsafe: the fresh value may have been deliberate)."),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .freshContext(let ai, _, _) = $0 { return ai }; return nil }) { a, group in
      guard case .freshContext(let ai, let pi, let own) = group[0].problem else { return }
      let arg = pass.argument(a, ai)
      let p = pass.param(pass.target(a, group[0].target), pi)
      let ownName = pass.str(own.name)
      let what: String
      switch arg.shape {
      case .field: what = "field '\(pass.text(arg.valueRange))'"
      case .layerParameter: what = "layer parameter '\(pass.text(arg.valueRange))'"
      case .call: what = "a fresh '\(pass.model.typeText(arg.nonNilTypeText))'"
      case .other: what = "'\(pass.text(arg.valueRange))'"
      }
      let message = "call to '\(pass.targetName(a, group[0].target))' passes \(what) for '\(pass.paramText(p))' "
        + "instead of the '\(ownName)' in scope" + pass.alternatives(a, failing: group.map { $0.target })
      pass.report(at: arg.range, message, notes: [Note("'\(ownName)' declared here", at: own.declRange)],
                  fixIts: [FixIt(message: "pass '\(ownName)'",
                                 intents: [.replaceArgument(call: a.call, argument: ai, text: ownName)],
                                 safety: .unsafe)])
    }
  })
