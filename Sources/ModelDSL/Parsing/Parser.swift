/// Recursive-descent parser for ModelDSL: one method per grammar rule, in precedence order.
///
/// It always returns a tree. Every syntax error is reported (rule `unresolved`) and the parser synchronises:
/// to the next declaration at top level, the next member in a layer, the next line in a block. Every loop
/// consumes at least one token per iteration or exits. Nesting deeper than `maxDepth` is reported once and
/// skipped, so later passes may recurse over the tree without exhausting the stack.
public struct Parser {
  /// Deepest expression or block nesting accepted.
  public static let maxDepth = 200

  let file: SourceFile
  let names: NameTable
  let tokens: [Token]
  var p = 0
  var diagnostics: [Diagnostic] = []
  var spans: [SuppressibleSpan] = []
  var depth = 0
  /// The last token index an error was reported at, to report one error per position.
  var lastErrorToken = -1

  let nameConfig: Int32, nameContext: Int32, nameLayer: Int32, nameModel: Int32, nameExtern: Int32

  /// Lexes and parses one file.
  public static func parse(_ file: SourceFile, names: NameTable, isPrelude: Bool = false) -> (SourceUnit, [Diagnostic]) {
    parse(file, cache: NameCache(names), isPrelude: isPrelude)
  }

  static func parse(_ file: SourceFile, cache: NameCache, isPrelude: Bool = false) -> (SourceUnit, [Diagnostic]) {
    let names = cache.table
    if !isPrelude && TextDetection.isBinary(file.bytes) {
      let unit = SourceUnit(file: file, decls: [], suppressions: [], suppressibleSpans: [], isPrelude: false)
      let range = SourceRange(file: file.id, start: 0, end: 0)
      return (unit, [Diagnostic(.error, rule: "unresolved", at: range, TextDetection.message)])
    }
    let lexed = Lexer.lex(file, cache: cache)
    var parser = Parser(file: file, names: names, tokens: lexed.tokens)
    let decls = parser.parseProgram()
    let unit = SourceUnit(file: file, decls: decls, suppressions: lexed.suppressions,
                          suppressibleSpans: parser.spans, isPrelude: isPrelude)
    // A stray character is reported by the lexer and dropped; the parse errors it then causes later on the
    // same line (`x @ x` reads as `x x`) would only repeat it.
    var firstLexErrorOnLine: [Int: Int] = [:]
    for d in lexed.diagnostics {
      let start = Int(d.range.start)
      firstLexErrorOnLine[file.lineIndex(of: start)] = min(firstLexErrorOnLine[file.lineIndex(of: start)] ?? start, start)
    }
    let parseErrors = parser.diagnostics.filter { d in
      let start = Int(d.range.start)
      guard let lexStart = firstLexErrorOnLine[file.lineIndex(of: start)] else { return true }
      return start < lexStart
    }
    return (unit, lexed.diagnostics + parseErrors)
  }

  init(file: SourceFile, names: NameTable, tokens: [Token]) {
    self.file = file
    self.names = names
    self.tokens = tokens
    nameConfig = names.intern("config").id
    nameContext = names.intern("context").id
    nameLayer = names.intern("layer").id
    nameModel = names.intern("model").id
    nameExtern = names.intern("extern").id
  }

  // MARK: - Token helpers

  var tok: Token { tokens[p] }
  func peek(_ k: Int = 1) -> Token { tokens[min(p + k, tokens.count - 1)] }
  var atEnd: Bool { tok.kind == .eof }

  func range(_ t: Token) -> SourceRange { SourceRange(file: file.id, start: Int(t.start), end: Int(t.end)) }
  func range(from start: Token, to end: Token) -> SourceRange {
    SourceRange(file: file.id, start: Int(start.start), end: Int(end.end))
  }
  /// The range from token index `i` to the last consumed token.
  func range(fromIndex i: Int) -> SourceRange {
    let last = max(i, p - 1)
    return SourceRange(file: file.id, start: Int(tokens[i].start), end: Int(tokens[last].end))
  }

  mutating func advance() -> Token {
    let t = tokens[p]
    if t.kind != .eof { p += 1 }
    return t
  }

