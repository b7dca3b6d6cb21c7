/// Statements, scopes, and narrowing by `is`, `!= nil` and `== nil` (spec §5).
extension Checker {
  /// Checks a block; returns whether it always returns.
  mutating func checkBlock(_ b: Block, newScope: Bool) -> Bool {
    if newScope { scopes.push() }
    defer { if newScope { scopes.pop() } }
    var returns = false
    for s in b.statements where checkStatement(s) { returns = true }
    return returns
  }

  func lookupLocal(_ n: Name) -> LocalVar? {
    scopes.lookup(n)
  }

  /// The narrowed type of a path, if any. The key is built only when some narrowing is active: most
  /// lookups happen outside any `if`, and building a key string per name would dominate checking time.
  func lookupNarrowing(_ key: @autoclosure () -> PathKey?) -> Ty? {
    guard !narrowed.isEmpty, let key = key() else { return nil }
    return narrowed[key]
  }

  /// Adds what a condition tells (`narrowing(_:truth:)`) to what is known here.
  mutating func narrow(by facts: [PathKey: Ty]) {
    if !facts.isEmpty { narrowed.merge(facts) { _, new in new } }
  }

  /// What is known where two paths meet: a path narrowed on both keeps the union of its types; one narrowed on
  /// only one path has its declared type again.
  func join(_ a: [PathKey: Ty], _ b: [PathKey: Ty]) -> [PathKey: Ty] {
    var out: [PathKey: Ty] = [:]
    for (k, t) in a {
      if let u = b[k] { out[k] = t == u ? t : Ty.union(of: [t, u]) }
    }
    return out
  }

  /// Ends every narrowing that an assignment to `v` invalidates: of `v` itself and of every chain that
  /// mentions it (`fs[i]` after `i = 1`, `h.mlp` after `h = …`).
  mutating func forgetNarrowings(of v: LocalVar) {
    guard !narrowed.isEmpty else { return }
    let id = ObjectIdentifier(v)
    narrowed = narrowed.filter { key, _ in
      switch key {
      case .local(let l): return l != id
      case .chain(_, let locals): return !locals.contains(id)
      }
    }
  }

