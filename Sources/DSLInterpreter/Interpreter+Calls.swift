import Reference
import ModelDSL

extension Interpreter {
  /// A call, dispatched on what the checker resolved and, for a union receiver, on the layer the value
  /// really is.
  func evalCall(_ e: Expr, _ frame: Frame) throws -> Value {
    guard case .call(let callee, let args, _, _) = e.kind, let site = e.callSite else {
      throw error("unresolved call", at: e.range)
    }
    var inner = callee
    while case .paren(let x) = inner.kind { inner = x }
    let values = try args.map { try eval($0.value, frame) }

    // Direct targets: constructors, records, externs, the layer's own methods.
    if case .name = inner.kind {
      switch inner.symbol {
      case .global(.layer(let l)):
        let t = site.targets[0]
        let bound = try bindArguments(t, values, defaults: defaults(l.params))
        var params: [Name: Value] = [:]
        for (i, p) in l.params.enumerated() { params[p.name] = bound[i] }
        return .layer(try construct(l, args: params, at: e.range))
      case .global(.record(let r)):
        let bound = try bindArguments(site.targets[0], values, defaults: defaults(r.fields))
        var fields: [Name: Value] = [:]
        for (i, f) in r.fields.enumerated() { fields[f.name] = bound[i] }
        return .record(RecordValue(decl: r, fields: fields))
      case .global(.extern(let f)):
        let bound = try bindArguments(site.targets[0], values, defaults: defaults(f.params))
        return try builtins.call(f, bound, at: e.range, callee: inner.range)
      case .method(let m):
        guard let inst = frame.instance else { throw error("method call outside a layer", at: e.range) }
        return try call(m, on: inst, args: bindArguments(site.targets[0], values, defaults: defaults(m.params)), at: e.range)
      default:
        break
      }
    }
    // `base.m(…)`: a method of the base's layer, or a field's layer called.
    if case .member(let base, let n, let nameRange) = inner.kind, case .method = inner.symbol {
      let b = try eval(base, frame)
      guard case .layer(let inst) = b else {
        throw error(b.kindName == "nil" ? "calling method '\(program.names.string(n))' of a nil value"
                                        : "calling a method of a value of type \(b.kindName)", at: nameRange)
      }
      return try callTarget(of: site, on: inst, values, at: e.range)
    }
    let v = try eval(callee, frame)
    switch v {
    case .layer(let inst): return try callTarget(of: site, on: inst, values, at: e.range)
    case .none: throw error("calling a nil value", at: site.calleeNameRange)
    default: throw error("calling a value of type \(v.kindName)", at: site.calleeNameRange)
    }
  }

  func callTarget(of site: CallSite, on inst: LayerInstance, _ values: [Value], at r: SourceRange) throws -> Value {
    guard let t = site.targets.first(where: { $0.receiver === inst.decl }), let m = t.function else {
      throw error("layer '\(program.names.string(inst.decl.name))' cannot be called here", at: r)
    }
    return try call(m, on: inst, args: bindArguments(t, values, defaults: defaults(m.params)), at: r)
  }

  func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at r: SourceRange) throws -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      switch op {
      case .add: return .int(x &+ y)
      case .subtract: return .int(x &- y)
      case .multiply: return .int(x &* y)
      case .divide:
        guard y != 0 else { throw error("division by zero", at: r) }
        return .int(x / y)
      case .remainder:
        guard y != 0 else { throw error("division by zero", at: r) }
        return .int(x % y)
      default: return .bool(compare(op, Double(x), Double(y)))
      }
    case (.int, .float), (.float, .int), (.float, .float):
      let x = number(a)!, y = number(b)!
      switch op {
      case .add: return .float(x + y)
      case .subtract: return .float(x - y)
      case .multiply: return .float(x * y)
      case .divide: return .float(x / y)
      case .remainder: return .float(x.truncatingRemainder(dividingBy: y))
      default: return .bool(compare(op, x, y))
      }
    case (.string(let x), .string(let y)):
      switch op {
      case .add: return .string(x + y)
      case .equal: return .bool(x == y)
      case .notEqual: return .bool(x != y)
      case .less: return .bool(x < y)
      case .lessEqual: return .bool(x <= y)
      case .greater: return .bool(x > y)
      case .greaterEqual: return .bool(x >= y)
      default: break
      }
    case (.tensor(let x), .tensor(let y)):
      do {
        return .tensor(try Primitives.elementwise(op.rawValue, x, y))
      } catch let e as PrimitiveError {
        throw error(e.message, at: r)
      }
    case (.tensor(let x), _) where number(b) != nil:
      if let out = try? Primitives.scalar(op.rawValue, x, number(b)!, tensorOnLeft: true) { return .tensor(out) }
    case (_, .tensor(let y)) where number(a) != nil:
      if let out = try? Primitives.scalar(op.rawValue, y, number(a)!, tensorOnLeft: false) { return .tensor(out) }
    default:
      break
    }
    if op == .equal || op == .notEqual {
      let same = identical(a, b)
      return .bool(op == .equal ? same : !same)
    }
    throw error("operator '\(op.rawValue)' cannot be applied to \(a.kindName) and \(b.kindName)", at: r)
  }

  func number(_ v: Value) -> Double? {
    switch v {
    case .int(let i): return Double(i)
    case .float(let d): return d
    default: return nil
    }
  }

  func compare(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Bool {
    switch op {
    case .equal: return x == y
    case .notEqual: return x != y
    case .less: return x < y
    case .lessEqual: return x <= y
    case .greater: return x > y
    case .greaterEqual: return x >= y
    default: return false
    }
  }

  /// `==` for values other than numbers and strings: nil, booleans, identity of layers and records.
  func identical(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.none, .none): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.layer(let x), .layer(let y)): return x === y
    case (.record(let x), .record(let y)): return x === y
    case (.tensor(let x), .tensor(let y)): return x === y
    default: return false
    }
  }
}

