/// A local variable or a method parameter, as the checker sees it inside one method body.
public final class LocalVar: @unchecked Sendable {
  public let name: Name
  public let declRange: SourceRange
  public let isVar: Bool
  /// The declared (or inferred) type, before any narrowing.
  public var type: Ty
  /// The parameter index when this is a parameter of the enclosing method.
  public let paramIndex: Int?
  /// When a `let` or `var` binds a parameter's value unchanged (`let m = forwardMeta`), that parameter's index:
  /// reads of the alias count as reads of the parameter. A `var` loses it when assigned anything else.
  public var aliasOfParam: Int?

  public init(name: Name, declRange: SourceRange, isVar: Bool, type: Ty, paramIndex: Int?) {
    self.name = name
    self.declRange = declRange
    self.isVar = isVar
    self.type = type
    self.paramIndex = paramIndex
  }

  /// The parameter this value is, directly or through a `let` alias.
  public var rootParam: Int? { paramIndex ?? aliasOfParam }
}

/// What a name resolved to.
public enum Symbol: @unchecked Sendable {
  case none
  case local(LocalVar)
  case field(FieldDecl, LayerDecl)
  case layerParam(LayerDecl, Int)
  case method(FuncDecl)
  case global(Decl)
  case selfValue
}
