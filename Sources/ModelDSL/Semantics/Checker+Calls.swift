/// Calls: what the callee reaches (per alternative of a union), and how the arguments bind (spec §6).
extension Checker {
  mutating func checkCall(_ e: Expr) -> Ty {
    guard case .call(let callee, let args, let open, let close) = e.kind else { return .error }
    let argTypes = args.map { typeOf($0.value) }
    let inner = stripParens(callee)
    let nameRange: SourceRange
    switch inner.kind {
    case .name: nameRange = inner.range
    case .member(_, _, let r): nameRange = r
    default: nameRange = callee.range
    }
    let site = CallSite(expr: e, caller: currentMethod, callerLayer: currentLayer, calleeNameRange: nameRange,
                        calleeRange: callee.range, file: program.sources.files[Int(callee.range.file)],
                        arguments: args, openParen: open, closeParen: close)
    e.callSite = site
    var rawTargets: [(CallTargetKind, LayerDecl?)] = []
    var resolved = true

    switch inner.kind {
    case .name(let n):
      if let v = lookupLocal(n) {
        inner.symbol = .local(v)
        inner.type = lookupNarrowing(localKey(v)) ?? v.type
        resolved = valueTargets(inner.type, at: nameRange, into: &rawTargets, site: site)
      } else if let l = currentLayer, let f = visibleField(n, in: l) {
        inner.symbol = .field(f, l)
        inner.type = lookupNarrowing(.chain("self." + str(n))) ?? fieldType(f, of: l, at: nameRange)
        resolved = valueTargets(inner.type, at: nameRange, into: &rawTargets, site: site)
      } else if let l = currentLayer, let i = l.params.firstIndex(where: { $0.name == n }) {
        inner.symbol = .layerParam(l, i)
        inner.type = i < l.paramTypes.count ? l.paramTypes[i] : .error
        resolved = valueTargets(inner.type, at: nameRange, into: &rawTargets, site: site)
      } else if let l = currentLayer, currentMethod != nil, let m = l.methodsByName[n] {
        inner.symbol = .method(m)
        rawTargets.append((.method(m), l))
      } else if let d = lookupGlobal(n) {
        inner.symbol = .global(d)
        switch d {
        case .layer(let l): rawTargets.append((.construct(l), nil))
        case .record(let r): rawTargets.append((.record(r), nil))
        case .extern(let f): rawTargets.append((.extern(f), nil))
        case .model:
          error(nameRange, "model '\(str(n))' cannot be called")
          resolved = false
        }
      } else {
        if let l = currentLayer, fieldLimit != nil, let f = l.fieldsByName[n] {
          error(nameRange, "field '\(str(n))' is not available yet: fields are built in order",
                notes: [Note("'\(str(n))' declared here", at: f.nameRange)])
        } else {
          error(nameRange, "cannot find '\(str(n))' in scope")
        }
        resolved = false
      }
    case .member(let base, let n, let r):
      let bt = typeOf(base)
      if bt == .error {
        resolved = false
        break
      }
      var missing: [String] = []
      let alternatives = bt.alternatives.filter { $0 != .nilType }
      site.receiverIsUnion = bt.alternatives.count > 1
      var fieldTypes: [Ty] = []
      for alt in alternatives {
        guard case .layer(let l) = alt else {
          missing.append(describe(alt))
          continue
        }
        if let m = l.methodsByName[n] {
          inner.symbol = .method(m)
          rawTargets.append((.method(m), l))
        } else if let f = l.fieldsByName[n] {
          inner.symbol = .field(f, l)
          fieldTypes.append(fieldType(f, of: l, at: r))
        } else {
          missing.append(str(l.name))
        }
      }
      if !missing.isEmpty {
        if alternatives.count > 1 {
          error(r, "value of type '\(describe(bt))' has no member '\(str(n))' in alternative '\(missing.joined(separator: "', '"))'")
        } else {
          error(r, "value of type '\(describe(bt))' has no member '\(str(n))'")
        }
        resolved = false
      } else if !fieldTypes.isEmpty {
        var t = Ty.union(of: fieldTypes)
        if let narrowed = lookupNarrowing(pathKey(inner)) { t = narrowed }
        inner.type = t
        resolved = valueTargets(t, at: r, into: &rawTargets, site: site)
      }
    default:
      let t = typeOf(callee)
      resolved = valueTargets(t, at: nameRange, into: &rawTargets, site: site)
    }

    for (kind, receiver) in rawTargets {
      site.targets.append(bind(kind, receiver: receiver, args: args, argTypes: argTypes))
    }
    if currentMethod != nil && !contextLocals.isEmpty { site.scopeContexts = contextsInScope() }
    collectedCalls.append(site)
    if !resolved || site.targets.isEmpty { return .error }
    return Ty.union(of: site.targets.map { $0.resultType })
  }

