import MetaCore

/// Every syntax, name, binding and type error of the program: a name, member, method or chain that does not
/// resolve, a missing non-context argument, a parameter filled twice, a wrong return type, invalid bytes.
let unresolvedRule = Rule(
  id: "unresolved", defaultSeverity: .error,
  summary: "a syntax, name, binding or type error",
  doc: RuleDoc(
    whatItDoes: """
      Reports what the ModelDSL front end rejects: syntax errors (with recovery, so every one is listed), names \
      and chains that do not resolve, missing arguments that are not contexts, parameters filled twice, \
      positional arguments after labelled ones, type errors, wrong return types, invalid UTF-8 and NUL bytes.
      """,
    whyItMatters: """
      A program with such an error cannot be run or compiled, and the context rules cannot see through the \
      broken part: a stale chain such as `ernie.layers[i].mlp.fused_moe(…)` hides whatever it should reach.
      """,
    example: """
      let y = ernie.layers[i].mlp.fused_moe(x)   // value of type 'Ernie4_5_MoE' has no member 'fused_moe'
      """,
    fix: "Correct the program; the message says what was expected."),
  fixable: false,
  run: { pass in
    for d in pass.model.diagnostics { pass.report(at: d.range, d.message, notes: d.notes) }
    pass.eachGroup({ if case .unresolved = $0 { return 0 }; return nil }) { a, group in
      var seen = Set<String>()
      for (_, problem) in group {
        guard case .unresolved(let message, let range) = problem, seen.insert(message).inserted else { continue }
        pass.report(at: range, message + pass.alternatives(a, failing: []))
      }
    }
  })
