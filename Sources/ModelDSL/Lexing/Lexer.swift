/// Turns a file's UTF-8 bytes into tokens in one pass, interning identifiers as it goes.
///
/// Bad bytes never stop it: invalid UTF-8, a NUL, a stray character or an unterminated string or comment is
/// reported as `unresolved` at its position and skipped, so the parser sees the rest of the file. Every loop
/// advances `i` by at least one byte.
public struct Lexer {
  public struct Result: Sendable {
    public var tokens: [Token]
    public var suppressions: [SuppressionComment]
    public var diagnostics: [Diagnostic]
  }

  /// Lexes `file`, interning names into `names`.
  public static func lex(_ file: SourceFile, names: NameTable) -> Result {
    lex(file, cache: NameCache(names))
  }

  static func lex(_ file: SourceFile, cache: NameCache) -> Result {
    file.bytes.withUnsafeBufferPointer { buf in
      var lexer = LexerState(buf: buf, fileID: file.id, names: cache)
      lexer.run()
      return Result(tokens: lexer.tokens, suppressions: lexer.suppressions, diagnostics: lexer.diagnostics)
    }
  }
}

private struct LexerState {
  let buf: UnsafeBufferPointer<UInt8>
  let fileID: Int
  let names: NameCache
  var tokens: [Token] = []
  var suppressions: [SuppressionComment] = []
  var diagnostics: [Diagnostic] = []
  var i = 0
  var newline = true
  init(buf: UnsafeBufferPointer<UInt8>, fileID: Int, names: NameCache) {
    self.buf = buf
    self.fileID = fileID
    self.names = names
    tokens.reserveCapacity(buf.count / 6)
  }

  mutating func error(_ start: Int, _ end: Int, _ message: String) {
    diagnostics.append(Diagnostic(.error, rule: "unresolved", at: SourceRange(file: fileID, start: start, end: end),
                                  message))
  }

  mutating func add(_ kind: TokenKind, _ start: Int, _ end: Int, name: Int32 = -1) {
    tokens.append(Token(kind: kind, newlineBefore: newline, start: Int32(start), end: Int32(end), name: name))
    newline = false
  }

