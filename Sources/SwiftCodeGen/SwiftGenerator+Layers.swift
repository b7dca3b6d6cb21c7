import ModelDSL

/// Layers: stored properties, the initializer that builds fields in order, methods.
extension SwiftGenerator {
  /// The stored property of a layer parameter: its name, or `<name>Param` when a field has the same name.
  func paramProperty(_ l: LayerDecl, _ i: Int) -> String {
    let n = l.params[i].name
    let base = SwiftNames.member(str(n))
    return l.fieldsByName[n] != nil ? base.replacingBackticks() + "Param" : base
  }

  /// The initializer's local for a field: its name, or `<name>Field` when a parameter has the same name.
  func fieldLocal(_ f: FieldDecl, in l: LayerDecl) -> String {
    let base = SwiftNames.member(str(f.name))
    return l.params.contains { $0.name == f.name } ? base.replacingBackticks() + "Field" : base
  }

  func isPreludeFusedMoE(_ l: LayerDecl) -> Bool {
    program.isPrelude(l.nameRange) && str(l.name) == "FusedMoE"
  }

  mutating func layer(_ l: LayerDecl) {
    currentLayer = l
    defer { currentLayer = nil }
    let name = typeName(l)
    line("/// Layer `\(str(l.name))`.")
    line("public final class \(name): ModelLayer\(isPreludeFusedMoE(l) ? ", MoEFields" : "") {")
    indent += 1
    for (i, p) in l.params.enumerated() {
      line("public let \(paramProperty(l, i)): \(swiftType(l.paramTypes[i], at: p.range))")
    }
    for f in l.fields {
      line("public let \(SwiftNames.member(str(f.name))): \(swiftType(f.type, at: f.range))")
    }
    line("/// Where this layer took its weights from.")
    line("let context: BuildContext")
    if isPreludeFusedMoE(l) { line("public let moeCache = MoECacheBox()") }
    line()
    // The initializer.
    let params = l.params.enumerated().map { i, p -> String in
      var s = "\(SwiftNames.member(str(p.name))): \(swiftType(l.paramTypes[i], at: p.range))"
      if let d = p.defaultValue { s += " = " + finish(globalExpr(d, as: l.paramTypes[i])) }
      return s
    }
    line("public init(\((params + ["context: BuildContext"]).joined(separator: ", "))) throws {")
    indent += 1
    inInitializer = true
    localNames = [:]
    for f in l.fields {
      constructContext = "context.child(\"\(str(f.name))\")"
      line("let \(fieldLocal(f, in: l)): \(swiftType(f.type, at: f.range)) = " + finish(expr(f.value, as: f.type)))
    }
    constructContext = nil
    inInitializer = false
    for (i, p) in l.params.enumerated() {
      line("self.\(paramProperty(l, i)) = \(SwiftNames.member(str(p.name)))")
    }
    for f in l.fields {
      line("self.\(SwiftNames.member(str(f.name)).replacingBackticks()) = \(fieldLocal(f, in: l))")
    }
    line("self.context = context")
    indent -= 1
    line("}")
    for m in l.methods {
      line()
      method(m, in: l)
    }
    if isPreludeFusedMoE(l) {
      line()
      moeFields(l)
    }
    indent -= 1
    line("}")
  }

  /// `MoEFields` for the prelude's FusedMoE: its parameters and fields by ModelDSL name.
  mutating func moeFields(_ l: LayerDecl) {
    line("public func moeField(_ name: String) -> MoEValue {")
    indent += 1
    line("switch name {")
    var seen = Set<String>()
    func value(_ code: String, _ t: Ty) -> String? {
      switch t {
      case .int: return ".int(\(code))"
      case .float: return ".float(\(code))"
      case .bool: return ".bool(\(code))"
      case .string: return ".string(\(code))"
      case .tensor: return ".tensor(\(code))"
      case .list(.tensor): return ".tensors(\(code))"
      case .union(let alts) where alts == [.tensor, .nilType]: return "\(code).map { .tensor($0) } ?? .none"
      default: return nil
      }
    }
    for f in l.fields.reversed() where seen.insert(str(f.name)).inserted {
      if let v = value("self." + SwiftNames.member(str(f.name)).replacingBackticks(), f.type) {
        line("case \"\(str(f.name))\": return \(v)")
      }
    }
    for (i, p) in l.params.enumerated() where seen.insert(str(p.name)).inserted {
      if let v = value("self." + paramProperty(l, i).replacingBackticks(), l.paramTypes[i]) {
        line("case \"\(str(p.name))\": return \(v)")
      }
    }
    line("default: return .none")
    line("}")
    indent -= 1
    line("}")
  }

  mutating func method(_ m: FuncDecl, in l: LayerDecl) {
    currentMethod = m
    defer { currentMethod = nil }
    localNames = [:]
    usedLocalNames = []
    let params = m.params.enumerated().map { i, p -> String in
      var s = "\(SwiftNames.member(str(p.name))): \(swiftType(m.paramTypes[i], at: p.range))"
      if let d = p.defaultValue { s += " = " + finish(globalExpr(d, as: m.paramTypes[i])) }
      return s
    }
    let result = m.resultType == .void ? "" : " -> \(swiftType(m.resultType, at: m.range))"
    line("/// `\(str(l.name)).\(str(m.name))`.")
    line("public func \(SwiftNames.member(str(m.name)))(\(params.joined(separator: ", "))) throws\(result) {")
    indent += 1
    if let body = m.body {
      let facts = LocalUsage(body)
      block(body.statements, facts)
    }
    indent -= 1
    line("}")
  }

