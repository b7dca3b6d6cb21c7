/// A statement of a method body.
public final class Stmt: @unchecked Sendable {
  public enum Kind {
    /// `let name = value` / `var name = value`
    case binding(isVar: Bool, name: Name, nameRange: SourceRange, value: Expr)
    /// `target = value`
    case assign(Expr, Expr)
    case returnStmt(Expr?)
    /// `if cond { then } else …`; `elseBranch` is a block or a single nested `if` statement.
    case ifStmt(cond: Expr, then: Block, elseBranch: Block?)
    /// `for variable in sequence { body }`
    case forStmt(variable: Name, variableRange: SourceRange, sequence: Expr, body: Block)
    case expr(Expr)
  }

  public let kind: Kind
  /// The whole statement, nested blocks included.
  public let range: SourceRange
  /// The part a trailing suppression comment on its first line covers: all of a simple statement, only the
  /// header (`if c {`, `for v in e {`) of a compound one.
  public let headRange: SourceRange

  public init(_ kind: Kind, range: SourceRange, headRange: SourceRange? = nil) {
    self.kind = kind
    self.range = range
    self.headRange = headRange ?? range
  }
}

/// `{ statements }`; `range` covers the braces.
public struct Block: @unchecked Sendable {
  public var statements: [Stmt]
  public var range: SourceRange

  public init(statements: [Stmt], range: SourceRange) {
    self.statements = statements
    self.range = range
  }
}
