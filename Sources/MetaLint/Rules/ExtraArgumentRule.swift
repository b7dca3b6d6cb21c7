import ModelDSL

/// A call passes more positional arguments than the callee has parameters, or a label the callee lacks.
///
/// Flags `forward_split_allgather(x, gate, forwardMeta)` when its signature is `(x, gate)`. Fix: add the
/// context parameter to the callee when the argument is a context the callee's body then needs; otherwise
/// remove the argument.
let extraArgumentRule = Rule(
  id: "extra-argument", defaultSeverity: .error,
  summary: "a call passes an argument the callee's signature lacks",
  doc: RuleDoc(
    whatItDoes: "Reports a positional argument beyond the callee's parameters, or a label no parameter has.",
    whyItMatters: """
      The call fails when it runs. When the argument is a context, the callee's signature was never updated, \
      and whatever it calls goes without the context.
      """,
    example: """
      func forward_split_allgather(x: Tensor, gate: Linear) -> Tensor { … }
      forward_split_allgather(x, gate, forwardMeta)   // extra argument 'forwardMeta'
      """,
    fix: """
      When the argument is a context the callee needs (it calls something that needs one), add the parameter \
      to the callee; otherwise remove the argument (unsafe: the caller may have meant another callee).
      """),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .extraArgument(let ai) = $0 { return ai }; return nil }) { a, group in
      guard case .extraArgument(let ai) = group[0].problem else { return }
      let arg = a.site.arguments[ai]
      let t = a.site.targets[group[0].target]
      let what = arg.label.map { "'\(pass.str($0))'" } ?? (isSimpleName(arg.value) ? "'\(pass.text(arg.value.range))'" : "")
      var message = "extra argument \(what.isEmpty ? "" : what + " ")in call to '\(pass.targetName(a, group[0].target))'"
      message += pass.alternatives(a, failing: group.map { $0.target })
      var notes: [Note] = []
      if let f = t.function { notes.append(Note("'\(pass.program.qualifiedName(f))' declared here", at: f.nameRange)) }
      // Add the parameter when the argument is a context the callee's body then needs; else remove it.
      var fixIts: [FixIt] = []
      if let c = arg.value.type.contextDecl, group.count == 1, case .method(let f) = t.kind,
         !pass.program.isPrelude(f.nameRange), pass.needsContext(f, c) {
        let name = arg.label.map { pass.str($0) } ?? (isSimpleName(arg.value) ? pass.text(arg.value.range) : "forwardMeta")
        if !f.params.contains(where: { pass.str($0.name) == name }) {
          fixIts.append(FixIt(message: "add '\(name): \(pass.str(c.name))' to '\(pass.program.qualifiedName(f))'",
                              edits: [FixBuilder.addParameter(name, type: pass.str(c.name), to: f)], safety: .safe))
        }
      }
      if fixIts.isEmpty {
        // The call cannot run as written; dropping the argument the callee does not take is what it can mean.
        fixIts.append(FixIt(message: "remove the argument", edits: [FixBuilder.removeArgument(ai, site: a.site)],
                            safety: a.site.targets.count == 1 ? .safe : .unsafe))
      }
      pass.report(at: arg.range, message, notes: notes, fixIts: fixIts)
    }
  })

func isSimpleName(_ e: Expr) -> Bool {
  if case .name = e.kind { return true }
  return false
}

extension Pass {
  /// Whether `f`'s body calls something that needs a context `c` it cannot pass (an unthreaded call).
  func needsContext(_ f: FuncDecl, _ c: RecordDecl) -> Bool {
    calls.contains { a in
      a.site.caller === f && a.problems.contains {
        if case .unthreadedContext(_, let cc, _) = $0.problem { return cc === c }
        return false
      }
    }
  }
}
