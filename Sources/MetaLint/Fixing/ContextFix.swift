import ModelDSL

extension Pass {
  /// The edits that pass a context value at a call, for `dropped-context`, `dropped-unused-context` and
  /// `unthreaded-context`.
  ///
  /// For a call into a union whose other alternatives have no parameter of that context type (a dense MLP
  /// beside a MoE block), passing the value alone would break them; so those alternatives' methods get the
  /// parameter too, as the real refactoring gave every MLP `forward_meta`. The value is passed positionally
  /// only when it binds to the same new parameter in every alternative, else by label.
  ///
  /// Safe when every alternative either fails the same way (same edit) or lacks the parameter and is the
  /// program's own method.
  func passContextEdits(_ a: CallAnalysis, failing: [Int], parameter pi: Int, value: String, slid: Int?)
    -> (edits: [TextEdit], safe: Bool) {
    let t = a.site.targets[failing[0]]
    guard let c = t.params[pi].type.contextDecl else { return ([], false) }
    let failingSet = Set(failing)
    var lacking: [(CallTarget, FuncDecl)] = []
    var unfixable = false
    for (ti, other) in a.site.targets.enumerated() where !failingSet.contains(ti) {
      if other.params.contains(where: { $0.type.contextDecl === c }) {
        unfixable = true  // it has the parameter (filled some other way): leave the call to a human
        continue
      }
      guard case .method(let f) = other.kind, !program.isPrelude(f.nameRange) else {
        unfixable = true
        continue
      }
      if !lacking.contains(where: { $0.1 === f }) { lacking.append((other, f)) }
    }
    let name = str(t.params[pi].name)
    let sameName = failing.allSatisfy { a.site.targets[$0].params.indices.contains(pi) && str(a.site.targets[$0].params[pi].name) == name }
    let positional = a.site.arguments.prefix { $0.label == nil }.count
    let positionalEverywhere = lacking.allSatisfy { other, _ in
      other.params.count == positional && (0..<positional).allSatisfy { other.binding[$0] == $0 }
    }
    let pass = FixBuilder.passValue(value, site: a.site, target: t, parameter: pi, slidArgument: slid, names: names,
                                    forceLabelled: !lacking.isEmpty && !positionalEverywhere)
    var edits = [pass]
    for (_, f) in lacking { edits.append(FixBuilder.addParameter(name, type: str(c.name), to: f)) }
    let identical = failing.allSatisfy { ti in
      FixBuilder.passValue(value, site: a.site, target: a.site.targets[ti], parameter: pi, slidArgument: slid,
                           names: names, forceLabelled: !lacking.isEmpty && !positionalEverywhere) == pass
    }
    return (edits, !unfixable && sameName && identical)
  }
}
