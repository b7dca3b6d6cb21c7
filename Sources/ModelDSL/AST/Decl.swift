/// A parameter of a layer, method or extern: `name: Type = default`.
public struct Param: @unchecked Sendable {
  public var name: Name
  public var nameRange: SourceRange
  public var type: TypeRef
  public var defaultValue: Expr?
  /// The whole parameter.
  public var range: SourceRange
}

/// A field of a config or context: `name: Type = default`.
public typealias RecordField = Param

/// `config Name { … }` or `context Name { … }`.
public final class RecordDecl: @unchecked Sendable {
  public let name: Name
  public let nameRange: SourceRange
  public let isContext: Bool
  public let fields: [RecordField]
  public let range: SourceRange
  /// Filled by the checker before method bodies are checked in parallel (then only read).
  var boundParams: ([ParamInfo], Ty)?

  public init(name: Name, nameRange: SourceRange, isContext: Bool, fields: [RecordField], range: SourceRange) {
    self.name = name
    self.nameRange = nameRange
    self.isContext = isContext
    self.fields = fields
    self.range = range
  }
}

/// `let name = value` inside a layer.
public final class FieldDecl: @unchecked Sendable {
  public let name: Name
  public let nameRange: SourceRange
  public let value: Expr
  public let range: SourceRange
  /// Set by the checker: the field's type (a union for `if … else …` values).
  public var type: Ty = .error

  public init(name: Name, nameRange: SourceRange, value: Expr, range: SourceRange) {
    self.name = name
    self.nameRange = nameRange
    self.value = value
    self.range = range
  }
}

/// A method of a layer, or an `extern func` (no body, no owner).
public final class FuncDecl: @unchecked Sendable {
  public let name: Name
  public let nameRange: SourceRange
  public var params: [Param]
  public let returnType: TypeRef?
  public let body: Block?
  public let range: SourceRange
  /// From `func` to the end of the signature: what a suppression on its line covers.
  public let headRange: SourceRange
  /// The `)` closing the parameter list (fixes add parameters before it).
  public let closeParen: SourceRange
  public unowned(unsafe) var owner: LayerDecl?
  /// Set by the checker.
  public var paramTypes: [Ty] = []
  public var resultType: Ty = .void
  /// Filled by the checker before method bodies are checked in parallel (then only read).
  var boundParams: ([ParamInfo], Ty)?

  public init(name: Name, nameRange: SourceRange, params: [Param], returnType: TypeRef?, body: Block?,
              range: SourceRange, headRange: SourceRange, closeParen: SourceRange) {
    self.name = name
    self.nameRange = nameRange
    self.params = params
    self.returnType = returnType
    self.body = body
    self.range = range
    self.headRange = headRange
    self.closeParen = closeParen
  }

  public var isExtern: Bool { body == nil }
}

/// `layer Name(params) { fields and methods }`.
public final class LayerDecl: @unchecked Sendable {
  public let name: Name
  public let nameRange: SourceRange
  public let params: [Param]
  public let fields: [FieldDecl]
  public let methods: [FuncDecl]
  public let range: SourceRange
  public let headRange: SourceRange
  /// Set by the checker.
  public var paramTypes: [Ty] = []
  /// Methods by name (first declaration wins); set by the checker.
  public var methodsByName = NameMap<FuncDecl>()
  public var fieldsByName = NameMap<FieldDecl>()
  /// Filled by the checker before method bodies are checked in parallel (then only read).
  var boundParams: ([ParamInfo], Ty)?
  /// Whether the field types are computed (0 pending, 1 in progress, 2 done); only the sequential phase writes it.
  var fieldCheckState: UInt8 = 0

  public init(name: Name, nameRange: SourceRange, params: [Param], fields: [FieldDecl], methods: [FuncDecl],
              range: SourceRange, headRange: SourceRange) {
    self.name = name
    self.nameRange = nameRange
    self.params = params
    self.fields = fields
    self.methods = methods
    self.range = range
    self.headRange = headRange
  }
}

/// `model name = Expr`.
public final class ModelDecl: @unchecked Sendable {
  public let name: Name
  public let nameRange: SourceRange
  public let value: Expr
  public let range: SourceRange

  public init(name: Name, nameRange: SourceRange, value: Expr, range: SourceRange) {
    self.name = name
    self.nameRange = nameRange
    self.value = value
    self.range = range
  }
}

/// A top-level declaration.
public enum Decl: @unchecked Sendable {
  case record(RecordDecl)
  case layer(LayerDecl)
  case extern(FuncDecl)
  case model(ModelDecl)

  public var name: Name {
    switch self {
    case .record(let d): return d.name
    case .layer(let d): return d.name
    case .extern(let d): return d.name
    case .model(let d): return d.name
    }
  }

  public var nameRange: SourceRange {
    switch self {
    case .record(let d): return d.nameRange
    case .layer(let d): return d.nameRange
    case .extern(let d): return d.nameRange
    case .model(let d): return d.nameRange
    }
  }
}

/// One parsed file.
public final class SourceUnit: @unchecked Sendable {
  public let file: SourceFile
  public let decls: [Decl]
  public let suppressions: [SuppressionComment]
  /// Every statement and member, for mapping suppression comments to what they cover.
  public let suppressibleSpans: [SuppressibleSpan]
  public let isPrelude: Bool

  public init(file: SourceFile, decls: [Decl], suppressions: [SuppressionComment],
              suppressibleSpans: [SuppressibleSpan], isPrelude: Bool) {
    self.file = file
    self.decls = decls
    self.suppressions = suppressions
    self.suppressibleSpans = suppressibleSpans
    self.isPrelude = isPrelude
  }
}

/// A statement or member: `range` is all of it, `headRange` what a trailing comment on its first line covers.
public struct SuppressibleSpan: Sendable {
  public var range: SourceRange
  public var headRange: SourceRange
}