  mutating func accept(_ kind: TokenKind) -> Bool {
    if tok.kind == kind {
      p += 1
      return true
    }
    return false
  }

  mutating func error(_ message: String, at r: SourceRange? = nil) {
    if r == nil {
      if lastErrorToken == p { return }
      lastErrorToken = p
    }
    diagnostics.append(Diagnostic(.error, rule: "unresolved", at: r ?? range(tok), message))
  }

  /// Consumes `kind` or reports "expected X context".
  @discardableResult
  mutating func expect(_ kind: TokenKind, _ context: @autoclosure () -> String) -> Bool {
    if accept(kind) { return true }
    error("expected \(kind.spelling) \(context())")
    return false
  }

  func isIdentifier(_ t: Token, _ name: Int32) -> Bool { t.kind == .identifier && t.name == name }

  mutating func expectName(_ context: @autoclosure () -> String) -> (Name, SourceRange)? {
    if tok.kind == .identifier {
      let t = advance()
      return (Name(id: t.name), range(t))
    }
    if tok.name >= 0 {
      error("keyword \(tok.kind.spelling) cannot be used as an identifier here")
    } else {
      error("expected \(context())")
    }
    return nil
  }

  // MARK: - Declarations

  /// program → declaration* EOF
  mutating func parseProgram() -> [Decl] {
    var decls: [Decl] = []
    while !atEnd {
      let before = p
      if let d = parseDeclaration() { decls.append(d) }
      if p == before {
        _ = advance()
      }
      synchronizeToDeclaration()
    }
    return decls
  }

  func startsDeclaration(_ t: Token) -> Bool {
    guard t.kind == .identifier else { return false }
    return t.name == nameConfig || t.name == nameContext || t.name == nameLayer || t.name == nameModel
      || t.name == nameExtern
  }

  /// Skips to the next token that begins a declaration on a new line.
  mutating func synchronizeToDeclaration() {
    var reported = false
    while !atEnd && !(tok.newlineBefore && startsDeclaration(tok) && peek().kind == .identifier
                      || tok.newlineBefore && isIdentifier(tok, nameExtern)) {
      if !reported {
        error("expected declaration ('config', 'context', 'layer', 'extern' or 'model')")
        reported = true
      }
      skipBalanced()
    }
  }

  /// Consumes one token, or a whole bracketed group when it opens one.
  mutating func skipBalanced() {
    var level = 0
    repeat {
      let t = advance()
      switch t.kind {
      case .lParen, .lBracket, .lBrace: level += 1
      case .rParen, .rBracket, .rBrace: level -= 1
      case .eof: return
      default: break
      }
    } while level > 0 && !atEnd
  }

  /// declaration → config | context | layer | extern | model
  mutating func parseDeclaration() -> Decl? {
    let t = tok
    guard t.kind == .identifier else {
      error("expected declaration ('config', 'context', 'layer', 'extern' or 'model')")
      return nil
    }
    switch t.name {
    case nameConfig, nameContext:
      return parseRecord(isContext: t.name == nameContext).map { .record($0) }
    case nameLayer:
      return parseLayer().map { .layer($0) }
    case nameExtern:
      let start = p
      _ = advance()
      guard tok.kind == .kwFunc else {
        error("expected 'func' after 'extern'")
        return nil
      }
      return parseFunc(isExtern: true, startIndex: start).map { .extern($0) }
    case nameModel:
      return parseModel().map { .model($0) }
    default:
      error("expected declaration ('config', 'context', 'layer', 'extern' or 'model')")
      return nil
    }
  }