  /// Length of the valid UTF-8 scalar at `i` (2…4), or 0 when the bytes there are not valid UTF-8.
  func scalarLength(at i: Int) -> Int {
    let b0 = buf[i]
    let n = buf.count
    func cont(_ k: Int) -> Bool { i + k < n && buf[i + k] & 0xC0 == 0x80 }
    switch b0 {
    case 0xC2...0xDF: return cont(1) ? 2 : 0
    case 0xE0:
      return cont(1) && buf[i + 1] >= 0xA0 && cont(2) ? 3 : 0
    case 0xED:
      return cont(1) && buf[i + 1] < 0xA0 && cont(2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
    case 0xF0: return cont(1) && buf[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
    case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
    case 0xF4: return cont(1) && buf[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
    default: return 0
    }
  }

  /// Checks a non-ASCII byte inside a comment or string; reports and returns 1 for invalid UTF-8.
  mutating func skipNonASCII() {
    let len = scalarLength(at: i)
    if len == 0 {
      error(i, i + 1, "invalid UTF-8 byte 0x\(String(buf[i], radix: 16, uppercase: true))")
      i += 1
    } else {
      i += len
    }
  }

  mutating func run() {
    let n = buf.count
    if n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { i = 3 }
    while i < n {
      let c = buf[i]
      switch c {
      case 0x20, 0x09, 0x0C, 0x0B:
        i += 1
      case 0x0A, 0x0D:
        newline = true
        i += 1
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
        let start = i
        i += 1
        while i < n {
          let d = buf[i]
          if (d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d == 95 { i += 1 } else { break }
        }
        let name = names.intern(buf, start, i)
        if Int(name.id) < Lexer.keywords.count {
          add(Lexer.keywords[Int(name.id)].1, start, i, name: name.id)
        } else {
          add(.identifier, start, i, name: name.id)
        }
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        lexNumber()
      case UInt8(ascii: "\""):
        lexString()
      case UInt8(ascii: "/"):
        if i + 1 < n && buf[i + 1] == UInt8(ascii: "/") {
          lexLineComment()
        } else if i + 1 < n && buf[i + 1] == UInt8(ascii: "*") {
          lexBlockComment()
        } else {
          add(.slash, i, i + 1)
          i += 1
        }
      case UInt8(ascii: "("): single(.lParen)
      case UInt8(ascii: ")"): single(.rParen)
      case UInt8(ascii: "{"): single(.lBrace)
      case UInt8(ascii: "}"): single(.rBrace)
      case UInt8(ascii: "["): single(.lBracket)
      case UInt8(ascii: "]"): single(.rBracket)
      case UInt8(ascii: ","): single(.comma)
      case UInt8(ascii: ":"): single(.colon)
      case UInt8(ascii: ";"): single(.semicolon)
      case UInt8(ascii: "?"): single(.question)
      case UInt8(ascii: "+"): single(.plus)
      case UInt8(ascii: "*"): single(.star)
      case UInt8(ascii: "%"): single(.percent)
      case UInt8(ascii: "-"):
        if peek(1) == UInt8(ascii: ">") { double(.arrow) } else { single(.minus) }
      case UInt8(ascii: "="):
        if peek(1) == UInt8(ascii: "=") { double(.equalEqual) } else { single(.assign) }
      case UInt8(ascii: "!"):
        if peek(1) == UInt8(ascii: "=") { double(.bangEqual) } else { single(.bang) }
      case UInt8(ascii: "<"):
        if peek(1) == UInt8(ascii: "=") { double(.lessEqual) } else { single(.less) }
      case UInt8(ascii: ">"):
        if peek(1) == UInt8(ascii: "=") { double(.greaterEqual) } else { single(.greater) }
      case UInt8(ascii: "&"):
        if peek(1) == UInt8(ascii: "&") { double(.ampAmp) } else { stray() }
      case UInt8(ascii: "|"):
        if peek(1) == UInt8(ascii: "|") { double(.pipePipe) } else { stray() }
      case UInt8(ascii: "."):
        if peek(1) == UInt8(ascii: ".") && peek(2) == UInt8(ascii: "<") {
          add(.halfOpenRange, i, i + 3)
          i += 3
        } else {
          single(.dot)
        }
      case 0:
        error(i, i + 1, "NUL byte in source file")
        i += 1
      default:
        stray()
      }
    }
    add(.eof, n, n)
  }

  func peek(_ k: Int) -> UInt8 { i + k < buf.count ? buf[i + k] : 0 }

  mutating func single(_ kind: TokenKind) {
    add(kind, i, i + 1)
    i += 1
  }

  mutating func double(_ kind: TokenKind) {
    add(kind, i, i + 2)
    i += 2
  }

  mutating func stray() {
    let c = buf[i]
    if c >= 0x80 {
      let len = scalarLength(at: i)
      if len == 0 {
        error(i, i + 1, "invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true))")
        i += 1
      } else {
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[i..<(i + len)]), as: UTF8.self)
        error(i, i + len, "invalid character '\(text)' in source")
        i += len
      }
    } else if c < 0x20 || c == 0x7F {
      error(i, i + 1, "invalid control character U+\(String(c, radix: 16, uppercase: true)) in source")
      i += 1
    } else {
      error(i, i + 1, "invalid character '\(Character(Unicode.Scalar(c)))' in source")
      i += 1
    }
  }

  /// `64`, `1_024`, `0.5`, `1e-6`, `2.5E+3`. A `.` makes a float only when a digit follows (`0..<n`).
  mutating func lexNumber() {
    let start = i
    let n = buf.count
    func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    while i < n && (isDigit(buf[i]) || buf[i] == 95) { i += 1 }
    var isFloat = false
    if i + 1 < n && buf[i] == UInt8(ascii: ".") && isDigit(buf[i + 1]) {
      isFloat = true
      i += 1
      while i < n && (isDigit(buf[i]) || buf[i] == 95) { i += 1 }
    }
    if i < n && (buf[i] == UInt8(ascii: "e") || buf[i] == UInt8(ascii: "E")) {
      var j = i + 1
      if j < n && (buf[j] == UInt8(ascii: "+") || buf[j] == UInt8(ascii: "-")) { j += 1 }
      if j < n && isDigit(buf[j]) {
        isFloat = true
        i = j
        while i < n && isDigit(buf[i]) { i += 1 }
      }
    }
    if i < n, (buf[i] >= 65 && buf[i] <= 90) || (buf[i] >= 97 && buf[i] <= 122) || buf[i] == 95 {
      // `12abc`: one bad token, not a number followed by a name.
      let bad = i
      while i < n && ((buf[i] >= 65 && buf[i] <= 90) || (buf[i] >= 97 && buf[i] <= 122) || isDigit(buf[i]) || buf[i] == 95) {
        i += 1
      }
      error(bad, i, "invalid digit in numeric literal")
    }
    add(isFloat ? .float : .integer, start, i)
  }

  mutating func lexString() {
    let start = i
    let n = buf.count
    i += 1
    while true {
      if i >= n || buf[i] == 10 || buf[i] == 13 {
        error(start, i, "unterminated string literal")
        break
      }
      let c = buf[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        break
      } else if c == UInt8(ascii: "\\") {
        i += 1
        if i < n && buf[i] != 10 && buf[i] != 13 {
          if buf[i] >= 0x80 { skipNonASCII() } else { i += 1 }
        }
      } else if c == 0 {
        error(i, i + 1, "NUL byte in source file")
        i += 1
      } else if c >= 0x80 {
        skipNonASCII()
      } else {
        i += 1
      }
    }
    add(.string, start, i)
  }

  mutating func lexLineComment() {
    let start = i
    let n = buf.count
    i += 2
    while i < n && buf[i] != 10 && buf[i] != 13 {
      if buf[i] >= 0x80 {
        skipNonASCII()
      } else if buf[i] == 0 {
        error(i, i + 1, "NUL byte in source file")
        i += 1
      } else {
        i += 1
      }
    }
    recordSuppression(start, i)
  }

  /// `/* … */`, nesting.
  mutating func lexBlockComment() {
    let start = i
    let n = buf.count
    var depth = 1
    i += 2
    while i < n && depth > 0 {
      let c = buf[i]
      if c == UInt8(ascii: "*") && i + 1 < n && buf[i + 1] == UInt8(ascii: "/") {
        depth -= 1
        i += 2
      } else if c == UInt8(ascii: "/") && i + 1 < n && buf[i + 1] == UInt8(ascii: "*") {
        depth += 1
        i += 2
      } else if c == 10 || c == 13 {
        newline = true
        i += 1
      } else if c >= 0x80 {
        skipNonASCII()
      } else if c == 0 {
        error(i, i + 1, "NUL byte in source file")
        i += 1
      } else {
        i += 1
      }
    }
    if depth > 0 { error(start, start + 2, "unterminated '/*' comment") }
  }

  /// Records `// metalint:ignore RULE[, RULE…] — reason` and `// metalint:ignore-file RULE…`.
  mutating func recordSuppression(_ start: Int, _ end: Int) {
    var j = start + 2
    while j < end && (buf[j] == 32 || buf[j] == 9) { j += 1 }
    let directive = Array("metalint:ignore".utf8)
    guard end - j >= directive.count else { return }
    for k in 0..<directive.count where buf[j + k] != directive[k] { return }
    j += directive.count
    var wholeFile = false
    let fileSuffix = Array("-file".utf8)
    if end - j >= fileSuffix.count && (0..<fileSuffix.count).allSatisfy({ buf[j + $0] == fileSuffix[$0] }) {
      wholeFile = true
      j += fileSuffix.count
    }
    guard j < end, buf[j] == 32 || buf[j] == 9 else {
      if j == end { error(start, end, "'metalint:ignore' needs at least one rule identifier") }
      return
    }
    var rules: [String] = []
    func isRuleByte(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || b == 45 || (b >= 48 && b <= 57) }
    while true {
      while j < end && (buf[j] == 32 || buf[j] == 9) { j += 1 }
      let s = j
      while j < end && isRuleByte(buf[j]) { j += 1 }
      if j == s { break }
      rules.append(String(decoding: UnsafeBufferPointer(rebasing: buf[s..<j]), as: UTF8.self))
      while j < end && (buf[j] == 32 || buf[j] == 9) { j += 1 }
      if j < end && buf[j] == UInt8(ascii: ",") { j += 1 } else { break }
    }
    if rules.isEmpty {
      error(start, end, "'metalint:ignore' needs at least one rule identifier")
      return
    }
    var k = start - 1
    var alone = true
    while k >= 0 && buf[k] != 10 && buf[k] != 13 {
      if buf[k] != 32 && buf[k] != 9 { alone = false; break }
      k -= 1
    }
    suppressions.append(SuppressionComment(rules: rules, wholeFile: wholeFile,
                                           range: SourceRange(file: fileID, start: start, end: end),
                                           standsAlone: alone))
  }
}
