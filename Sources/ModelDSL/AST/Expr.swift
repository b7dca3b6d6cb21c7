/// An expression. The parser builds these; the checker fills in `type`.
public final class Expr: @unchecked Sendable {
  public enum Kind {
    case name(Name)
    case selfRef
    case integer(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case nilLiteral
    /// `( e )`, kept so that fixes and ranges see the parentheses.
    case paren(Expr)
    /// `[a, b]`
    case list([Expr])
    /// `[element for variable in sequence]`
    case comprehension(element: Expr, variable: Name, variableRange: SourceRange, sequence: Expr)
    /// `base.name`
    case member(Expr, Name, nameRange: SourceRange)
    /// `base[index]`
    case index(Expr, Expr)
    /// `callee(arguments)`; `closeParen` is the `)` token's range (fixes insert before it).
    case call(Expr, [Argument], openParen: SourceRange, closeParen: SourceRange)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `c ? a : b`
    case ternary(Expr, Expr, Expr)
    /// `e is LayerName`
    case isType(Expr, TypeRef)
    /// `a..<b`
    case range(Expr, Expr)
    /// `if c { a } else { b }` as a value.
    case ifExpr(Expr, Expr, Expr)
    /// What the parser left where it could not build an expression; already diagnosed.
    case error
  }

  public let kind: Kind
  public let range: SourceRange
  /// Nesting depth, bounded by the parser so that recursive passes cannot overflow the stack.
  public let depth: Int32
  /// Set by the checker.
  public var type: Ty = .error
  /// What a name (or `self.name`, or a chain's last link) resolved to; set by the checker.
  public var symbol: Symbol = .none
  /// For calls: the checked call site; set by the checker.
  public var callSite: CallSite?

  public init(_ kind: Kind, _ range: SourceRange, depth: Int32 = 1) {
    self.kind = kind
    self.range = range
    self.depth = depth
  }
}

/// One argument of a call: `value` or `label: value`.
public struct Argument: @unchecked Sendable {
  public var label: Name?
  public var labelRange: SourceRange?
  public var value: Expr
  /// The whole argument, label included.
  public var range: SourceRange

  public init(label: Name?, labelRange: SourceRange?, value: Expr, range: SourceRange) {
    self.label = label
    self.labelRange = labelRange
    self.value = value
    self.range = range
  }
}

public enum UnaryOperator: String, Sendable {
  case negate = "-"
  case not = "!"
}

public enum BinaryOperator: String, Sendable {
  case or = "||", and = "&&"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

/// A type as written: `Tensor`, `[Linear]`, `ForwardMeta?`.
public indirect enum TypeRef: Sendable {
  case named(Name, SourceRange)
  case list(TypeRef, SourceRange)
  case optional(TypeRef, SourceRange)
  case error(SourceRange)

  public var range: SourceRange {
    switch self {
    case .named(_, let r), .list(_, let r), .optional(_, let r), .error(let r): return r
    }
  }
}