  /// record → ('config' | 'context') NAME '{' (field (NEWLINE | ';'))* '}'
  /// field → NAME ':' type ('=' expression)?
  mutating func parseRecord(isContext: Bool) -> RecordDecl? {
    let table = names  // captured by lazily built messages (a capture of self would overlap `mutating`)
    let start = p
    _ = advance()
    guard let (name, nameRange) = expectName(isContext ? "context name" : "config name") else { return nil }
    guard expect(.lBrace, "to begin the body of '\(table.string(name))'") else { return nil }
    var fields: [RecordField] = []
    while !atEnd && tok.kind != .rBrace {
      let before = p
      if accept(.semicolon) { continue }
      if let f = parseParam(what: "field") {
        fields.append(f)
        if !(tok.newlineBefore || tok.kind == .semicolon || tok.kind == .rBrace) {
          error("consecutive fields on a line must be separated by ';'")
          skipToLineEnd()
        }
      } else {
        skipToLineEnd()
      }
      if p == before { _ = advance() }
    }
    expect(.rBrace, "to end the body of '\(table.string(name))'")
    return RecordDecl(name: name, nameRange: nameRange, isContext: isContext, fields: fields,
                      range: range(fromIndex: start))
  }

  /// Skips tokens up to (not including) the first token on a new line, or a closing brace.
  mutating func skipToLineEnd() {
    while !atEnd {
      if tok.kind == .rBrace { return }
      skipBalanced()
      if tok.newlineBefore { return }
    }
  }

  /// param → NAME ':' type ('=' expression)?
  mutating func parseParam(what: String) -> Param? {
    let table = names  // captured by lazily built messages (a capture of self would overlap `mutating`)
    let start = p
    guard let (name, nameRange) = expectName("\(what) name") else { return nil }
    guard expect(.colon, "after \(what) name '\(table.string(name))'") else { return nil }
    let type = parseType()
    var value: Expr?
    if accept(.assign) { value = parseExpression() }
    return Param(name: name, nameRange: nameRange, type: type, defaultValue: value, range: range(fromIndex: start))
  }

  /// parameterList → '(' (param (',' param)* ','?)? ')'
  mutating func parseParamList(what: String) -> ([Param], SourceRange) {
    var params: [Param] = []
    guard expect(.lParen, "to begin the \(what) list") else { return ([], range(tok)) }
    while !atEnd && tok.kind != .rParen {
      let before = p
      if let param = parseParam(what: what) {
        params.append(param)
      } else {
        while !atEnd && ![.comma, .rParen, .lBrace, .rBrace].contains(tok.kind) { skipBalanced() }
      }
      if tok.kind == .rParen { break }
      if !accept(.comma) {
        error("expected ',' or ')' in \(what) list")
        while !atEnd && ![.comma, .rParen, .lBrace, .rBrace].contains(tok.kind) { skipBalanced() }
        _ = accept(.comma)
        if tok.kind == .lBrace || tok.kind == .rBrace { break }
      }
      if p == before { _ = advance() }
    }
    let close = range(tok)
    expect(.rParen, "to end the \(what) list")
    return (params, close)
  }

  /// type → '[' type ']' '?'* | NAME '?'*
  ///
  /// `inTest`: the type of an `is` test, where a `?` followed on its line by an expression is the
  /// conditional operator (`e is T ? a : b`), not an optional suffix.
  mutating func parseType(inTest: Bool = false) -> TypeRef {
    let start = p
    var type: TypeRef
    if accept(.lBracket) {
      let inner = parseType()
      expect(.rBracket, "to end the list type")
      type = .list(inner, range(fromIndex: start))
    } else if tok.kind == .identifier {
      let t = advance()
      type = .named(Name(id: t.name), range(t))
    } else {
      error("expected type")
      return .error(range(tok))
    }
    while tok.kind == .question && !tok.newlineBefore {
      if inTest && !peek().newlineBefore && peek().kind.beginsExpression { break }
      _ = advance()
      type = .optional(type, range(fromIndex: start))
    }
    return type
  }

