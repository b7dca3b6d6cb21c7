import MetaCore

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
      guard case .unthreadedContext(let pi, let c, let fresh) = group[0].problem,
            let caller = pass.site(a).caller else { return }
      let t = pass.target(a, group[0].target)
      let p = pass.param(t, pi)
      let cname = pass.contextName(c)
      let callerName = pass.function(caller).displayName
      var message = "'\(callerName)' calls '\(pass.targetName(a, group[0].target))', which needs '\(pass.paramText(p))'"
      if pass.function(t.function).isCallable, pass.facts.useChain(t.function, pi).count > 1 {
        message += " (\(pass.chainText(t.function, pi)))"
      }
      message += fresh != nil ? ", but passes a fresh '\(cname)'; no '\(cname)' is in scope"
                              : ", but has no '\(cname)' in scope"
      message += pass.alternatives(a, failing: group.map { $0.target })
      // The new parameter takes the callee's name unless the method already uses that name.
      let name = freshParameterName(preferred: pass.str(p.name), type: cname,
                                    taken: Set(pass.model.parameters(of: caller).map { pass.str($0.name) }))
      var intents: [FixIntent] = [.addParameter(function: caller, name: name, context: c)]
      var safe = pass.model.isEditable(pass.function(caller).nameRange)
      if let fresh {
        intents.append(.replaceArgument(call: a.call, argument: fresh, text: name))
        safe = safe && pass.site(a).targets.count == 1
      } else {
        let (passIntents, passSafe) = pass.passContextIntents(a, failing: group.map { $0.target }, parameter: pi,
                                                              value: name, slid: nil)
        intents += passIntents
        safe = safe && passSafe
      }
      intents += pass.threadingIntents(from: caller, name: name, context: c)
      pass.report(at: pass.site(a).calleeNameRange, message, notes: [pass.declaredHere(p)],
                  fixIts: [FixIt(message: "add '\(name): \(cname)' to '\(callerName)' and pass it",
                                 intents: intents, safety: safe ? .safe : .unsafe)])
    }
  })

/// The callee's parameter name, else the context type in lowerCamelCase, else either with a number: never a
/// name the method already has.
func freshParameterName(preferred: String, type: String, taken: Set<String>) -> String {
  for candidate in [preferred, lowerCamelCase(type)] where !taken.contains(candidate) { return candidate }
  var n = 2
  while taken.contains("\(preferred)\(n)") { n += 1 }
  return "\(preferred)\(n)"
}
