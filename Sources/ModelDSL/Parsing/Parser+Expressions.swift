/// Expressions, loosest first (spec §5):
///
///     expression → ternary
///     ternary    → or ('?' expression ':' expression)?
///     or         → and ('||' and)*
///     and        → comparison ('&&' comparison)*
///     comparison → range (('==' | '!=' | '<' | '<=' | '>' | '>=') range | 'is' type)*
///     range      → additive ('..<' additive)?
///     additive   → multiplicative (('+' | '-') multiplicative)*
///     multiplicative → unary (('*' | '/' | '%') unary)*
///     unary      → ('-' | '!') unary | postfix
///     postfix    → primary ('(' arguments ')' | '[' expression ']' | '.' NAME)*
///     primary    → NAME | 'self' | literal | '(' expression ')' | list | comprehension | ifExpression
///
/// A binary operator may begin a continuation line, except `-` (a line starting with `-x` is a new
/// statement). `(` and `[` apply to what precedes them only on the same line; `.` may begin a line.
extension Parser {
  mutating func parseExpression() -> Expr {
    if depth >= Parser.maxDepth {
      let start = p
      error("expression is nested too deeply (more than \(Parser.maxDepth) levels)")
      // Skip the rest of this nested expression: balanced groups up to a separator of the enclosing level.
      while !atEnd && ![.comma, .rParen, .rBracket, .rBrace, .colon].contains(tok.kind)
        && !(p > start && tok.newlineBefore) {
        skipBalanced()
      }
      return Expr(.error, range(fromIndex: start))
    }
    depth += 1
    defer { depth -= 1 }
    return parseTernary()
  }

  /// Builds a node one deeper than its deepest child, refusing trees deeper than `maxDepth` (a 10,000-term
  /// chain). Fixed arities avoid an array per node.
  mutating func make(_ kind: Expr.Kind, _ r: SourceRange, _ a: Expr) -> Expr {
    node(kind, r, a.depth)
  }

  mutating func make(_ kind: Expr.Kind, _ r: SourceRange, _ a: Expr, _ b: Expr) -> Expr {
    node(kind, r, max(a.depth, b.depth))
  }

  mutating func make(_ kind: Expr.Kind, _ r: SourceRange, _ a: Expr, _ b: Expr, _ c: Expr) -> Expr {
    node(kind, r, max(a.depth, b.depth, c.depth))
  }

  /// A link of a left-associative operator chain (`a + b + c`, `x && y && z`): the chain so far is its left
  /// operand, which is a sibling in the source, not nested, so it adds no depth; only the right operand's
  /// nesting counts. A flat 10,000-term sum is legal; 201 nested parentheses are not.
  mutating func makeLink(_ kind: Expr.Kind, _ r: SourceRange, _ chain: Expr, _ operand: Expr) -> Expr {
    let d = max(chain.depth, operand.depth + 1)
    if Int(d) > Parser.maxDepth {
      error("expression is nested too deeply (more than \(Parser.maxDepth) levels)", at: r)
      return Expr(.error, r)
    }
    return Expr(kind, r, depth: d)
  }

  mutating func make(_ kind: Expr.Kind, _ r: SourceRange, _ children: [Expr]) -> Expr {
    var deepest: Int32 = 0
    for c in children where c.depth > deepest { deepest = c.depth }
    return node(kind, r, deepest)
  }

  mutating func node(_ kind: Expr.Kind, _ r: SourceRange, _ childDepth: Int32) -> Expr {
    let d = childDepth + 1
    if Int(d) > Parser.maxDepth {
      error("expression is nested too deeply (more than \(Parser.maxDepth) levels)", at: r)
      return Expr(.error, r)
    }
    return Expr(kind, r, depth: d)
  }

  func continues(_ kinds: [TokenKind]) -> Bool {
    kinds.contains(tok.kind) && !(tok.newlineBefore && tok.kind == .minus)
  }

  mutating func parseTernary() -> Expr {
    let start = p
    let cond = parseOr()
    guard tok.kind == .question else { return cond }
    _ = advance()
    let a = parseExpression()
    expect(.colon, "in the conditional expression")
    let b = parseExpression()
    return make(.ternary(cond, a, b), range(fromIndex: start), cond, a, b)
  }

  mutating func parseOr() -> Expr {
    let start = p
    var e = parseAnd()
    while tok.kind == .pipePipe {
      _ = advance()
      let r = parseAnd()
      e = makeLink(.binary(.or, e, r), range(fromIndex: start), e, r)
    }
    return e
  }

