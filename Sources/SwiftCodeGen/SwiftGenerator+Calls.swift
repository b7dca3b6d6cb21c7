import ModelDSL

/// Calls: constructors, records, externs, the layer's own methods, and layer values (one alternative each).
extension SwiftGenerator {
  /// The context expression builders and primitives use here.
  var contextCode: String { inInitializer ? "context" : "self.context" }

  mutating func call(_ e: Expr) -> String {
    guard case .call(let callee, let args, _, _) = e.kind, let site = e.callSite, !site.targets.isEmpty else {
      fail("an unresolved call", at: e.range)
      return "fatalError()"
    }
    var inner = callee
    while case .paren(let x) = inner.kind { inner = x }
    let t0 = site.targets[0]
    if case .name = inner.kind {
      switch inner.symbol {
      case .global(.layer(let l)):
        let ctx = constructContext ?? "BuildContext(root: \(contextCode).weights, threads: \(contextCode).threads)"
        if !inInitializer && currentMethod == nil {
          fail("a layer built outside a model, field or method", at: e.range)
        }
        return "⟪T⟫\(typeName(l))(\((labelled(t0, args) + ["context: \(ctx)"]).joined(separator: ", ")))"
      case .global(.record(let r)):
        return "\(typeName(r))(\(labelled(t0, args).joined(separator: ", ")))"
      case .global(.extern(let f)):
        return externCall(f, t0, args, at: e.range)
      case .method(let m):
        return "⟪T⟫self.\(SwiftNames.member(str(m.name)))(\(labelled(t0, args).joined(separator: ", ")))"
      default:
        break
      }
    }
    let receiver: Expr
    if case .member(let base, _, _) = inner.kind, case .method = inner.symbol {
      receiver = base
    } else {
      receiver = callee
    }
    let (code, type) = raw(receiver)
    if site.targets.count == 1, let receiverLayer = t0.receiver ?? t0.function?.owner, let m = t0.function {
      let r = coerce(code, from: type, to: .layer(receiverLayer), at: receiver.range)
      return "⟪T⟫\(r).\(SwiftNames.member(str(m.name)))(\(labelled(t0, args).joined(separator: ", ")))"
    }
    // Several alternatives: dispatch on the layer the value is, with each alternative's binding.
    let result = e.type
    let resultType = result == .void ? "Void" : swiftType(result, at: e.range)
    var cases: [String] = []
    for t in site.targets {
      guard let l = t.receiver, let m = t.function else { continue }
      let callCode = "⟪T⟫v.\(SwiftNames.member(str(m.name)))(\(labelled(t, args).joined(separator: ", ")))"
      let value = result == .void ? callCode : coerce(callCode, from: t.resultType, to: result, at: e.range)
      cases.append("case let v as \(typeName(l)): return \(finish(value))")
    }
    let subject = finish(type.containsNil ? "⟪T⟫RT.unwrap(\(code), \"\(escape(site.calleeText))\")" : code)
    return "⟪T⟫{ () throws -> \(resultType) in switch \(subject) { \(cases.joined(separator: "; ")); "
      + "default: throw PrimitiveError(\"'\(escape(site.calleeText))' is none of its alternatives\") } }()"
  }

  /// Bound arguments as Swift labelled arguments in declaration order; unbound ones take Swift's default.
  mutating func labelled(_ t: CallTarget, _ args: [Argument]) -> [String] {
    var out: [String] = []
    for (pi, p) in t.params.enumerated() {
      guard let ai = t.binding[pi] else { continue }
      out.append("\(SwiftNames.member(str(p.name)).replacingBackticks()): \(expr(args[ai].value, as: p.type))")
    }
    return out
  }

  /// Every argument of an extern in order, defaults written out (primitives take them all).
  mutating func positional(_ t: CallTarget, _ args: [Argument], _ f: FuncDecl) -> [String] {
    var out: [String] = []
    for (pi, p) in t.params.enumerated() {
      if let ai = t.binding[pi] {
        out.append(expr(args[ai].value, as: p.type))
      } else if let d = f.params[pi].defaultValue {
        out.append(globalExpr(d, as: p.type))
      } else {
        out.append("nil")
      }
    }
    return out
  }

  mutating func externCall(_ f: FuncDecl, _ t: CallTarget, _ args: [Argument], at r: SourceRange) -> String {
    guard program.isPrelude(f.nameRange) else {
      return "⟪T⟫Externs.\(SwiftNames.member(str(f.name)))(\(labelled(t, args).joined(separator: ", ")))"
    }
    let a = positional(t, args, f)
    let threads = "\(contextCode).threads"
    switch str(f.name) {
    case "parameter": return "⟪T⟫\(contextCode).parameter(\(a[0]), \(a[1]))"
    case "linear": return "⟪T⟫Primitives.linear(\(a[0]), \(a[1]), \(a[2]), threads: \(threads))"
    case "rms_norm": return "⟪T⟫Primitives.rmsNorm(\(a[0]), \(a[1]), \(a[2]))"
    case "embedding": return "⟪T⟫Primitives.embedding(\(a[0]), \(a[1]))"
    case "silu": return "Primitives.silu(\(a[0]))"
    case "gelu": return "Primitives.gelu(\(a[0]))"
    case "sigmoid": return "Primitives.sigmoid(\(a[0]))"
    case "softmax": return "Primitives.softmax(\(a[0]))"
    case "swiglu_oai": return "⟪T⟫Primitives.swigluOAI(\(a[0]), alpha: \(a[1]), limit: \(a[2]))"
    case "rows": return "Primitives.rows(\(a[0]))"
    case "split_rows": return "⟪T⟫Primitives.splitRows(\(a[0]), \(a[1]))"
    case "concat_rows": return "⟪T⟫Primitives.concatRows(\(a[0]))"
    case "empty_rows": return "Primitives.emptyRows(\(a[0]))"
    case "to_string": return "Primitives.toString(\(a[0]))"
    case "moe_experts": return "⟪T⟫MoEPrimitive.run(\(a[0]), \(a[1]), \(a[2]), phase: \(a[3]), threads: \(threads))"
    default:
      fail("extern '\(str(f.name))' has no Swift binding", at: r)
      return "fatalError()"
    }
  }
}