  /// The targets of calling a value: `forward` of each layer alternative. A `nil` alternative is a run-time
  /// matter, not an error.
  mutating func valueTargets(_ t: Ty, at r: SourceRange, into targets: inout [(CallTargetKind, LayerDecl?)],
                             site: CallSite) -> Bool {
    if t == .error { return false }
    let alternatives = t.alternatives.filter { $0 != .nilType }
    site.receiverIsUnion = t.alternatives.count > 1
    var ok = true
    var noForward: [String] = []
    for alt in alternatives {
      switch alt {
      case .layer(let l):
        if let f = l.methodsByName[nameForward] {
          targets.append((.method(f), l))
        } else {
          noForward.append(str(l.name))
        }
      default:
        error(r, "cannot call value of type '\(describe(alt))'; only layers can be called")
        return false
      }
    }
    if !noForward.isEmpty {
      let which = noForward.joined(separator: "', '")
      error(r, alternatives.count > 1 ? "layer '\(which)' has no 'forward' method (alternative of '\(describe(t))')"
                                      : "layer '\(which)' has no 'forward' method")
      ok = false
    }
    if alternatives.isEmpty {
      error(r, "cannot call a value that is always 'nil'")
      return false
    }
    return ok
  }

  /// The parameters a target binds.
  mutating func params(of kind: CallTargetKind) -> ([ParamInfo], Ty) {
    switch kind {
    case .method(let f), .extern(let f):
      if let cached = f.boundParams { return cached }
      let computed = computeParams(of: kind)
      if !inParallelPhase { f.boundParams = computed }
      return computed
    case .construct(let l):
      if let cached = l.boundParams { return cached }
      let computed = computeParams(of: kind)
      if !inParallelPhase { l.boundParams = computed }
      return computed
    case .record(let r):
      if let cached = r.boundParams { return cached }
      let computed = computeParams(of: kind)
      if !inParallelPhase { r.boundParams = computed }
      return computed
    }
  }

  mutating func computeParams(of kind: CallTargetKind) -> ([ParamInfo], Ty) {
    func info(_ ps: [Param], _ types: [Ty]) -> [ParamInfo] {
      ps.enumerated().map { i, p in
        ParamInfo(name: p.name, type: i < types.count ? types[i] : .error, hasDefault: p.defaultValue != nil,
                  declRange: p.nameRange)
      }
    }
    switch kind {
    case .method(let f), .extern(let f):
      return (info(f.params, f.paramTypes), f.resultType)
    case .construct(let l):
      return (info(l.params, l.paramTypes), .layer(l))
    case .record(let r):
      let saved = inPrelude
      inPrelude = program.isPrelude(r.nameRange)
      let types = r.fields.map { resolveType($0.type, report: false) }
      inPrelude = saved
      return (info(r.fields, types), .record(r))
    }
  }

  mutating func bind(_ kind: CallTargetKind, receiver: LayerDecl?, args: [Argument], argTypes: [Ty]) -> CallTarget {
    let (ps, result) = params(of: kind)
    let b = ArgumentBinder.bind(params: ps.map { ArgumentBinder.Parameter(name: $0.name, hasDefault: $0.hasDefault) },
                                args: args.map { ArgumentBinder.Argument(label: $0.label) },
                                fits: { argTypes[$0].fits(ps[$1].type) })
    return CallTarget(kind: kind, receiver: receiver, params: ps, binding: b.binding, issues: b.issues,
                      outOfOrder: b.outOfOrder, resultType: result)
  }

  /// Parameters and locals of a context type visible here (not narrowed to nil), innermost first.
  func contextsInScope() -> [ScopeContext] {
    // `contextLocals` lists every context-typed local declared so far in this method; one that is still
    // what its name resolves to is in scope (popped scopes and shadowed names fail the identity test).
    var out: [ScopeContext] = []
    for v in contextLocals.reversed() where lookupLocal(v.name) === v && !out.contains(where: { $0.variable.name == v.name }) {
      let t = lookupNarrowing(localKey(v)) ?? v.type
      if t == .nilType { continue }
      if let c = t.contextDecl { out.append(ScopeContext(variable: v, context: c)) }
    }
    return out
  }
}
