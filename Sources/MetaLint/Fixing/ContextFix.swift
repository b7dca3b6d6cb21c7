import MetaCore

extension Pass {
  /// Where a value for parameter `pi` of target `t` goes at call `a`: positionally when every earlier
  /// parameter is filled positionally (so nothing can misbind) and the language does not prefer keywords,
  /// else by keyword, placed to keep declaration order (after the keyword argument of the latest earlier
  /// parameter, else after the positional arguments).
  func placement(_ call: CallID, _ t: ModelTarget, parameter pi: Int, slidArgument: Int?,
                 forceKeyword: Bool) -> ArgumentPlacement {
    if let slid = slidArgument { return .positionalBefore(slid) }
    let args = model.arguments(of: call)
    if model.passesContextsByKeyword {
      // After the last positional or keyword argument, before any spread.
      let last = args.indices.last { args[$0].kind == .positional || args[$0].kind == .keyword }
      return .keyword(after: last.map { $0 - args.startIndex })
    }
    let positional = args.prefix { $0.kind == .positional }.count
    let earlierPositional = !forceKeyword && positional == pi && (0..<pi).allSatisfy { model.bound(t, $0) == $0 }
    if earlierPositional { return .positional(after: positional == 0 ? nil : positional - 1) }
    for q in stride(from: pi - 1, through: 0, by: -1) {
      if let ai = model.bound(t, q), model.argument(call, ai).kind == .keyword { return .keyword(after: ai) }
    }
    return .keyword(after: positional > 0 ? positional - 1 : nil)
  }

  /// The intents that pass a context value at a call, for `dropped-context`, `dropped-unused-context` and
  /// `unthreaded-context`.
  ///
  /// For a call into a union whose other alternatives have no parameter of that context type (a dense MLP
  /// beside a MoE block), passing the value alone would break them; so those alternatives' methods get the
  /// parameter too, as the real refactoring gave every MLP `forward_meta`. The value is passed positionally
  /// only when it binds to the same new parameter in every alternative, else by keyword.
  ///
  /// Safe when every alternative either fails the same way (same intent) or lacks the parameter and is the
  /// program's own method.
  func passContextIntents(_ a: CallAnalysis, failing: [Int], parameter pi: Int, value: String, slid: Int?)
    -> (intents: [FixIntent], safe: Bool) {
    let t = target(a, failing[0])
    guard let c = param(t, pi).context else { return ([], false) }
    let failingSet = Set(failing)
    var lacking: [(ModelTarget, FunctionID)] = []
    var unfixable = false
    for (ti, other) in model.targets(of: a.call).enumerated() where !failingSet.contains(ti) {
      if model.parameters(of: other.function).contains(where: { $0.context == c }) {
        unfixable = true  // it has the parameter (filled some other way): leave the call to a human
        continue
      }
      let f = function(other.function)
      guard f.kind == .method, model.isEditable(f.nameRange) else {
        unfixable = true
        continue
      }
      if !lacking.contains(where: { $0.1 == other.function }) { lacking.append((other, other.function)) }
    }
    let name = param(t, pi).name
    let sameName = failing.allSatisfy {
      let ft = target(a, $0)
      return pi < Int(function(ft.function).parameters.count) && param(ft, pi).name == name
    }
    let positional = model.arguments(of: a.call).prefix { $0.kind == .positional }.count
    let positionalEverywhere = lacking.allSatisfy { other, f in
      Int(function(f).parameters.count) == positional && (0..<positional).allSatisfy { model.bound(other, $0) == $0 }
    }
    let force = !lacking.isEmpty && !positionalEverywhere
    func intent(_ target: ModelTarget) -> FixIntent {
      .passArgument(call: a.call, value: value, parameter: name,
                    placement: placement(a.call, target, parameter: pi, slidArgument: slid, forceKeyword: force))
    }
    let pass = intent(t)
    var intents = [pass]
    for (_, f) in lacking { intents.append(.addParameter(function: f, name: str(name), context: c)) }
    let identical = failing.allSatisfy { intent(target(a, $0)) == pass }
    return (intents, !unfixable && sameName && identical)
  }
}

extension Pass {
  /// The rest of threading context `c` once `function` takes it as a new last parameter `name`: at every
  /// call into it, pass the caller's value of `c` in scope, or give the caller the parameter too and go on
  /// to its callers, up to the roots (functions nothing in the program calls). A call into a union gives the
  /// other alternatives the parameter as well (as `dropped-context`'s fix does). One fix then does what would
  /// otherwise take a round per level of the call graph. A call the closure cannot settle for sure (arguments
  /// that do not bind, several values in scope, an alternative that is not the program's own method, a call
  /// from outside any function) is left as it is: the next round reports and fixes it.
  func threadingIntents(from function: FunctionID, name: String, context c: ContextID) -> [FixIntent] {
    var intents: [FixIntent] = []
    var given: [FunctionID: String] = [function: name]
    var pending: [FunctionID] = [function]
    var settled = Set<CallID>()
    while let f = pending.popLast() {
      let fName = given[f]!
      for edge in facts.graph.callers(of: f) where settled.insert(edge.call).inserted {
        guard let g = model.calls[edge.call.index].caller else { continue }
        let targets = Array(model.targets(of: edge.call))
        guard targets.allSatisfy({ model.issues(of: $0).isEmpty }), model.arguments(of: edge.call).allSatisfy({
          $0.kind == .positional || $0.kind == .keyword
        }) else { continue }
        // The other alternatives: already threaded under the same name, or the program's methods to thread.
        var lacking: [FunctionID] = []
        var fits = true
        for alt in targets.map(\.function) where alt != f && !lacking.contains(alt) {
          if let other = given[alt] {
            fits = fits && other == fName
            continue
          }
          let m = self.function(alt)
          guard m.kind == .method, model.isEditable(m.nameRange),
                !model.parameters(of: alt).contains(where: { $0.context == c }) else {
            fits = false
            break
          }
          lacking.append(alt)
        }
        guard fits else { continue }
        // One placement that binds the new last parameter in every alternative.
        func placements(_ force: Bool) -> [ArgumentPlacement] {
          targets.map { placement(edge.call, $0, parameter: Int(self.function($0.function).parameters.count),
                                  slidArgument: nil, forceKeyword: force) }
        }
        var candidates = placements(false)
        if Set(candidates).count > 1 { candidates = placements(true) }
        guard let where_ = candidates.first, Set(candidates).count == 1 else { continue }
        let value: String
        if let known = given[g] {
          value = known
        } else if let (v, ambiguous) = CallAnalysis.scopeValue(model, edge.call, c) {
          guard !ambiguous else { continue }
          value = str(v.name)
        } else {
          let caller = self.function(g)
          guard caller.kind == .method, model.isEditable(caller.nameRange),
                !model.parameters(of: g).contains(where: { $0.context == c }) else { continue }
          value = freshParameterName(preferred: fName, type: contextName(c),
                                     taken: Set(model.parameters(of: g).map { str($0.name) }))
          given[g] = value
          pending.append(g)
          intents.append(.addParameter(function: g, name: value, context: c))
        }
        for alt in lacking {
          given[alt] = fName
          pending.append(alt)
          intents.append(.addParameter(function: alt, name: fName, context: c))
        }
        intents.append(.passArgument(call: edge.call, value: value, parameter: model.names.intern(fName),
                                     placement: where_))
      }
    }
    return intents
  }
}