  /// Checks one statement; returns whether it always returns.
  mutating func checkStatement(_ s: Stmt) -> Bool {
    switch s.kind {
    case .binding(let isVar, let name, let nameRange, let value):
      var t = typeOf(value)
      if t == .void {
        error(value.range, "cannot bind '\(str(name))' to an expression that returns nothing")
        t = .error
      }
      if let prev = scopes.inCurrent(name) {
        error(nameRange, "invalid redeclaration of '\(str(name))'",
              notes: [Note("'\(str(name))' previously declared here", at: prev.declRange)])
      }
      let v = LocalVar(name: name, declRange: nameRange, isVar: isVar, type: t, paramIndex: nil)
      v.aliasOfParam = aliasedParam(value)
      scopes.declare(v)
      if t.contextDecl != nil { contextLocals.append(v) }
      narrowed[localKey(v)] = nil
      return false

    case .assign(let target, let value):
      let vt = typeOf(value)
      let inner = stripParens(target)
      if case .name(let n) = inner.kind, let v = lookupLocal(n) {
        inner.symbol = .local(v)
        inner.type = v.type
        if v.paramIndex != nil {
          error(target.range, "cannot assign to value: '\(str(n))' is a parameter")
        } else if !v.isVar {
          error(target.range, "cannot assign to value: '\(str(n))' is a 'let' constant",
                notes: [Note("change 'let' to 'var' to make it mutable", at: v.declRange)])
        } else if !vt.fits(v.type) {
          error(value.range, "cannot assign value of type '\(describe(vt))' to '\(str(n))' of type '\(describe(v.type))'")
        } else {
          // From here on, on every path through this point, `v` holds the new value: of the value's type
          // when that is some of the declared alternatives (or a non-nil value of an optional), else of the
          // declared type.
          forgetNarrowings(of: v)
          // A `var` stays an alias only while everything assigned to it is the same parameter: its uses are
          // read after checking, so one that may hold another value counts as none (a miss, never a false
          // "uses").
          if v.aliasOfParam != nil && aliasedParam(value) != v.aliasOfParam { v.aliasOfParam = nil }
          let declared = v.type.alternatives
          if vt != .nilType && vt != v.type
            && (v.type.containsNil || vt.alternatives.allSatisfy { declared.contains($0) }) {
            narrowed[localKey(v)] = vt
          }
        }
      } else {
        let t = typeOf(target)
        if t != .error {
          if case .member = inner.kind {
            error(target.range, "cannot assign to a field: fields are built once, when the layer is built")
          } else if case .name(let n) = inner.kind, case .field = inner.symbol {
            error(target.range, "cannot assign to field '\(str(n))': fields are built once, when the layer is built")
          } else if case .name(let n) = inner.kind, case .layerParam = inner.symbol {
            error(target.range, "cannot assign to layer parameter '\(str(n))': it is fixed when the layer is built")
          } else {
            error(target.range, "cannot assign to this expression")
          }
        }
      }
      return false

    case .returnStmt(let value):
      guard let m = currentMethod else { return true }
      if let value {
        let t = typeOf(value)
        if m.resultType == .void {
          if t != .error { error(value.range, "unexpected return value in method '\(str(m.name))' that returns nothing") }
        } else if !t.fits(m.resultType) {
          error(value.range, "cannot convert return value of type '\(describe(t))' to return type '\(describe(m.resultType))'")
        }
      } else if m.resultType != .void && m.resultType != .error {
        error(s.range, "non-void method '\(str(m.name))' should return a value of type '\(describe(m.resultType))'")
      }
      return true

    case .ifStmt(let cond, let then, let elseBranch):
      let ct = typeOf(cond)
      if ct != .bool && ct != .error {
        error(cond.range, "'if' condition must be 'Bool', not '\(describe(ct))'")
      }
      let whenTrue = narrowing(cond, truth: true)
      let whenFalse = narrowing(cond, truth: false)
      // Each branch starts from what is known before the `if` plus what its test tells, and what is known
      // after the `if` is what holds at the end of every branch that falls through (an `else if` chain is a
      // nested `if` in the `else` branch, so its tests narrow what follows too).
      let before = narrowed
      narrow(by: whenTrue)
      let thenReturns = checkBlock(then, newScope: true)
      let afterThen = narrowed
      narrowed = before
      narrow(by: whenFalse)
      var elseReturns = false
      if let elseBranch { elseReturns = checkBlock(elseBranch, newScope: true) }
      switch (thenReturns, elseReturns) {
      case (true, true): narrowed = before
      case (true, false): break
      case (false, true): narrowed = afterThen
      case (false, false): narrowed = join(afterThen, narrowed)
      }
      return thenReturns && elseReturns

    case .forStmt(let variable, let variableRange, let sequence, let body):
      let element = elementType(of: typeOf(sequence), at: sequence.range)
      // The body runs again after its own end: what an assignment in it changes is not known at its start
      // (nor after the loop). Everything else the body learns holds only in the iteration that learns it.
      for n in assignedNames(in: body) {
        if let v = lookupLocal(n) { forgetNarrowings(of: v) }
      }
      let before = narrowed
      scopes.push()
      declareLoopVariable(LocalVar(name: variable, declRange: variableRange, isVar: false, type: element,
                                   paramIndex: nil))
      _ = checkBlock(body, newScope: true)
      scopes.pop()
      narrowed = join(before, narrowed)
      return false

    case .expr(let e):
      _ = typeOf(e)
      return false
    }
  }

  /// The parameter a value is unchanged (`forwardMeta`, or a local that aliases it), if any.
  func aliasedParam(_ value: Expr) -> Int? {
    let inner = stripParens(value)
    guard case .name = inner.kind, case .local(let src) = inner.symbol else { return nil }
    return src.rootParam
  }

  /// Declares a `for` or comprehension variable: a local like any other, so a context one is a value in scope.
  mutating func declareLoopVariable(_ v: LocalVar) {
    scopes.declare(v)
    if v.type.contextDecl != nil { contextLocals.append(v) }
  }

  /// The names a block assigns to (`x = …`), in nested blocks too.
  func assignedNames(in b: Block) -> [Name] {
    var out: [Name] = []
    func walk(_ b: Block) {
      for s in b.statements {
        switch s.kind {
        case .assign(let target, _):
          if case .name(let n) = stripParens(target).kind { out.append(n) }
        case .ifStmt(_, let then, let elseBranch):
          walk(then)
          if let elseBranch { walk(elseBranch) }
        case .forStmt(_, _, _, let body): walk(body)
        case .binding, .returnStmt, .expr: break
        }
      }
    }
    walk(b)
    return out
  }