  mutating func parseAnd() -> Expr {
    let start = p
    var e = parseComparison()
    while tok.kind == .ampAmp {
      _ = advance()
      let r = parseComparison()
      e = makeLink(.binary(.and, e, r), range(fromIndex: start), e, r)
    }
    return e
  }

  mutating func parseComparison() -> Expr {
    let start = p
    var e = parseRange()
    while true {
      let op: BinaryOperator
      switch tok.kind {
      case .equalEqual: op = .equal
      case .bangEqual: op = .notEqual
      case .less: op = .less
      case .lessEqual: op = .lessEqual
      case .greater: op = .greater
      case .greaterEqual: op = .greaterEqual
      case .kwIs:
        _ = advance()
        let t = parseType(inTest: true)
        e = make(.isType(e, t), range(fromIndex: start), e)
        continue
      default: return e
      }
      _ = advance()
      let r = parseRange()
      e = makeLink(.binary(op, e, r), range(fromIndex: start), e, r)
    }
  }

  mutating func parseRange() -> Expr {
    let start = p
    let lo = parseAdditive()
    guard tok.kind == .halfOpenRange else { return lo }
    _ = advance()
    let hi = parseAdditive()
    return make(.range(lo, hi), range(fromIndex: start), lo, hi)
  }

  mutating func parseAdditive() -> Expr {
    let start = p
    var e = parseMultiplicative()
    while continues([.plus, .minus]) {
      let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
      let r = parseMultiplicative()
      e = makeLink(.binary(op, e, r), range(fromIndex: start), e, r)
    }
    return e
  }

  mutating func parseMultiplicative() -> Expr {
    let start = p
    var e = parseUnary()
    while continues([.star, .slash, .percent]) {
      let k = advance().kind
      let op: BinaryOperator = k == .star ? .multiply : k == .slash ? .divide : .remainder
      let r = parseUnary()
      e = makeLink(.binary(op, e, r), range(fromIndex: start), e, r)
    }
    return e
  }

  mutating func parseUnary() -> Expr {
    let start = p
    if tok.kind == .minus || tok.kind == .bang {
      let op: UnaryOperator = advance().kind == .minus ? .negate : .not
      if depth >= Parser.maxDepth {
        let operand = parseExpression()  // reports and skips
        return Expr(.error, range(fromIndex: start), depth: operand.depth)
      }
      depth += 1
      let operand = parseUnary()
      depth -= 1
      return make(.unary(op, operand), range(fromIndex: start), operand)
    }
    return parsePostfix()
  }

  mutating func parsePostfix() -> Expr {
    let start = p
    var e = parsePrimary()
    while true {
      switch tok.kind {
      case .lParen where !tok.newlineBefore:
        let open = advance()
        let args = parseArguments()
        let close = tok
        expect(.rParen, "to end the argument list")
        var deepest = e.depth
        for a in args where a.value.depth > deepest { deepest = a.value.depth }
        e = node(.call(e, args, openParen: range(open), closeParen: range(close)), range(fromIndex: start), deepest)
      case .lBracket where !tok.newlineBefore:
        _ = advance()
        let index = parseExpression()
        expect(.rBracket, "to end the index")
        e = make(.index(e, index), range(fromIndex: start), e, index)
      case .dot:
        _ = advance()
        if tok.kind == .identifier {
          let t = advance()
          e = make(.member(e, Name(id: t.name), nameRange: range(t)), range(fromIndex: start), e)
        } else {
          error("expected member name after '.'")
          return Expr(.error, range(fromIndex: start))
        }
      default:
        return e
      }
    }
  }

  /// arguments → (argument (',' argument)* ','?)?      argument → (NAME ':')? expression
  mutating func parseArguments() -> [Argument] {
    var args: [Argument] = []
    while !atEnd && tok.kind != .rParen {
      let before = p
      let start = p
      var label: Name?
      var labelRange: SourceRange?
      if tok.kind == .identifier && peek().kind == .colon {
        let t = advance()
        label = Name(id: t.name)
        labelRange = range(t)
        _ = advance()
      }
      let value = parseExpression()
      args.append(Argument(label: label, labelRange: labelRange, value: value, range: range(fromIndex: start)))
      if tok.kind == .rParen { break }
      if !accept(.comma) {
        error("expected ',' or ')' in argument list")
        while !atEnd && ![.comma, .rParen, .rBrace].contains(tok.kind) && !tok.newlineBefore { skipBalanced() }
        if !accept(.comma) { break }
      }
      if p == before { _ = advance() }
    }
    return args
  }

