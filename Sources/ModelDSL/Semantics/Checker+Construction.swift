/// A layer that builds itself, directly or through other layers, in field initializers that always run
/// (not under `if`, `?:` or a comprehension) can never finish being built.
extension Checker {
  mutating func checkConstructionCycles() {
    var edges: [ObjectIdentifier: [(LayerDecl, FieldDecl, SourceRange)]] = [:]
    for l in program.layers where !program.isPrelude(l.nameRange) {
      for f in l.fields {
        var built: [(LayerDecl, SourceRange)] = []
        unconditionalConstructions(f.value, into: &built)
        for (target, r) in built { edges[ObjectIdentifier(l), default: []].append((target, f, r)) }
      }
    }
    // Depth-first search; a back edge closes a cycle, reported once at the field that closes it.
    var state: [ObjectIdentifier: UInt8] = [:]  // 1 on the stack, 2 done
    var reported = Set<ObjectIdentifier>()
    // The layers on the search path, `l` last; shared by every visit (pushed and popped, never copied).
    var path: [LayerDecl] = []
    func visit(_ l: LayerDecl, _ checker: inout Checker) {
      state[ObjectIdentifier(l)] = 1
      path.append(l)
      for (target, field, r) in edges[ObjectIdentifier(l)] ?? [] {
        switch state[ObjectIdentifier(target)] {
        case 1:
          guard reported.insert(ObjectIdentifier(field)).inserted else { continue }
          let cycle = [l] + path.drop { $0 !== target }
          let message: String
          if target === l {
            message = "layer '\(checker.str(l.name))' builds itself in field '\(checker.str(field.name))', so it can never be built"
          } else {
            let chain = cycle.map { "'\(checker.str($0.name))'" }.joined(separator: " → ")
            message = "layer '\(checker.str(l.name))' can never be built: field '\(checker.str(field.name))' builds "
              + "'\(checker.str(target.name))', which builds it again (\(chain))"
          }
          checker.error(r, message,
                        notes: [Note("'\(checker.str(target.name))' declared here", at: target.nameRange)])
        case nil:
          visit(target, &checker)
        default:
          break
        }
      }
      path.removeLast()
      state[ObjectIdentifier(l)] = 2
    }
    for l in program.layers where state[ObjectIdentifier(l)] == nil && !program.isPrelude(l.nameRange) {
      visit(l, &self)
    }
  }

  /// Layer constructions in `e` that run whenever `e` is evaluated.
  func unconditionalConstructions(_ e: Expr, into out: inout [(LayerDecl, SourceRange)]) {
    switch e.kind {
    case .ifExpr(let c, _, _), .ternary(let c, _, _):
      unconditionalConstructions(c, into: &out)
    case .comprehension(_, _, _, let seq):
      unconditionalConstructions(seq, into: &out)
    case .call(let callee, let args, _, _):
      if let site = e.callSite {
        for t in site.targets {
          if case .construct(let l) = t.kind { out.append((l, site.calleeNameRange)) }
        }
      }
      unconditionalConstructions(callee, into: &out)
      for a in args { unconditionalConstructions(a.value, into: &out) }
    case .paren(let x), .unary(_, let x), .member(let x, _, _), .isType(let x, _):
      unconditionalConstructions(x, into: &out)
    case .binary(let op, let a, let b):
      unconditionalConstructions(a, into: &out)
      // The right side of `&&` / `||` may not run.
      if op != .and && op != .or { unconditionalConstructions(b, into: &out) }
    case .index(let a, let b), .range(let a, let b):
      unconditionalConstructions(a, into: &out)
      unconditionalConstructions(b, into: &out)
    case .list(let items):
      for x in items { unconditionalConstructions(x, into: &out) }
    default:
      break
    }
  }
}