  /// layer → 'layer' NAME parameterList '{' member* '}'
  /// member → 'let' NAME '=' expression | function
  mutating func parseLayer() -> LayerDecl? {
    let table = names  // captured by lazily built messages (a capture of self would overlap `mutating`)
    let start = p
    _ = advance()
    guard let (name, nameRange) = expectName("layer name") else { return nil }
    let (params, _) = tok.kind == .lParen ? parseParamList(what: "parameter") : ([], range(tok))
    let head = range(fromIndex: start)
    var fields: [FieldDecl] = []
    var methods: [FuncDecl] = []
    guard expect(.lBrace, "to begin the body of layer '\(table.string(name))'") else { return nil }
    while !atEnd && tok.kind != .rBrace {
      let before = p
      if accept(.semicolon) { continue }
      if startsDeclaration(tok) && tok.newlineBefore && peek().kind == .identifier && peek().newlineBefore == false
        && tok.name != nameModel {
        // A missing '}' before the next declaration: end the layer here.
        error("expected '}' to end the body of layer '\(table.string(name))'")
        return LayerDecl(name: name, nameRange: nameRange, params: params, fields: fields, methods: methods,
                         range: range(fromIndex: start), headRange: head)
      }
      switch tok.kind {
      case .kwLet, .kwVar:
        let fieldStart = p
        let isVar = advance().kind == .kwVar
        if isVar { error("a layer field is declared with 'let'", at: range(tokens[fieldStart])) }
        if let (fname, frange) = expectName("field name"), expect(.assign, "after field name") {
          let value = parseExpression()
          let f = FieldDecl(name: fname, nameRange: frange, value: value, range: range(fromIndex: fieldStart))
          fields.append(f)
          spans.append(SuppressibleSpan(range: f.range, headRange: f.range))
        }
        endMember()
      case .kwFunc:
        if let f = parseFunc(isExtern: false, startIndex: p) {
          methods.append(f)
        }
        endMember()
      default:
        error("expected 'let' or 'func' in the body of layer '\(table.string(name))'")
        skipToLineEnd()
      }
      if p == before { _ = advance() }
    }
    expect(.rBrace, "to end the body of layer '\(table.string(name))'")
    let layer = LayerDecl(name: name, nameRange: nameRange, params: params, fields: fields, methods: methods,
                          range: range(fromIndex: start), headRange: head)
    for m in methods { m.owner = layer }
    return layer
  }

  mutating func endMember() {
    if !(tok.newlineBefore || tok.kind == .semicolon || tok.kind == .rBrace || atEnd) {
      error("consecutive members on a line must be separated by ';'")
      skipToLineEnd()
    }
  }

  /// function → 'func' NAME parameterList ('->' type)? block     (an extern has no block)
  mutating func parseFunc(isExtern: Bool, startIndex: Int) -> FuncDecl? {
    let table = names  // captured by lazily built messages (a capture of self would overlap `mutating`)
    _ = advance()  // 'func'
    guard let (name, nameRange) = expectName("function name") else {
      if tok.kind == .lParen { skipBalanced() }
      if tok.kind == .lBrace { skipBalanced() }
      return nil
    }
    let (params, closeParen) = parseParamList(what: "parameter")
    var returnType: TypeRef?
    if accept(.arrow) { returnType = parseType() }
    let head = range(fromIndex: startIndex)
    var body: Block?
    if isExtern {
      if tok.kind == .lBrace && !tok.newlineBefore {
        error("an 'extern func' has no body")
        skipBalanced()
      }
    } else {
      body = parseBlock("to begin the body of '\(table.string(name))'")
    }
    let f = FuncDecl(name: name, nameRange: nameRange, params: params, returnType: returnType, body: body,
                     range: range(fromIndex: startIndex), headRange: head, closeParen: closeParen)
    spans.append(SuppressibleSpan(range: f.range, headRange: head))
    return f
  }

  /// model → 'model' NAME '=' expression
  mutating func parseModel() -> ModelDecl? {
    let start = p
    _ = advance()
    guard let (name, nameRange) = expectName("model name") else { return nil }
    guard expect(.assign, "after model name") else { return nil }
    let value = parseExpression()
    let m = ModelDecl(name: name, nameRange: nameRange, value: value, range: range(fromIndex: start))
    spans.append(SuppressibleSpan(range: m.range, headRange: m.range))
    return m
  }

  // MARK: - Statements

