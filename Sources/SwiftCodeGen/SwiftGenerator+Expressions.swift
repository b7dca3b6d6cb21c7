import ModelDSL

/// Expressions. `expr(e, as: t)` is Swift code for `e` converted to the Swift type of `t` (the narrowed
/// type, a parameter's type, a field's type): `Int` to `Double`, optional to non-optional, a union to one
/// of its layers, a layer to `any ModelLayer`.
extension SwiftGenerator {
  mutating func globalExpr(_ e: Expr, as t: Ty) -> String {
    let saved = (localNames, constructContext, inInitializer, currentLayer, currentMethod)
    localNames = [:]
    constructContext = nil
    inInitializer = false
    currentLayer = nil
    currentMethod = nil
    defer { (localNames, constructContext, inInitializer, currentLayer, currentMethod) = saved }
    return expr(e, as: t)
  }

  mutating func expr(_ e: Expr, as target: Ty) -> String {
    let (code, type) = raw(e)
    return coerce(code, from: type, to: target, at: e.range)
  }

  /// Converts Swift code of checked type `from` into the Swift type of `to`.
  mutating func coerce(_ code: String, from: Ty, to: Ty, at r: SourceRange) -> String {
    if from == to || to == .error || to == .void { return code }
    if from == .nilType { return "nil" }
    if from == .int && to.nonNil == .float { return "Double(\(code))" }
    if case .list(let a) = from, case .list(let b) = to.nonNil, a != b {
      return "\(code).map { \(coerce("$0", from: a, to: b, at: r)) }"
    }
    let fromAlts = from.alternatives.filter { $0 != .nilType }
    let toAlts = to.alternatives.filter { $0 != .nilType }
    let fromOptional = from.containsNil
    let toOptional = to.containsNil
    // One layer out of a union (narrowed, or a single call target).
    if toAlts.count == 1, fromAlts.count > 1, case .layer = toAlts[0] {
      let t = swiftType(toAlts[0], at: r)
      return toOptional ? "(\(code) as? \(t))" : "⟪T⟫RT.cast(\(code), to: \(t).self, \"\(escape(program.sources.file(r).text(r.byteRange)))\")"
    }
    // Optional to non-optional (narrowed by `!= nil`, or `T?` passed for `T`).
    if fromOptional && !toOptional {
      let unwrapped = "⟪T⟫RT.unwrap(\(code), \"\(escape(program.sources.file(r).text(r.byteRange)))\")"
      return coerce(unwrapped, from: from.nonNil, to: to, at: r)
    }
    if from.nonNil == .int && to.nonNil == .float { return "\(code).map { Double($0) }" }
    return code
  }

  func escape(_ s: String) -> String {
    var out = ""
    for ch in s.prefix(60) {
      switch ch {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n", "\r": out += " "
      default: out.append(ch)
      }
    }
    return out
  }