  mutating func parsePrimary() -> Expr {
    let start = p
    let t = tok
    switch t.kind {
    case .identifier:
      _ = advance()
      return Expr(.name(Name(id: t.name)), range(t))
    case .kwSelf:
      _ = advance()
      return Expr(.selfRef, range(t))
    case .integer:
      _ = advance()
      let digits = file.text(Int(t.start)..<Int(t.end)).filter { $0 != "_" }
      guard let v = Int(digits) else {
        error("integer literal '\(digits)' overflows", at: range(t))
        return Expr(.error, range(t))
      }
      return Expr(.integer(v), range(t))
    case .float:
      _ = advance()
      let digits = file.text(Int(t.start)..<Int(t.end)).filter { $0 != "_" }
      return Expr(.float(Double(digits) ?? 0), range(t))
    case .string:
      _ = advance()
      return Expr(.string(decodeString(t)), range(t))
    case .kwTrue, .kwFalse:
      _ = advance()
      return Expr(.bool(t.kind == .kwTrue), range(t))
    case .kwNil:
      _ = advance()
      return Expr(.nilLiteral, range(t))
    case .lParen:
      _ = advance()
      let inner = parseExpression()
      expect(.rParen, "to end the parenthesized expression")
      return make(.paren(inner), range(fromIndex: start), inner)
    case .lBracket:
      return parseListOrComprehension()
    case .kwIf:
      return parseIfExpression()
    default:
      error("expected expression")
      return Expr(.error, range(t))
    }
  }

  /// list → '[' (expression (',' expression)* ','?)? ']'
  /// comprehension → '[' expression 'for' NAME 'in' expression ']'
  mutating func parseListOrComprehension() -> Expr {
    let start = p
    _ = advance()
    var elements: [Expr] = []
    if tok.kind != .rBracket {
      let first = parseExpression()
      if tok.kind == .kwFor {
        _ = advance()
        guard let (v, vr) = expectName("loop variable name") else {
          while !atEnd && tok.kind != .rBracket && !tok.newlineBefore { skipBalanced() }
          _ = accept(.rBracket)
          return Expr(.error, range(fromIndex: start))
        }
        expect(.kwIn, "in the comprehension")
        let seq = parseExpression()
        expect(.rBracket, "to end the comprehension")
        return make(.comprehension(element: first, variable: v, variableRange: vr, sequence: seq),
                    range(fromIndex: start), first, seq)
      }
      elements.append(first)
      while accept(.comma) {
        if tok.kind == .rBracket { break }
        elements.append(parseExpression())
      }
    }
    expect(.rBracket, "to end the list")
    return make(.list(elements), range(fromIndex: start), elements)
  }

  /// ifExpression → 'if' expression '{' expression '}' 'else' ('{' expression '}' | ifExpression)
  mutating func parseIfExpression() -> Expr {
    let start = p
    _ = advance()
    let cond = parseExpression()
    let a = parseBracedExpression("after the 'if' condition")
    var b: Expr
    if accept(.kwElse) {
      if tok.kind == .kwIf {
        b = parseExpression()
      } else {
        b = parseBracedExpression("after 'else'")
      }
    } else {
      error("an 'if' used as a value needs an 'else' branch", at: range(tokens[start]))
      b = Expr(.error, range(tok))
    }
    return make(.ifExpr(cond, a, b), range(fromIndex: start), cond, a, b)
  }

  mutating func parseBracedExpression(_ context: @autoclosure () -> String) -> Expr {
    guard expect(.lBrace, context()) else { return Expr(.error, range(tok)) }
    let e = parseExpression()
    expect(.rBrace, "after the branch value")
    return e
  }

  func decodeString(_ t: Token) -> String {
    let raw = Array(file.bytes[Int(t.start)..<Int(t.end)])
    var out: [UInt8] = []
    var i = 1
    let end = raw.count > 1 && raw.last == UInt8(ascii: "\"") ? raw.count - 1 : raw.count
    while i < end {
      if raw[i] == UInt8(ascii: "\\") && i + 1 < end {
        switch raw[i + 1] {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        default: out.append(raw[i + 1])
        }
        i += 2
      } else {
        out.append(raw[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
