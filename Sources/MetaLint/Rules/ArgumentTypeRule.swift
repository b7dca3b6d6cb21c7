import MetaCore

/// An argument's type does not fit the parameter it binds to, including a positional argument that binds to
/// the wrong parameter after a signature changed.
let argumentTypeRule = Rule(
  id: "argument-type", defaultSeverity: .error,
  summary: "an argument's type does not fit the parameter it binds to",
  doc: RuleDoc(
    whatItDoes: "Reports an argument whose type does not fit its parameter (spec §6: `T?` fits `T`, `Int` fits `Float`).",
    whyItMatters: """
      After a signature grows, positional arguments can bind to the wrong parameter; the call then passes a \
      value where another was meant.
      """,
    example: """
      extern func k(x: Tensor, scale: Float) -> Tensor
      k(x, nil)   // 'nil' does not fit 'scale: Float'
      """,
    fix: "Pass a value of the parameter's type, or label the argument so that it binds where it was meant."),
  fixable: false,
  run: { pass in
    pass.eachGroup({ if case .argumentType(let ai, _) = $0 { return ai }; return nil }) { a, group in
      guard case .argumentType(let ai, let pi) = group[0].problem else { return }
      let t = pass.target(a, group[0].target)
      let arg = pass.argument(a, ai)
      let p = pass.param(t, pi)
      let message = "cannot convert value of type '\(pass.model.typeText(arg.typeText))' to expected argument type "
        + "'\(pass.model.typeText(p.typeText))' of parameter '\(pass.str(p.name))' in call to "
        + "'\(pass.targetName(a, group[0].target))'" + pass.alternatives(a, failing: group.map { $0.target })
      pass.report(at: arg.range, message, notes: [pass.declaredHere(p)])
    }
  })