  /// block → '{' (statement (NEWLINE | ';'))* '}'
  mutating func parseBlock(_ context: @autoclosure () -> String) -> Block {
    let open = tok
    guard expect(.lBrace, context()) else { return Block(statements: [], range: range(tok)) }
    if depth >= Parser.maxDepth {
      error("statements are nested too deeply (more than \(Parser.maxDepth) levels)", at: range(open))
      p -= 1
      skipBalanced()
      return Block(statements: [], range: range(from: open, to: tokens[p - 1]))
    }
    depth += 1
    defer { depth -= 1 }
    var statements: [Stmt] = []
    while !atEnd && tok.kind != .rBrace {
      let before = p
      if accept(.semicolon) { continue }
      if tok.newlineBefore && (tok.kind == .kwFunc || (startsDeclaration(tok) && peek().kind == .identifier
                                                         && !peek().newlineBefore)) {
        break  // a missing '}': let the enclosing level recover
      }
      if let s = parseStatement() {
        statements.append(s)
        spans.append(SuppressibleSpan(range: s.range, headRange: s.headRange))
      }
      if !(tok.newlineBefore || tok.kind == .semicolon || tok.kind == .rBrace || atEnd) {
        error("consecutive statements on a line must be separated by ';'")
        skipToLineEnd()
      }
      if p == before { _ = advance() }
    }
    let close = tok
    expect(.rBrace, "to end the block")
    return Block(statements: statements, range: range(from: open, to: close))
  }

  /// statement → binding | return | if | for | expression ('=' expression)?
  mutating func parseStatement() -> Stmt? {
    let start = p
    switch tok.kind {
    case .kwLet, .kwVar:
      let isVar = advance().kind == .kwVar
      guard let (name, nameRange) = expectName("variable name") else {
        skipToLineEnd()
        return nil
      }
      guard expect(.assign, "after variable name") else {
        skipToLineEnd()
        return nil
      }
      let value = parseExpression()
      return Stmt(.binding(isVar: isVar, name: name, nameRange: nameRange, value: value), range: range(fromIndex: start))
    case .kwReturn:
      _ = advance()
      var value: Expr?
      if !tok.newlineBefore && tok.kind != .rBrace && tok.kind != .semicolon && !atEnd {
        value = parseExpression()
      }
      return Stmt(.returnStmt(value), range: range(fromIndex: start))
    case .kwIf:
      return parseIfStatement()
    case .kwFor:
      _ = advance()
      guard let (name, nameRange) = expectName("loop variable name") else {
        skipToLineEnd()
        return nil
      }
      expect(.kwIn, "after the loop variable")
      let sequence = parseExpression()
      let head = range(fromIndex: start)
      let body = parseBlock("to begin the loop body")
      return Stmt(.forStmt(variable: name, variableRange: nameRange, sequence: sequence, body: body),
                  range: range(fromIndex: start), headRange: head)
    default:
      let e = parseExpression()
      if tok.kind == .assign {
        _ = advance()
        let value = parseExpression()
        return Stmt(.assign(e, value), range: range(fromIndex: start))
      }
      return Stmt(.expr(e), range: range(fromIndex: start))
    }
  }

  /// if → 'if' expression block ('else' (if | block))?
  mutating func parseIfStatement() -> Stmt {
    let start = p
    _ = advance()
    let cond = parseExpression()
    let head = range(fromIndex: start)
    let then = parseBlock("after the 'if' condition")
    var elseBranch: Block?
    if tok.kind == .kwElse {
      _ = advance()
      if tok.kind == .kwIf {
        if depth >= Parser.maxDepth {
          error("statements are nested too deeply (more than \(Parser.maxDepth) levels)")
          skipToLineEnd()
        } else {
          depth += 1
          let nested = parseIfStatement()
          depth -= 1
          spans.append(SuppressibleSpan(range: nested.range, headRange: nested.headRange))
          elseBranch = Block(statements: [nested], range: nested.range)
        }
      } else {
        elseBranch = parseBlock("after 'else'")
      }
    }
    return Stmt(.ifStmt(cond: cond, then: then, elseBranch: elseBranch), range: range(fromIndex: start),
                headRange: head)
  }
}

extension TokenKind {
  /// Whether a token of this kind can begin an expression (`primary` or a unary operator).
  var beginsExpression: Bool {
    switch self {
    case .identifier, .integer, .float, .string, .kwSelf, .kwNil, .kwTrue, .kwFalse, .kwIf, .lParen, .lBracket,
      .minus, .bang:
      return true
    default:
      return false
    }
  }
}
