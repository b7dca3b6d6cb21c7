/// Expression typing (spec §5). Each case sets `e.type` (and `e.symbol` for names) and returns the type.
extension Checker {
  @discardableResult
  mutating func typeOf(_ e: Expr) -> Ty {
    let t = computeType(e)
    e.type = t
    return t
  }

  mutating func computeType(_ e: Expr) -> Ty {
    switch e.kind {
    case .integer: return .int
    case .float: return .float
    case .string: return .string
    case .bool: return .bool
    case .nilLiteral: return .nilType
    case .error: return .error
    case .paren(let inner): return typeOf(inner)
    case .selfRef:
      guard let l = currentLayer, currentMethod != nil else {
        error(e.range, "'self' is only available inside a method")
        return .error
      }
      e.symbol = .selfValue
      return .layer(l)
    case .name(let n):
      return typeOfName(e, n)
    case .member(let base, let n, let nameRange):
      return typeOfMember(e, base, n, nameRange)
    case .index(let base, let index):
      let bt = typeOf(base)
      let it = typeOf(index)
      let result: Ty
      switch bt.nonNil {
      case .list(let el): result = el
      case .error: return .error
      default:
        error(base.range, "value of type '\(describe(bt))' cannot be indexed; only lists can")
        return .error
      }
      if it != .int && it != .error { error(index.range, "list index must be 'Int', not '\(describe(it))'") }
      if let narrowed = lookupNarrowing(pathKey(e)) { return narrowed }
      return result
    case .call:
      return checkCall(e)
    case .unary(let op, let operand):
      let t = typeOf(operand)
      switch (op, t) {
      case (_, .error): return .error
      case (.negate, .int), (.negate, .float), (.negate, .tensor): return t
      case (.not, .bool): return .bool
      default:
        error(e.range, "unary operator '\(op.rawValue)' cannot be applied to an operand of type '\(describe(t))'")
        return .error
      }
    case .binary(let op, let a, let b):
      return typeOfBinary(e, op, a, b)
    case .ternary(let c, let a, let b), .ifExpr(let c, let a, let b):
      // Each branch is checked under what the condition tells about its paths.
      let ct = typeOf(c)
      if ct != .bool && ct != .error { error(c.range, "condition must be 'Bool', not '\(describe(ct))'") }
      let before = narrowed
      narrow(by: narrowing(c, truth: true))
      let at = typeOf(a)
      narrowed = before
      narrow(by: narrowing(c, truth: false))
      let bt = typeOf(b)
      narrowed = before
      return join(at, bt)
    case .isType(let base, let tref):
      _ = typeOf(base)
      let t = resolveType(tref)
      if t != .error, case .layer = t {} else if t != .error {
        error(tref.range, "'is' tests a layer type; '\(describe(t))' is not a layer")
      }
      return .bool
    case .range(let lo, let hi):
      for side in [lo, hi] {
        let t = typeOf(side)
        if t != .int && t != .error { error(side.range, "range bound must be 'Int', not '\(describe(t))'") }
      }
      return .rangeType
    case .list(let elements):
      if elements.isEmpty { return .list(.error) }
      var t = typeOf(elements[0])
      for el in elements.dropFirst() { t = join(t, typeOf(el)) }
      return .list(t)
    case .comprehension(let element, let variable, let variableRange, let sequence):
      let el = elementType(of: typeOf(sequence), at: sequence.range)
      scopes.push()
      declareLoopVariable(LocalVar(name: variable, declRange: variableRange, isVar: false, type: el, paramIndex: nil))
      let t = typeOf(element)
      scopes.pop()
      if t == .void {
        error(element.range, "list element returns nothing")
        return .list(.error)
      }
      return .list(t)
    }
  }

  /// The type of a value that is one of two branches: a union, except that `Int` and `Float` make `Float`.
  func join(_ a: Ty, _ b: Ty) -> Ty {
    if (a == .int && b == .float) || (a == .float && b == .int) { return .float }
    return Ty.union(of: [a, b])
  }

  /// A bare name, looked up as spec §5 says: local, parameter, field, layer parameter, method, top level.
  mutating func typeOfName(_ e: Expr, _ n: Name) -> Ty {
    if let v = lookupLocal(n) {
      e.symbol = .local(v)
      return lookupNarrowing(localKey(v)) ?? v.type
    }
    if let l = currentLayer {
      if let f = visibleField(n, in: l) {
        e.symbol = .field(f, l)
        let t = fieldType(f, of: l, at: e.range)
        return lookupNarrowing(.chain("self." + str(n))) ?? t
      }
      if let i = l.params.firstIndex(where: { $0.name == n }) {
        e.symbol = .layerParam(l, i)
        return lookupNarrowing(.chain("param." + str(n))) ?? (i < l.paramTypes.count ? l.paramTypes[i] : .error)
      }
      if currentMethod != nil, let m = l.methodsByName[n] {
        e.symbol = .method(m)
        error(e.range, "method '\(str(n))' must be called; methods are not values")
        return .error
      }
    }
    if let d = lookupGlobal(n) {
      e.symbol = .global(d)
      switch d {
      case .layer: error(e.range, "layer '\(str(n))' must be called to build it")
      case .record(let r): error(e.range, "\(r.isContext ? "context" : "config") '\(str(n))' must be called to build a value")
      case .extern: error(e.range, "function '\(str(n))' must be called")
      case .model: error(e.range, "model '\(str(n))' cannot be used in an expression")
      }
      return .error
    }
    if let l = currentLayer, fieldLimit != nil, let f = l.fieldsByName[n] {
      error(e.range, "field '\(str(n))' is not available yet: fields are built in order",
            notes: [Note("'\(str(n))' declared here", at: f.nameRange)])
      return .error
    }
    error(e.range, "cannot find '\(str(n))' in scope")
    return .error
  }

