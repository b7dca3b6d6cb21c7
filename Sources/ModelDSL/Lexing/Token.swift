/// The kinds of token. `config context layer model extern` are identifiers: they are keywords only where a
/// top-level declaration begins, and the parser decides that.
public enum TokenKind: UInt8, Sendable {
  case identifier, integer, float, string
  // keywords
  case kwFunc, kwLet, kwVar, kwIf, kwElse, kwFor, kwIn, kwReturn, kwIs, kwNil, kwTrue, kwFalse, kwSelf
  // punctuation
  case lParen, rParen, lBrace, rBrace, lBracket, rBracket
  case comma, colon, semicolon, dot, arrow, question
  case assign, equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
  case plus, minus, star, slash, percent, bang, ampAmp, pipePipe, halfOpenRange
  /// A byte sequence that is not a token (stray character, invalid UTF-8, NUL, unterminated string).
  case invalid
  case eof

  /// How the token is spelled in messages.
  public var spelling: String {
    switch self {
    case .identifier: return "identifier"
    case .integer: return "integer literal"
    case .float: return "float literal"
    case .string: return "string literal"
    case .kwFunc: return "'func'"
    case .kwLet: return "'let'"
    case .kwVar: return "'var'"
    case .kwIf: return "'if'"
    case .kwElse: return "'else'"
    case .kwFor: return "'for'"
    case .kwIn: return "'in'"
    case .kwReturn: return "'return'"
    case .kwIs: return "'is'"
    case .kwNil: return "'nil'"
    case .kwTrue: return "'true'"
    case .kwFalse: return "'false'"
    case .kwSelf: return "'self'"
    case .lParen: return "'('"
    case .rParen: return "')'"
    case .lBrace: return "'{'"
    case .rBrace: return "'}'"
    case .lBracket: return "'['"
    case .rBracket: return "']'"
    case .comma: return "','"
    case .colon: return "':'"
    case .semicolon: return "';'"
    case .dot: return "'.'"
    case .arrow: return "'->'"
    case .question: return "'?'"
    case .assign: return "'='"
    case .equalEqual: return "'=='"
    case .bangEqual: return "'!='"
    case .less: return "'<'"
    case .lessEqual: return "'<='"
    case .greater: return "'>'"
    case .greaterEqual: return "'>='"
    case .plus: return "'+'"
    case .minus: return "'-'"
    case .star: return "'*'"
    case .slash: return "'/'"
    case .percent: return "'%'"
    case .bang: return "'!'"
    case .ampAmp: return "'&&'"
    case .pipePipe: return "'||'"
    case .halfOpenRange: return "'..<'"
    case .invalid: return "invalid token"
    case .eof: return "end of file"
    }
  }
}

/// One token: its kind, its bytes, whether a line break precedes it, and for identifiers the interned name.
public struct Token: Sendable {
  public var kind: TokenKind
  /// A line break (or a comment spanning one) stands between the previous token and this one.
  public var newlineBefore: Bool
  public var start: Int32
  public var end: Int32
  /// The interned name of an identifier (or keyword-like identifier); -1 otherwise.
  public var name: Int32
}

/// A `// metalint:ignore …` or `// metalint:ignore-file …` comment, recorded by the lexer.
public struct SuppressionComment: Sendable, Hashable {
  public var rules: [String]
  public var wholeFile: Bool
  /// The comment's bytes.
  public var range: SourceRange
  /// True when nothing but whitespace precedes the comment on its line: it then covers the next statement.
  public var standsAlone: Bool
}

extension Lexer {
  /// The keywords, interned first in every DSL name table so that their ids are `0..<keywords.count` in this
  /// order.
  static let keywords: [(String, TokenKind)] = [
    ("func", .kwFunc), ("let", .kwLet), ("var", .kwVar), ("if", .kwIf), ("else", .kwElse), ("for", .kwFor),
    ("in", .kwIn), ("return", .kwReturn), ("is", .kwIs), ("nil", .kwNil), ("true", .kwTrue), ("false", .kwFalse),
    ("self", .kwSelf),
  ]
}

extension NameTable {
  /// A name table for ModelDSL: the keywords first.
  public static func forModelDSL() -> NameTable { NameTable(reserved: Lexer.keywords.map { $0.0 }) }
}