  // MARK: - Statements

  mutating func block(_ statements: [Stmt], _ facts: LocalUsage) {
    for s in statements { statement(s, facts) }
  }

  mutating func localName(_ v: LocalVar) -> String {
    if let n = localNames[ObjectIdentifier(v)] { return n }
    let n = SwiftNames.member(str(v.name))
    localNames[ObjectIdentifier(v)] = n
    return n
  }

  mutating func statement(_ s: Stmt, _ facts: LocalUsage) {
    switch s.kind {
    case .binding(let isVar, let name, let nameRange, let value):
      guard let v = facts.local(named: name, at: nameRange, in: value) else {
        line("_ = " + finish(expr(value, as: value.type)))
        return
      }
      let n = localName(v)
      if !facts.isRead(name, declaredAt: nameRange) {
        line("_ = " + finish(expr(value, as: value.type)))
      } else {
        let keyword = isVar && facts.isAssigned(name, declaredAt: nameRange) ? "var" : "let"
        line("\(keyword) \(n): \(swiftType(v.type, at: nameRange)) = " + finish(expr(value, as: v.type)))
      }
    case .assign(let target, let value):
      guard case .local(let v) = target.symbol else {
        fail("assignment to something other than a local", at: target.range)
        return
      }
      line("\(localName(v)) = " + finish(expr(value, as: v.type)))
    case .returnStmt(let value):
      if let value, let m = currentMethod, m.resultType != .void {
        line("return " + finish(expr(value, as: m.resultType)))
      } else {
        line("return")
      }
    case .ifStmt(let cond, let then, let elseBranch):
      line("if \(finish(expr(cond, as: .bool))) {")
      indent += 1
      block(then.statements, facts)
      indent -= 1
      if let elseBranch {
        line("} else {")
        indent += 1
        block(elseBranch.statements, facts)
        indent -= 1
      }
      line("}")
    case .forStmt(let variable, let variableRange, let sequence, let body):
      let seq = finish(sequenceCode(sequence))
      let v = facts.loopVariable(variable, at: variableRange)
      let n = v.map { localName($0) } ?? "_"
      let used = facts.isRead(variable, declaredAt: variableRange)
      line("for \(used ? n : "_") in \(seq) {")
      indent += 1
      block(body.statements, facts)
      indent -= 1
      line("}")
    case .expr(let e):
      line((e.type == .void ? "" : "_ = ") + finish(expr(e, as: e.type)))
    }
  }
}

extension String {
  func replacingBackticks() -> String { filter { $0 != "`" } }
}

/// Which locals of a method body are read and which are assigned, by declaration position, so that the
/// generated Swift has no unused-variable or never-mutated warnings.
struct LocalUsage {
  var reads = Set<Int32>()
  var assigned = Set<Int32>()
  /// The checker's `LocalVar` for each declaration position.
  var locals: [Int32: LocalVar] = [:]

  init(_ body: Block) {
    for s in body.statements { visit(s) }
  }

  func isRead(_ n: Name, declaredAt r: SourceRange) -> Bool { reads.contains(r.start) }
  func isAssigned(_ n: Name, declaredAt r: SourceRange) -> Bool { assigned.contains(r.start) }
  func local(named n: Name, at r: SourceRange, in value: Expr) -> LocalVar? { locals[r.start] }
  func loopVariable(_ n: Name, at r: SourceRange) -> LocalVar? { locals[r.start] }

  mutating func visit(_ s: Stmt) {
    switch s.kind {
    case .binding(_, _, _, let value): visit(value)
    case .assign(let target, let value):
      if case .local(let v) = target.symbol {
        assigned.insert(v.declRange.start)
        locals[v.declRange.start] = v
      }
      visit(value)
    case .returnStmt(let value): if let value { visit(value) }
    case .ifStmt(let cond, let then, let elseBranch):
      visit(cond)
      for x in then.statements { visit(x) }
      for x in elseBranch?.statements ?? [] { visit(x) }
    case .forStmt(_, _, let sequence, let body):
      visit(sequence)
      for x in body.statements { visit(x) }
    case .expr(let e): visit(e)
    }
  }

  mutating func visit(_ e: Expr) {
    if case .local(let v) = e.symbol, case .name = e.kind {
      reads.insert(v.declRange.start)
      locals[v.declRange.start] = v
    }
    switch e.kind {
    case .paren(let x), .unary(_, let x), .isType(let x, _), .member(let x, _, _): visit(x)
    case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b): visit(a); visit(b)
    case .ternary(let a, let b, let c), .ifExpr(let a, let b, let c): visit(a); visit(b); visit(c)
    case .call(let callee, let args, _, _):
      visit(callee)
      for a in args { visit(a.value) }
    case .list(let items): for x in items { visit(x) }
    case .comprehension(let el, _, _, let seq): visit(el); visit(seq)
    default: break
    }
  }
}
