import ModelDSL

/// A method calls something that needs a context it does not have: no value of that type is in scope (a
/// freshly built `C()` counts as none).
///
/// Flags `experts(x, gate)` in a `forward(x)` that takes no `ForwardMeta` when `FusedMoE.forward` requires
/// one. Fix: add the parameter to the method and thread it through every caller, up to the roots.
let unthreadedContextRule = Rule(
  id: "unthreaded-context", defaultSeverity: .error,
  summary: "a method calls something that needs a context it has no value of",
  doc: RuleDoc(
    whatItDoes: """
      Reports a call that leaves a needed context parameter unfilled (no default, or the callee uses it), or \
      fills it with a freshly built value, in a method that has no value of that context type in scope.
      """,
    whyItMatters: """
      The context cannot reach the layer that needs it: the method itself must take it and its callers must \
      pass it. This is the state of a code base before the refactoring that introduces the context.
      """,
    example: """
      layer Block(h: Int) {
        func forward(x: Tensor) -> Tensor { return experts(x, gate) }   // FusedMoE.forward needs forwardMeta
      }
      """,
    fix: """
      Add `forwardMeta: ForwardMeta` to the method and pass it at the call; `metalint fix` repeats this for \
      every caller, transitively, up to the methods nothing in the program calls.
      """),
  fixable: true,
  run: { pass in
    pass.eachGroup({ if case .unthreadedContext = $0 { return 0 }; return nil }) { a, group in
      guard case .unthreadedContext(let pi, let c, let fresh) = group[0].problem, let caller = a.site.caller else { return }
      let t = a.site.targets[group[0].target]
      let p = t.params[pi]
      let cname = pass.str(c.name)
      var message = "'\(pass.program.qualifiedName(caller))' calls '\(pass.targetName(a, group[0].target))', which "
        + "needs '\(pass.paramText(p))'"
      if let f = t.function, pass.facts.useChain(f, pi).count > 1 { message += " (\(pass.chainText(f, pi)))" }
      message += fresh != nil ? ", but passes a fresh '\(cname)'; no '\(cname)' is in scope"
                              : ", but has no '\(cname)' in scope"
      message += pass.alternatives(a, failing: group.map { $0.target })
      // The new parameter takes the callee's name unless the method already uses that name.
      let name = freshParameterName(preferred: pass.str(p.name), type: cname,
                                    taken: Set(caller.params.map { pass.str($0.name) }))
      var edits = [FixBuilder.addParameter(name, type: cname, to: caller)]
      var safe = !pass.program.isPrelude(caller.nameRange)
      if let fresh {
        edits.append(TextEdit(range: a.site.arguments[fresh].value.range, replacement: name))
        safe = safe && a.site.targets.count == 1
      } else {
        let (passEdits, passSafe) = pass.passContextEdits(a, failing: group.map { $0.target }, parameter: pi,
                                                          value: name, slid: nil)
        edits += passEdits
        safe = safe && passSafe
      }
      pass.report(at: a.site.calleeNameRange, message, notes: [pass.declaredHere(p)],
                  fixIts: [FixIt(message: "add '\(name): \(cname)' to '\(pass.program.qualifiedName(caller))' and pass it",
                                 edits: edits, safety: safe ? .safe : .unsafe)])
    }
  })

/// The callee's parameter name, else the context type in lowerCamelCase, else either with a number: never a
/// name the method already has.
func freshParameterName(preferred: String, type: String, taken: Set<String>) -> String {
  let camel = type.prefix(1).lowercased() + type.dropFirst()
  for candidate in [preferred, camel] where !taken.contains(candidate) { return candidate }
  var n = 2
  while taken.contains("\(preferred)\(n)") { n += 1 }
  return "\(preferred)\(n)"
}
