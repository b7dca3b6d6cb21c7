import MetaCore

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
      let arg = pass.argument(a, ai)
      let t = pass.target(a, group[0].target)
      let callee = pass.function(t.function)
      let what = arg.label.map { "'\(pass.str($0))'" } ?? (arg.isSimpleName ? "'\(pass.text(arg.valueRange))'" : "")
      var message = "extra argument \(what.isEmpty ? "" : what + " ")in call to '\(pass.targetName(a, group[0].target))'"
      message += pass.alternatives(a, failing: group.map { $0.target })
      var notes: [Note] = []
      if callee.isCallable { notes.append(Note("'\(callee.displayName)' declared here", at: callee.nameRange)) }
      // Add the parameter when the argument is a context the callee's body then needs; else remove it.
      var fixIts: [FixIt] = []
      if let c = arg.context, group.count == 1, callee.kind == .method, pass.model.isEditable(callee.nameRange),
         pass.needsContext(t.function, c) {
        let name = arg.label.map { pass.str($0) }
          ?? (arg.isSimpleName ? pass.text(arg.valueRange) : lowerCamelCase(pass.contextName(c)))
        if !pass.model.parameters(of: t.function).contains(where: { pass.str($0.name) == name }) {
          fixIts.append(FixIt(message: "add '\(name): \(pass.contextName(c))' to '\(callee.displayName)'",
                              intents: [.addParameter(function: t.function, name: name, context: c)], safety: .safe))
        }
      }
      if fixIts.isEmpty {
        // The call cannot run as written; dropping the argument the callee does not take is what it can mean.
        fixIts.append(FixIt(message: "remove the argument", intents: [.removeArgument(call: a.call, argument: ai)],
                            safety: pass.site(a).targets.count == 1 ? .safe : .unsafe))
      }
      pass.report(at: arg.range, message, notes: notes, fixIts: fixIts)
    }
  })

/// `ForwardMeta` → `forwardMeta`.
func lowerCamelCase(_ type: String) -> String { type.prefix(1).lowercased() + type.dropFirst() }