  /// Code for `e` with the checked type that code has in Swift: a name's declared type (narrowing happens in
  /// `coerce`), else `e.type`.
  mutating func raw(_ e: Expr) -> (String, Ty) {
    switch e.kind {
    case .integer(let i): return (String(i), .int)
    case .float(let d):
      var s = "\(d)"
      if !s.contains(".") && !s.contains("e") && !s.contains("inf") && !s.contains("nan") { s += ".0" }
      return (s, .float)
    case .string(let s): return ("\"\(s.unicodeScalars.map { $0 == "\"" ? "\\\"" : $0 == "\\" ? "\\\\" : $0 == "\n" ? "\\n" : $0 == "\t" ? "\\t" : String($0) }.joined())\"", .string)
    case .bool(let b): return (b ? "true" : "false", .bool)
    case .nilLiteral: return ("nil", .nilType)
    case .error:
      fail("an expression with an error", at: e.range)
      return ("fatalError()", .error)
    case .paren(let inner):
      let (c, t) = raw(inner)
      return ("(\(c))", t)
    case .selfRef: return ("self", e.type)
    case .name(let n): return name(e, n)
    case .member(let base, let n, _):
      return member(e, base, n)
    case .index(let base, let index):
      let (b, bt) = raw(base)
      let list = coerce(b, from: bt, to: bt.nonNil, at: base.range)
      guard case .list(let el) = bt.nonNil else {
        fail("indexing a value that is not a list", at: e.range)
        return ("fatalError()", .error)
      }
      return ("⟪T⟫RT.index(\(list), \(expr(index, as: .int)))", el)
    case .call:
      return (call(e), e.type)
    case .unary(let op, let operand):
      let t = operand.type
      let c = expr(operand, as: t)
      if op == .not { return ("!\(c)", .bool) }
      if t == .tensor { return ("Primitives.negate(\(c))", .tensor) }
      return ("-\(c)", t)
    case .binary(let op, let a, let b):
      return (binary(e, op, a, b), e.type)
    case .ternary(let c, let a, let b), .ifExpr(let c, let a, let b):
      let t = e.type
      return ("(\(expr(c, as: .bool)) ? \(expr(a, as: t)) : \(expr(b, as: t)))", t)
    case .isType(let base, let tref):
      let (b, _) = raw(base)
      guard case .named(let n, let r) = tref else { return ("false", .bool) }
      let d = program.isPrelude(r) ? program.preludeGlobals[n] : (program.globals[n] ?? program.preludeGlobals[n])
      guard case .layer(let l)? = d else { return ("false", .bool) }
      return ("(\(b) is \(typeName(l)))", .bool)
    case .range(let lo, let hi):
      return ("Primitives.range(\(expr(lo, as: .int)), \(expr(hi, as: .int)))", .rangeType)
    case .list(let items):
      guard case .list(let el) = e.type else { return ("[]", e.type) }
      return ("[" + items.map { expr($0, as: el) }.joined(separator: ", ") + "]", e.type)
    case .comprehension(let element, let variable, _, let sequence):
      guard case .list(let el) = e.type else { return ("[]", e.type) }
      tempCounter += 1
      let k = "k\(tempCounter)"
      let seq = sequenceCode(sequence)
      let savedContext = constructContext
      if let c = constructContext { constructContext = "\(c).child(String(\(k)))" }
      // The comprehension variable is a local the checker created; its Swift name is its spelling.
      let v = SwiftNames.member(str(variable))
      let body = expr(element, as: el)
      constructContext = savedContext
      let mark = body.contains(SwiftGenerator.T) ? SwiftGenerator.T : ""
      return ("\(mark)\(seq).enumerated().map { (\(k), \(v)) -> \(swiftType(el, at: e.range)) in \(finish(body)) }",
              e.type)
    }
  }

  /// A `for` or comprehension sequence: a range or a list.
  mutating func sequenceCode(_ e: Expr) -> String {
    if case .range(let lo, let hi) = e.kind {
      return "Primitives.range(\(expr(lo, as: .int)), \(expr(hi, as: .int)))"
    }
    return expr(e, as: e.type.nonNil)
  }

  mutating func name(_ e: Expr, _ n: Name) -> (String, Ty) {
    switch e.symbol {
    case .local(let v):
      return (localName(v), v.type)
    case .field(let f, let l):
      if inInitializer { return (fieldLocal(f, in: l), f.type) }
      return ("self." + SwiftNames.member(str(f.name)).replacingBackticks(), f.type)
    case .layerParam(let l, let i):
      if inInitializer { return (SwiftNames.member(str(l.params[i].name)), l.paramTypes[i]) }
      return ("self." + paramProperty(l, i).replacingBackticks(), l.paramTypes[i])
    default:
      fail("name '\(str(n))' has no value here", at: e.range)
      return ("fatalError()", .error)
    }
  }

  mutating func member(_ e: Expr, _ base: Expr, _ n: Name) -> (String, Ty) {
    let (b, bt) = raw(base)
    // The checker's type of the base is narrowed by `is` and `!= nil` tests on its path; `raw` gives the
    // declared one. Narrowed to one layer, the member is that layer's (after a cast).
    let narrowed = base.type == .error ? bt : base.type
    let alts = narrowed.alternatives.filter { $0 != .nilType }
    let m = SwiftNames.member(str(n)).replacingBackticks()
    if alts.count == 1 {
      let receiver = coerce(b, from: bt, to: alts[0], at: base.range)
      switch alts[0] {
      case .record(let r):
        let ft = resolve(r.fields.first { $0.name == n }!.type)
        return ("\(receiver).\(m)", ft)
      case .layer(let l):
        guard let f = l.fieldsByName[n] else { break }
        return ("\(receiver).\(m)", f.type)
      default: break
      }
    }
    // A field of a union: every alternative has it with the same type (else no Swift type).
    var types: [Ty] = []
    var cases: [String] = []
    for alt in alts {
      guard case .layer(let l) = alt, let f = l.fieldsByName[n] else {
        fail("member '\(str(n))' of '\(bt.describe(names))'", at: e.range,
             hint: "not every alternative has '\(str(n))'; narrow the value with 'is' first")
        return ("fatalError()", .error)
      }
      types.append(f.type)
      cases.append("case let v as \(typeName(l)): return v.\(m)")
    }
    guard let t = types.first, types.allSatisfy({ $0 == t }) else {
      fail("member '\(str(n))' has different types in the alternatives of '\(bt.describe(names))'", at: e.range,
           hint: "narrow the value with 'is' to one alternative first")
      return ("fatalError()", .error)
    }
    let st = swiftType(t, at: e.range)
    return ("⟪T⟫{ () throws -> \(st) in switch \(finish(b)) { \(cases.joined(separator: "; ")); default: throw PrimitiveError(\"no member '\(str(n))'\") } }()", t)
  }

  mutating func binary(_ e: Expr, _ op: BinaryOperator, _ a: Expr, _ b: Expr) -> String {
    let at = a.type, bt = b.type
    switch op {
    case .and, .or:
      return "(\(expr(a, as: .bool)) \(op.rawValue) \(expr(b, as: .bool)))"
    case .equal, .notEqual:
      if at == .nilType || bt == .nilType {
        let other = at == .nilType ? b : a
        let (c, _) = raw(other)
        return "(\(c) \(op.rawValue) nil)"
      }
      if case .layer = at.nonNil {
        return "(\(raw(a).0) \(op == .equal ? "===" : "!==") \(raw(b).0))"
      }
      if (at == .int && bt == .float) || (at == .float && bt == .int) {
        return "(\(expr(a, as: .float)) \(op.rawValue) \(expr(b, as: .float)))"
      }
      return "(\(expr(a, as: at)) \(op.rawValue) \(expr(b, as: bt)))"
    case .less, .lessEqual, .greater, .greaterEqual:
      if at == .int && bt == .int || at == .string && bt == .string {
        return "(\(expr(a, as: at)) \(op.rawValue) \(expr(b, as: bt)))"
      }
      return "(\(expr(a, as: .float)) \(op.rawValue) \(expr(b, as: .float)))"
    case .add, .subtract, .multiply, .divide, .remainder:
      switch (at, bt) {
      case (.int, .int):
        switch op {
        case .add: return "(\(expr(a, as: .int)) &+ \(expr(b, as: .int)))"
        case .subtract: return "(\(expr(a, as: .int)) &- \(expr(b, as: .int)))"
        case .multiply: return "(\(expr(a, as: .int)) &* \(expr(b, as: .int)))"
        case .divide: return "⟪T⟫RT.divide(\(expr(a, as: .int)), \(expr(b, as: .int)))"
        default: return "⟪T⟫RT.remainder(\(expr(a, as: .int)), \(expr(b, as: .int)))"
        }
      case (.tensor, .tensor):
        return "⟪T⟫Primitives.elementwise(\"\(op.rawValue)\", \(expr(a, as: .tensor)), \(expr(b, as: .tensor)))"
      case (.tensor, _):
        return "⟪T⟫Primitives.scalar(\"\(op.rawValue)\", \(expr(a, as: .tensor)), \(expr(b, as: .float)), tensorOnLeft: true)"
      case (_, .tensor):
        return "⟪T⟫Primitives.scalar(\"\(op.rawValue)\", \(expr(b, as: .tensor)), \(expr(a, as: .float)), tensorOnLeft: false)"
      case (.string, .string):
        return "(\(expr(a, as: .string)) + \(expr(b, as: .string)))"
      default:
        if op == .remainder { return "\(expr(a, as: .float)).truncatingRemainder(dividingBy: \(expr(b, as: .float)))" }
        return "(\(expr(a, as: .float)) \(op.rawValue) \(expr(b, as: .float)))"
      }
    }
  }
}
