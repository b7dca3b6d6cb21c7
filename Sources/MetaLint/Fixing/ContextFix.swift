import MetaCore

extension Pass {
  /// Where a value for parameter `pi` of target `t` goes at call `a`: positionally when every earlier
  /// parameter is filled positionally (so nothing can misbind) and the language does not prefer keywords,
  /// else by keyword, placed to keep declaration order (after the keyword argument of the latest earlier
  /// parameter, else after the positional arguments).
  func placement(_ a: CallAnalysis, _ t: ModelTarget, parameter pi: Int, slidArgument: Int?,
                 forceKeyword: Bool) -> ArgumentPlacement {
    if let slid = slidArgument { return .positionalBefore(slid) }
    let args = model.arguments(of: a.call)
    if model.passesContextsByKeyword {
      // After the last positional or keyword argument, before any spread.
      let last = args.indices.last { args[$0].kind == .positional || args[$0].kind == .keyword }
      return .keyword(after: last.map { $0 - args.startIndex })
    }
    let positional = args.prefix { $0.kind == .positional }.count
    let earlierPositional = !forceKeyword && positional == pi && (0..<pi).allSatisfy { model.bound(t, $0) == $0 }
    if earlierPositional { return .positional(after: positional == 0 ? nil : positional - 1) }
    for q in stride(from: pi - 1, through: 0, by: -1) {
      if let ai = model.bound(t, q), argument(a, ai).kind == .keyword { return .keyword(after: ai) }
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
                    placement: placement(a, target, parameter: pi, slidArgument: slid, forceKeyword: force))
    }
    let pass = intent(t)
    var intents = [pass]
    for (_, f) in lacking { intents.append(.addParameter(function: f, name: str(name), context: c)) }
    let identical = failing.allSatisfy { intent(target(a, $0)) == pass }
    return (intents, !unfixable && sameName && identical)
  }
}
