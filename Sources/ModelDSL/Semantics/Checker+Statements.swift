/// Statements, scopes, and narrowing by `is`, `!= nil` and `== nil` (spec §5).
extension Checker {
  /// Checks a block; returns whether it always returns.
  mutating func checkBlock(_ b: Block, newScope: Bool) -> Bool {
    if newScope {
      scopes.push()
      narrowings.append([:])
    }
    defer {
      if newScope {
        scopes.pop()
        narrowings.removeLast()
      }
    }
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
    guard narrowings.contains(where: { !$0.isEmpty }), let key = key() else { return nil }
    for layer in narrowings.reversed() {
      if let t = layer[key] { return t }
    }
    return nil
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
      if !isVar, case .local(let src) = stripParens(value).symbol, case .name = stripParens(value).kind {
        v.aliasOfParam = src.rootParam
      }
      scopes.declare(v)
      if t.contextDecl != nil { contextLocals.append(v) }
      narrowings[narrowings.count - 1][localKey(v)] = nil
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
          narrowings[narrowings.count - 1][localKey(v)] = vt == .nilType ? v.type : (v.type.containsNil ? vt : nil)
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
      narrowings.append(whenTrue)
      let thenReturns = checkBlock(then, newScope: true)
      narrowings.removeLast()
      var elseReturns = false
      if let elseBranch {
        narrowings.append(whenFalse)
        elseReturns = checkBlock(elseBranch, newScope: true)
        narrowings.removeLast()
      }
      if thenReturns && !elseReturns {
        for (k, t) in whenFalse { narrowings[narrowings.count - 1][k] = t }
      } else if elseReturns && !thenReturns {
        for (k, t) in whenTrue { narrowings[narrowings.count - 1][k] = t }
      }
      return thenReturns && elseReturns

    case .forStmt(let variable, let variableRange, let sequence, let body):
      let element = elementType(of: typeOf(sequence), at: sequence.range)
      scopes.push()
      scopes.declare(LocalVar(name: variable, declRange: variableRange, isVar: false, type: element, paramIndex: nil))
      narrowings.append([:])
      _ = checkBlock(body, newScope: true)
      narrowings.removeLast()
      scopes.pop()
      return false

    case .expr(let e):
      _ = typeOf(e)
      return false
    }
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
    return pathString(e).map { .chain($0) }
  }

  func pathString(_ e: Expr) -> String? {
    switch e.kind {
    case .paren(let inner): return pathString(inner)
    case .selfRef: return "self"
    case .name(let n):
      switch e.symbol {
      case .local(let v): return "%\(ObjectIdentifier(v).hashValue)"
      case .field: return "self." + str(n)
      case .layerParam: return "param." + str(n)
      default: return nil
      }
    case .member(let base, let n, _):
      if case .method = e.symbol { return nil }
      return pathString(base).map { $0 + "." + str(n) }
    case .index(let base, let i):
      guard let b = pathString(base) else { return nil }
      switch stripParens(i).kind {
      case .integer(let v): return b + "[\(v)]"
      case .name: return pathString(i).map { b + "[" + $0 + "]" }
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
      let rest = e.type.alternatives.filter { $0 != target }
      return rest.isEmpty ? [:] : [key: Ty.union(of: rest)]
    case .binary(let op, let a, let b) where op == .equal || op == .notEqual:
      let (subject, other) = isNil(b) ? (a, b) : (b, a)
      guard isNil(other), let key = pathKey(subject), subject.type != .error else { return [:] }
      let nonNil = truth == (op == .notEqual)
      if nonNil {
        return subject.type == .nilType ? [:] : [key: subject.type.nonNil]
      }
      return [key: .nilType]
    case .binary(.and, let a, let b):
      guard truth else { return [:] }
      return narrowing(a, truth: true).merging(narrowing(b, truth: true)) { _, new in new }
    case .binary(.or, let a, let b):
      guard !truth else { return [:] }
      return narrowing(a, truth: false).merging(narrowing(b, truth: false)) { _, new in new }
    default:
      return [:]
    }
  }

  func isNil(_ e: Expr) -> Bool {
    if case .nilLiteral = stripParens(e).kind { return true }
    return false
  }
}

/// A narrowable path: a local by identity, or a chain (`self.mlp`, `layers[i].mlp`) spelled out.
enum PathKey: Hashable {
  case local(ObjectIdentifier)
  case chain(String)
}