  /// The element type of what a `for` or comprehension iterates: `Int` for a range, `T` for `[T]`.
  mutating func elementType(of t: Ty, at r: SourceRange) -> Ty {
    switch t {
    case .rangeType: return .int
    case .list(let e): return e
    case .error: return .error
    default:
      error(r, "value of type '\(describe(t))' is not a sequence; iterate over a range 'a..<b' or a list")
      return .error
    }
  }

  func stripParens(_ e: Expr) -> Expr {
    if case .paren(let inner) = e.kind { return stripParens(inner) }
    return e
  }

  func localKey(_ v: LocalVar) -> PathKey { .local(ObjectIdentifier(v)) }

  /// The key of a narrowable path: a local by identity (no string built, the common case), else a field
  /// (`self.f`) or a chain of fields and indexes spelled out.
  func pathKey(_ e: Expr) -> PathKey? {
    if case .name = e.kind, case .local(let v) = e.symbol { return localKey(v) }
    var locals: [ObjectIdentifier] = []
    return pathString(e, locals: &locals).map { .chain($0, locals: locals) }
  }

  /// A chain spelled out; `locals` collects the locals it mentions.
  func pathString(_ e: Expr, locals: inout [ObjectIdentifier]) -> String? {
    switch e.kind {
    case .paren(let inner): return pathString(inner, locals: &locals)
    case .selfRef: return "self"
    case .name(let n):
      switch e.symbol {
      case .local(let v):
        locals.append(ObjectIdentifier(v))
        return "%\(UInt(bitPattern: ObjectIdentifier(v).hashValue))"
      case .field: return "self." + str(n)
      case .layerParam: return "param." + str(n)
      default: return nil
      }
    case .member(let base, let n, _):
      if case .method = e.symbol { return nil }
      return pathString(base, locals: &locals).map { $0 + "." + str(n) }
    case .index(let base, let i):
      guard let b = pathString(base, locals: &locals) else { return nil }
      switch stripParens(i).kind {
      case .integer(let v): return b + "[\(v)]"
      case .name: return pathString(i, locals: &locals).map { b + "[" + $0 + "]" }
      default: return nil
      }
    default: return nil
    }
  }

  /// What `cond` being `truth` tells about the types of paths in it.
  mutating func narrowing(_ cond: Expr, truth: Bool) -> [PathKey: Ty] {
    switch cond.kind {
    case .paren(let inner): return narrowing(inner, truth: truth)
    case .unary(.not, let inner): return narrowing(inner, truth: !truth)
    case .isType(let e, let tref):
      guard let key = pathKey(e), case .layer(let l) = resolveType(tref, report: false) else { return [:] }
      let target = Ty.layer(l)
      if truth {
        return [key: target]
      }
      // The remaining alternatives; nothing when `T` is not one of them (the test says nothing then).
      let rest = e.type.alternatives.filter { $0 != target }
      return rest.isEmpty || rest.count == e.type.alternatives.count ? [:] : [key: Ty.union(of: rest)]
    case .binary(let op, let a, let b) where op == .equal || op == .notEqual:
      let (subject, other) = isNil(b) ? (a, b) : (b, a)
      guard isNil(other), let key = pathKey(subject), subject.type != .error else { return [:] }
      let nonNil = truth == (op == .notEqual)
      if nonNil {
        return subject.type == .nilType || !subject.type.containsNil ? [:] : [key: subject.type.nonNil]
      }
      return [key: .nilType]
    case .binary(let op, let a, let b) where op == .and || op == .or:
      // `b` runs only when `a` is `runs` (true for `&&`, false for `||`), and was typed under what that
      // tells, so its narrowings refine `a`'s. The whole is `runs` when both are; otherwise either `a` is
      // not `runs`, or it is and `b` is not: the join of the two.
      let runs = op == .and
      let whenRuns = narrowing(a, truth: runs)
      let second = whenRuns.merging(narrowing(b, truth: truth)) { _, new in new }
      if truth == runs { return second }
      return join(narrowing(a, truth: truth), second)
    default:
      return [:]
    }
  }

  func isNil(_ e: Expr) -> Bool {
    if case .nilLiteral = stripParens(e).kind { return true }
    return false
  }
}

/// A narrowable path: a local by identity, or a chain (`self.mlp`, `layers[i].mlp`) spelled out with the
/// locals it mentions (assigning one of them ends the chain's narrowing).
enum PathKey: Hashable {
  case local(ObjectIdentifier)
  case chain(String, locals: [ObjectIdentifier] = [])
}
