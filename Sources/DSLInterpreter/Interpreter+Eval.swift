import Reference
import ModelDSL

enum ExecResult {
  case normal
  case returned(Value)
}

extension Interpreter {
  func exec(_ block: Block, _ frame: Frame) throws -> ExecResult {
    frame.scopes.append([:])
    defer { frame.scopes.removeLast() }
    for s in block.statements {
      if case .returned(let v) = try exec(s, frame) { return .returned(v) }
    }
    return .normal
  }

  func exec(_ s: Stmt, _ frame: Frame) throws -> ExecResult {
    switch s.kind {
    case .binding(_, let name, _, let value):
      frame.define(name, try eval(value, frame))
    case .assign(let target, let value):
      let v = try eval(value, frame)
      var t = target
      while case .paren(let inner) = t.kind { t = inner }
      guard case .name(let n) = t.kind else { throw error("cannot assign to this expression", at: target.range) }
      frame.assign(n, v)
    case .returnStmt(let value):
      return .returned(try value.map { try eval($0, frame) } ?? .none)
    case .ifStmt(let cond, let then, let elseBranch):
      if try truth(cond, frame) {
        return try exec(then, frame)
      } else if let elseBranch {
        return try exec(elseBranch, frame)
      }
    case .forStmt(let variable, _, let sequence, let body):
      for item in try elements(of: eval(sequence, frame), at: sequence.range) {
        frame.scopes.append([variable: item])
        let r = try exec(body, frame)
        frame.scopes.removeLast()
        if case .returned = r { return r }
      }
    case .expr(let e):
      _ = try eval(e, frame)
    }
    return .normal
  }

  func truth(_ e: Expr, _ frame: Frame) throws -> Bool {
    guard case .bool(let b) = try eval(e, frame) else { throw error("condition is not a Bool", at: e.range) }
    return b
  }

  func elements(of v: Value, at r: SourceRange) throws -> [Value] {
    switch v {
    case .range(let lo, let hi): return lo < hi ? (lo..<hi).map { .int($0) } : []
    case .list(let items): return items
    default: throw error("cannot iterate over a value of type \(v.kindName)", at: r)
    }
  }

  func eval(_ e: Expr, _ frame: Frame) throws -> Value {
    switch e.kind {
    case .integer(let i): return .int(i)
    case .float(let d): return .float(d)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .nilLiteral: return .none
    case .error: throw error("the program has an error here", at: e.range)
    case .paren(let inner): return try eval(inner, frame)
    case .selfRef:
      guard let inst = frame.instance else { throw error("'self' outside a layer", at: e.range) }
      return .layer(inst)
    case .name(let n):
      return try lookup(n, symbol: e.symbol, frame, at: e.range)
    case .member(let base, let n, let nameRange):
      let b = try eval(base, frame)
      switch b {
      case .record(let r):
        guard let v = r.fields[n] else { throw error("record has no field '\(program.names.string(n))'", at: nameRange) }
        return v
      case .layer(let l):
        guard let v = l.fields[n] else { throw error("field '\(program.names.string(n))' is not built yet", at: nameRange) }
        return v
      case .none: throw error("reading field '\(program.names.string(n))' of a nil value", at: nameRange)
      default: throw error("value of type \(b.kindName) has no field '\(program.names.string(n))'", at: nameRange)
      }
    case .index(let base, let index):
      let b = try eval(base, frame)
      guard case .int(let i) = try eval(index, frame) else { throw error("index is not an Int", at: index.range) }
      guard case .list(let items) = b else { throw error("indexing a value of type \(b.kindName)", at: base.range) }
      guard i >= 0 && i < items.count else {
        throw error("index \(i) out of range for a list of \(items.count)", at: index.range)
      }
      return items[i]
    case .call:
      return try evalCall(e, frame)
    case .unary(let op, let operand):
      let v = try eval(operand, frame)
      switch (op, v) {
      case (.negate, .int(let i)): return .int(-i)
      case (.negate, .float(let d)): return .float(-d)
      case (.negate, .tensor(let t)): return .tensor(Primitives.negate(t))
      case (.not, .bool(let b)): return .bool(!b)
      default: throw error("operator '\(op.rawValue)' cannot be applied to \(v.kindName)", at: e.range)
      }
    case .binary(let op, let a, let b):
      if op == .and { return .bool(try truth(a, frame) && truth(b, frame)) }
      if op == .or { return .bool(try truth(a, frame) || truth(b, frame)) }
      return try binary(op, eval(a, frame), eval(b, frame), at: e.range)
    case .ternary(let c, let a, let b), .ifExpr(let c, let a, let b):
      return try truth(c, frame) ? eval(a, frame) : eval(b, frame)
    case .isType(let base, let tref):
      let v = try eval(base, frame)
      guard case .layer(let inst) = v, case .named(let n, _) = tref else { return .bool(false) }
      return .bool(inst.decl.name == n && isSameLayer(inst.decl, named: n, at: tref.range))
    case .range(let lo, let hi):
      guard case .int(let l) = try eval(lo, frame), case .int(let h) = try eval(hi, frame) else {
        throw error("range bounds must be Int", at: e.range)
      }
      return .range(l, h)
    case .list(let items):
      return .list(try items.map { try eval($0, frame) })
    case .comprehension(let element, let variable, _, let sequence):
      var out: [Value] = []
      for (k, item) in try elements(of: eval(sequence, frame), at: sequence.range).enumerated() {
        // Layers built for element k are named `<field>.<k>`, as ModuleList entries are.
        constructPath.append(joinPath(constructPath.last ?? "", String(k)))
        frame.scopes.append([variable: item])
        defer {
          frame.scopes.removeLast()
          constructPath.removeLast()
        }
        out.append(try eval(element, frame))
      }
      return .list(out)
    }
  }

  /// `e is L` compares declarations: the name must resolve to the same layer the value was built from.
  func isSameLayer(_ decl: LayerDecl, named n: Name, at r: SourceRange) -> Bool {
    let inPrelude = program.isPrelude(r)
    let target: Decl? = inPrelude ? program.preludeGlobals[n] : (program.globals[n] ?? program.preludeGlobals[n])
    if case .layer(let l)? = target { return l === decl }
    return false
  }

  func lookup(_ n: Name, symbol: Symbol, _ frame: Frame, at r: SourceRange) throws -> Value {
    switch symbol {
    case .local:
      if let v = frame.lookup(n) { return v }
    case .field:
      if let v = frame.instance?.fields[n] { return v }
    case .layerParam:
      if let v = frame.instance?.params[n] { return v }
    default:
      break
    }
    if let v = frame.lookup(n) { return v }
    throw error("'\(program.names.string(n))' has no value here", at: r)
  }
}