  /// A field visible by bare name: in a method all fields; in a field initializer only earlier ones.
  func visibleField(_ n: Name, in l: LayerDecl) -> FieldDecl? {
    guard let f = l.fieldsByName[n] else { return nil }
    if let limit = fieldLimit {
      guard let idx = l.fields.firstIndex(where: { $0 === f }), idx < limit else { return nil }
    }
    return f
  }

  mutating func typeOfMember(_ e: Expr, _ base: Expr, _ n: Name, _ nameRange: SourceRange) -> Ty {
    let bt = typeOf(base)
    if bt == .error { return .error }
    var results: [Ty] = []
    var missing: [String] = []
    for alt in bt.alternatives {
      switch alt {
      case .nilType: continue  // reading a field of nil is a run-time error
      case .record(let r):
        if let i = r.fields.firstIndex(where: { $0.name == n }) {
          results.append(resolveType(r.fields[i].type, report: false))
          if case .local(let v) = stripParens(base).symbol { noteParamRead(v, at: nameRange) }
        } else {
          missing.append(str(r.name))
        }
      case .layer(let l):
        if let f = l.fieldsByName[n] {
          if case .selfValue = stripParens(base).symbol, fieldLimit != nil, visibleField(n, in: l) == nil {
            missing.append(str(l.name))
            continue
          }
          e.symbol = .field(f, l)
          results.append(fieldType(f, of: l, at: nameRange))
        } else if let m = l.methodsByName[n] {
          e.symbol = .method(m)
          error(nameRange, "method '\(str(n))' must be called; methods are not values")
          return .error
        } else {
          missing.append(str(l.name))
        }
      default:
        missing.append(describe(alt))
      }
    }
    if !missing.isEmpty {
      if bt.alternatives.filter({ $0 != .nilType }).count > 1 {
        error(nameRange, "value of type '\(describe(bt))' has no member '\(str(n))' in alternative '\(missing.joined(separator: "', '"))'")
      } else {
        error(nameRange, "value of type '\(describe(bt))' has no member '\(str(n))'")
      }
      return .error
    }
    if results.isEmpty { return .error }
    let t = Ty.union(of: results)
    if let narrowed = lookupNarrowing(pathKey(e)) { return narrowed }
    return t
  }

  /// A chain `a + b + … + z` nests on its left: its links are typed in a loop, left to right, so that a
  /// long flat chain (legal, spec §5) costs no stack per term.
  mutating func typeOfBinary(_ e: Expr, _ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Ty {
    var links: [(node: Expr, op: BinaryOperator, left: Expr, right: Expr)] = [(e, op, a, b)]
    var leftmost = a
    while case .binary(let o, let l, let r) = leftmost.kind {
      links.append((leftmost, o, l, r))
      leftmost = l
    }
    var t = typeOf(leftmost)
    for link in links.reversed() {
      t = typeOfLink(link.node, link.op, link.left, t, link.right)
      link.node.type = t
    }
    return t
  }

  /// One link of a chain, its left operand `a` already typed `at`.
  mutating func typeOfLink(_ e: Expr, _ op: BinaryOperator, _ a: Expr, _ at: Ty, _ b: Expr) -> Ty {
    // The right side of '&&' runs only when the left is true; of '||' only when it is false.
    let bt: Ty
    if op == .and || op == .or {
      let before = narrowed
      narrow(by: narrowing(a, truth: op == .and))
      bt = typeOf(b)
      narrowed = before
    } else {
      bt = typeOf(b)
    }
    if at == .error || bt == .error { return op == .and || op == .or || isComparison(op) ? .bool : .error }
    switch op {
    case .and, .or:
      if at != .bool || bt != .bool {
        error(e.range, "operator '\(op.rawValue)' needs 'Bool' operands, not '\(describe(at))' and '\(describe(bt))'")
      }
      return .bool
    case .equal, .notEqual:
      if !(at.fits(bt) || bt.fits(at) || at == .nilType || bt == .nilType) {
        error(e.range, "operator '\(op.rawValue)' cannot compare '\(describe(at))' with '\(describe(bt))'")
      }
      return .bool
    case .less, .lessEqual, .greater, .greaterEqual:
      let numeric: Set<Ty> = [.int, .float]
      if !((numeric.contains(at) && numeric.contains(bt)) || (at == .string && bt == .string)) {
        error(e.range, "operator '\(op.rawValue)' cannot compare '\(describe(at))' with '\(describe(bt))'")
      }
      return .bool
    case .add, .subtract, .multiply, .divide, .remainder:
      switch (at, bt) {
      case (.int, .int): return .int
      case (.int, .float), (.float, .int), (.float, .float): return .float
      case (.tensor, .tensor), (.tensor, .int), (.tensor, .float), (.int, .tensor), (.float, .tensor):
        if op == .remainder { break }
        return .tensor
      case (.string, .string) where op == .add: return .string
      default: break
      }
      error(e.range, "binary operator '\(op.rawValue)' cannot be applied to operands of type '\(describe(at))' and '\(describe(bt))'")
      return .error
    }
  }

  func isComparison(_ op: BinaryOperator) -> Bool {
    switch op {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
    default: return false
    }
  }
}
